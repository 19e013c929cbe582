"""A real IMAP server for the tests: Debian's dovecot, one per test session, on free loopback
ports with a generated config and throw-away folders; and a TCP relay in front of it that can
cut the connection after a number of bytes (a server dropping us mid-fetch).

The server speaks plain IMAP with STARTTLS on one port and IMAPS (implicit TLS) on another,
with a certificate from a throw-away CA (tests/mail/tls.py), and signs in by password
(PLAIN/LOGIN) or by OAuth2 bearer token (XOAUTH2/OAUTHBEARER: dovecot's oauth2 passdb checks the
token's HS256 signature locally, tests/mail/bearer.py). Each test gets an account of its own
(`Dovecot.account()`), so tests never see each other's mail."""

from __future__ import annotations

import base64
import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from imap_tools import MailBoxUnencrypted

from tests.mail.bearer import bearer_token
from tests.mail.tls import ServerTls, make_server_tls

PASSWORD = "imap-test-password"
CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{tls.cert_file}
ssl_key = <{tls.key_file}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
mail_location = maildir:{root}/mail/%u
default_internal_user = {service_user}
default_login_user = {service_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf
}}
passdb {{
  driver = static
  mechanisms = plain login
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
# the oauth2 passdb validates JWTs itself: the HS256 key is looked up in a file dictionary
# under <prefix>/<azp or "default">/<alg>/<kid or "default">, base64-encoded
OAUTH2 = """
introspection_mode = local
local_validation_key_dict = fs:posix:prefix={root}/keys/
username_attribute = sub
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                if probe.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not answer on its port")


@dataclass
class ImapServer:
    """What one test sees: its own account on the session's dovecot. `port` speaks plain IMAP
    and STARTTLS, `tls_port` IMAPS; `ca_file` is the CA that signed the server's certificate."""

    port: int
    tls_port: int
    ca_file: Path
    user: str
    password: str
    oauth2_key: bytes

    def token(self) -> str:
        """A valid OAuth2 access token for this account."""
        return bearer_token(key=self.oauth2_key, subject=self.user)

    def append(self, *messages: bytes) -> None:
        with MailBoxUnencrypted("127.0.0.1", self.port).login(self.user, self.password) as box:
            for raw in messages:
                box.append(raw, "INBOX", flag_set=())

    def unseen(self) -> int:
        with MailBoxUnencrypted("127.0.0.1", self.port).login(self.user, self.password) as box:
            return len(box.uids("UNSEEN"))


@dataclass
class Dovecot:
    port: int
    tls_port: int
    root: Path
    tls: ServerTls
    oauth2_key: bytes
    process: subprocess.Popen[bytes]
    _accounts: itertools.count[int] = field(default_factory=itertools.count)

    def account(self) -> ImapServer:
        return ImapServer(
            port=self.port,
            tls_port=self.tls_port,
            ca_file=self.tls.ca_file,
            user=f"support{next(self._accounts)}",
            password=PASSWORD,
            oauth2_key=self.oauth2_key,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def _accounts_owner() -> tuple[int, int, str]:
    """Whose files the mail is (uid, gid) and which user dovecot's own processes run as."""
    if os.getuid() == 0:  # dovecot never serves mail as root: the `mail` system user
        account = pwd.getpwnam("mail")
        return account.pw_uid, account.pw_gid, "dovecot"
    return os.getuid(), os.getgid(), pwd.getpwuid(os.getuid()).pw_name


def start_dovecot() -> Dovecot:
    root = Path(tempfile.mkdtemp(prefix="sd-imap-"))
    uid, gid, service_user = _accounts_owner()
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, uid, gid)
    root.chmod(0o755)
    tls = make_server_tls(root / "tls")
    oauth2_key = secrets.token_bytes(32)
    key_file = root / "keys" / "default" / "HS256" / "default"
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(base64.b64encode(oauth2_key))
    (root / "oauth2.conf").write_text(OAUTH2.format(root=root))
    port, tls_port = free_port(), free_port()
    while tls_port == port:
        tls_port = free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            tls=tls,
            port=port,
            tls_port=tls_port,
            password=PASSWORD,
            uid=uid,
            gid=gid,
            service_user=service_user,
        )
    )
    process = subprocess.Popen(  # noqa: S603 - our own config on loopback
        ["/usr/sbin/dovecot", "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Dovecot(
        port=port, tls_port=tls_port, root=root, tls=tls, oauth2_key=oauth2_key, process=process
    )
    try:
        _wait_for(port, process, root / "dovecot.log")
        _wait_for_tls(tls_port, tls.ca_file)
    except Exception:
        server.stop()
        raise
    return server


def _wait_for_tls(port: int, ca_file: Path) -> None:
    context = ssl.create_default_context(cafile=str(ca_file))
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        if not tls.recv(100).startswith(b"* OK"):
            raise RuntimeError("dovecot's IMAPS port did not greet")


@dataclass
class Relay:
    """Forwards loopback connections to `target`; the first connection is cut once the server
    has sent `cut_after` bytes (None: never)."""

    target: int
    cut_after: int | None = None
    port: int = 0
    connections: int = 0
    _listener: socket.socket = field(default_factory=socket.socket)

    def start(self) -> None:
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            limit = self.cut_after if self.connections == 1 else None
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, limit), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while chunk := source.recv(4096):
                if limit is not None and sent + len(chunk) > limit:
                    sink.sendall(chunk[: limit - sent])
                    break
                sink.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
