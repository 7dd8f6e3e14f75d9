"""Real servers the tests start on free localhost ports: `chroma run` and a throw-away
PostgreSQL 15 cluster (for the store on PostgreSQL as well as SQLite)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
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


CLOCK_BITS = 32  # the wall clock in ms, modulo 2**32, painted as blocks across the top
CLOCK_BLOCK = 20  # px per bit, a row of bits over a row of their complements


def paint_clock(frame: np.ndarray, ms: int) -> None:
    """Paint ``ms`` (mod 2**32) into the top 2 x CLOCK_BLOCK rows of a grey frame."""
    for bit in range(CLOCK_BITS):
        on = (ms >> (CLOCK_BITS - 1 - bit)) & 1
        x = bit * CLOCK_BLOCK
        frame[:CLOCK_BLOCK, x : x + CLOCK_BLOCK] = 255 if on else 0
        frame[CLOCK_BLOCK : 2 * CLOCK_BLOCK, x : x + CLOCK_BLOCK] = 0 if on else 255


class ClockCamera:
    """A live H.264 camera over HTTP (MPEG-TS) whose every frame shows, painted as blocks,
    the wall-clock millisecond it was taken: a viewer that reads the blocks back knows its
    glass-to-glass latency. Each client gets its own encoder, in real time."""

    def __init__(self, width: int = 640, height: int = 360, fps: int = 25) -> None:
        self.size, self.fps = (width, height), fps
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/clock.ts"
        self._server = None

    def start(self) -> ClockCamera:
        import http.server
        import threading

        camera = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                self.send_response(200)
                self.send_header("Content-Type", "video/mp2t")
                self.end_headers()
                with contextlib.suppress(Exception):  # the viewer went away
                    camera._serve(self.wfile)

            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def _serve(self, wfile) -> None:
        from fractions import Fraction

        import av

        width, height = self.size
        with av.open(wfile, "w", format="mpegts", options={"flush_packets": "1"}) as out:
            stream = out.add_stream("libx264", rate=Fraction(self.fps, 1))
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"preset": "ultrafast", "tune": "zerolatency", "g": str(self.fps)}
            frame = np.full((height, width), 128, np.uint8)
            start = time.monotonic()
            for index in range(10**9):
                wait = start + index / self.fps - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                paint_clock(frame, int(time.time() * 1000) % 2**CLOCK_BITS)
                picture = av.VideoFrame.from_ndarray(frame, format="gray").reformat(
                    format="yuv420p"
                )
                picture.pts = index
                for packet in stream.encode(picture):
                    out.mux(packet)
                wfile.flush()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


# In a page: read the painted clock of every frame the <video> presents, as
# window.clockLags (ms from the frame being taken to it being shown).
CLOCK_READER_JS = """
(() => {
  const video = document.querySelector("video");
  const canvas = document.createElement("canvas");
  const bits = BITS, block = BLOCK;
  canvas.width = bits * block; canvas.height = 2 * block;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  window.clockLags = [];
  const read = () => {
    const now = Date.now();
    if (video.videoWidth >= bits * block) {
      context.drawImage(video, 0, 0, bits * block, 2 * block, 0, 0, bits * block, 2 * block);
      const pixels = context.getImageData(0, 0, bits * block, 2 * block).data;
      let value = 0, clear = true;
      for (let bit = 0; bit < bits; bit++) {
        const x = bit * block + block / 2;
        const top = pixels[((block / 2) * canvas.width + x) * 4];
        const low = pixels[((block + block / 2) * canvas.width + x) * 4];
        clear = clear && Math.abs(top - low) > 100;
        value = value * 2 + (top > low ? 1 : 0);
      }
      if (clear) window.clockLags.push((now - value) % 2 ** bits);
    }
    video.requestVideoFrameCallback(read);
  };
  video.requestVideoFrameCallback(read);
})();
""".replace("BITS", str(CLOCK_BITS)).replace("BLOCK", str(CLOCK_BLOCK))

SERVE = """
import sys, uvicorn
from web.app import create_app
uvicorn.run(create_app(warm_up=True), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


class VigilServer:
    """`vigil serve` as its own process on a free port, with the given environment."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> VigilServer:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.port)],
            env={**os.environ, **self.env},
            cwd=self.cwd,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
