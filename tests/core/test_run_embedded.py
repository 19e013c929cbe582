"""`make run`'s server script listens on the loopback port `PORT` names (8000 by default) and
refuses a value that is not a port number."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.routing.conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ["bash", "scripts/run_embedded.sh"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_embedded_server_listens_on_the_port_named_by_port(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "DEBUG": "1", "DATABASE_URL": database_url()}
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen(  # noqa: S603 - our own script
            SCRIPT, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("port", ["http", "0", "70000", "80; echo hi"])
def test_a_port_that_is_not_a_port_number_is_refused(port: str) -> None:
    script = subprocess.Popen(  # noqa: S603 - our own script
        SCRIPT,
        cwd=ROOT,
        env={**os.environ, "PORT": port},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _out, err = script.communicate(timeout=20)
    except subprocess.TimeoutExpired:  # it started a server instead of refusing
        os.killpg(script.pid, signal.SIGTERM)
        script.communicate(timeout=30)
        raise

    assert script.returncode == 2
    assert b"PORT must be a port number" in err
