"""Real servers the tests start on free localhost ports: `chroma run` and a throw-away
PostgreSQL 15 cluster (for the store on PostgreSQL as well as SQLite)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    """`chroma run` on a fixed path and port: stopped and started again as a site's would."""

    def __init__(self, path: Path) -> None:
        self.path, self.port = path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        for _ in range(100):
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                pytest.fail("chroma run exited early")
            time.sleep(0.2)
        pytest.fail("chroma server did not come up in 20 s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    """Whether Debian's PostgreSQL 15 server is installed."""
    return (BIN / "initdb").exists() and (BIN / "pg_ctl").exists()


class ThrowawayPostgres:
    """Debian's PostgreSQL 15, never a mock: initdb, pg_ctl, a real server. ``initdb``
    refuses to run as root, so as root the cluster belongs to the ``postgres`` user
    (``runuser``). Start with ``start()``, make databases with ``database(name)``, end with
    ``stop()``."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="vigil-pg-"))
        self.data, self.sockets = self.root / "data", self.root / "run"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", "postgres", "--"] if self.as_root else []), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr[-2000:]}")

    def start(self) -> ThrowawayPostgres:
        self.sockets.mkdir(parents=True)
        self.data.mkdir()
        if self.as_root:
            shutil.chown(self.root, "postgres")
            for path in (self.data, self.sockets):
                shutil.chown(path, "postgres")
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "vigil")
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=400"  # every test store keeps its own pool open
        )
        log = self.root / "server.log"
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options,
                  "-w", "start")  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://vigil@127.0.0.1:{self.port}/{database}"

    def database(self, name: str) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=vigil dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
