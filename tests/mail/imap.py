"""A real IMAP server for the tests: Debian's dovecot, started on a free loopback port with a
generated config, a throw-away maildir and one user; and a TCP relay in front of it that can
cut the connection after a number of bytes (a server dropping us mid-fetch)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from imap_tools import MailBoxUnencrypted

USER = "support"
PASSWORD = "imap-test-password"
CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_internal_user = {service_user}
default_login_user = {service_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
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
    port = 0
  }}
}}
service anvil {{
  chroot =
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
    port: int
    root: Path
    process: subprocess.Popen[bytes]
    user: str = USER
    password: str = PASSWORD

    def append(self, *messages: bytes) -> None:
        with MailBoxUnencrypted("127.0.0.1", self.port).login(self.user, self.password) as box:
            for raw in messages:
                box.append(raw, "INBOX", flag_set=())

    def unseen(self) -> int:
        with MailBoxUnencrypted("127.0.0.1", self.port).login(self.user, self.password) as box:
            return len(box.uids("UNSEEN"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> ImapServer:
    root = Path(tempfile.mkdtemp(prefix="sd-imap-"))
    if os.getuid() == 0:  # dovecot never serves mail as root: the `mail` system user
        account = pwd.getpwnam("mail")
        uid, gid, service_user = account.pw_uid, account.pw_gid, "dovecot"
    else:
        uid, gid = os.getuid(), os.getgid()
        service_user = pwd.getpwuid(uid).pw_name
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, uid, gid)
    root.chmod(0o755)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(root=root, port=port, uid=uid, gid=gid, service_user=service_user)
    )
    process = subprocess.Popen(  # noqa: S603 - our own config on loopback
        ["/usr/sbin/dovecot", "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = ImapServer(port=port, root=root, process=process)
    try:
        _wait_for(port, process, root / "dovecot.log")
    except Exception:
        server.stop()
        raise
    return server


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
