"""Live view: glass-to-glass latency in a real browser, and the server's CPU per viewed camera.

A test camera (tests/servers.py ClockCamera: H.264 over HTTP, 640x360 at 25 fps, encoded
in this process) paints the wall-clock millisecond into every frame. A `vigil serve`
process passes the stream through as fragmented MP4; Debian's chromium plays it through
Media Source Extensions and reads the painted clock back from every frame it presents.
Latency = the time a frame is shown - the time it was painted (one machine, one clock).
CPU = the server process's CPU seconds while N cameras are viewed, less the same time idle,
per camera. Printed with the machine it ran on.

    .venv/bin/python bench/live_view.py [SECONDS]      (default 20 s per configuration)
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.servers import CLOCK_READER_JS, ClockCamera, VigilServer  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store import Store  # noqa: E402

PASSWORD = "a long passphrase"
GRID = 4  # cameras viewed at once in the grid configuration


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit_s: float = 180.0) -> None:
    """Wait until the server is idle (the chat model warms up after it starts)."""
    deadline = time.monotonic() + limit_s
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.05 else 0


def site(folder: Path, camera: ClockCamera) -> dict[str, str]:
    """A data dir and policy with GRID cameras, all the clock camera; a user; the env."""
    policy = folder / "site.yaml"
    cameras = "".join(f"  clock{i}:\n    stream: {camera.url}\n" for i in range(GRID))
    policy.write_text(
        f"site: bench\nname: Live view bench\ntimezone: UTC\ncameras:\n{cameras}",
        encoding="utf-8",
    )
    settings = Settings(data_dir=folder / "data", policy_file=policy)
    Store(settings).users.add("olivia", "operator", PASSWORD, "bench")
    return {"VIGIL_DATA_DIR": str(settings.data_dir), "VIGIL_POLICY_FILE": str(policy)}


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#name", "olivia")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def view(browser, url: str, path: str, seconds: float, server_pid: int) -> tuple[list, float]:
    """Open ``path`` for ``seconds`` after its first frame: clock lags, server CPU s."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    sign_in(page, url)
    page.goto(f"{url}{path}")
    deadline = time.monotonic() + 30
    while not page.evaluate(
        "Array.from(document.querySelectorAll('video')).every(v => v.currentTime > 0)"
    ):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path}: no picture within 30 s")
        time.sleep(0.2)
    page.evaluate(CLOCK_READER_JS)
    cpu = cpu_seconds(server_pid)
    time.sleep(seconds)
    cpu = cpu_seconds(server_pid) - cpu
    lags = page.evaluate("window.clockLags")
    page.close()
    return lags, cpu


def main() -> None:
    from playwright.sync_api import sync_playwright

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    camera = ClockCamera().start()
    with tempfile.TemporaryDirectory() as tmp:
        server = VigilServer(site(Path(tmp), camera), REPO).start()
        pid = server.process.pid
        try:
            settle(pid)
            idle = cpu_seconds(pid)
            time.sleep(seconds)
            idle = (cpu_seconds(pid) - idle) / seconds
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                )
                one_lags, one_cpu = view(browser, server.url, "/live/clock0", seconds, pid)
                grid_lags, grid_cpu = view(browser, server.url, "/live", seconds, pid)
                browser.close()
        finally:
            server.stop()
            camera.stop()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; browser: Debian chromium (headless), same machine"
    )
    print(f"camera: 640x360 H.264 at 25 fps over HTTP, encoded beside the server; {seconds:.0f} s")
    for name, lags in (("one camera", one_lags), (f"grid of {GRID} (first tile)", grid_lags)):
        if not lags:
            print(f"  {name}: no frame read")
            continue
        p50, p95 = np.percentile(lags, 50), np.percentile(lags, 95)
        print(
            f"  glass-to-glass, {name:<22} p50 {p50:5.0f} ms  p95 {p95:5.0f} ms  "
            f"({len(lags)} frames read)"
        )
    per_one = (one_cpu / seconds - idle) * 100
    per_grid = (grid_cpu / seconds - idle) * 100 / GRID
    print(f"  server CPU idle: {idle * 100:.1f}% of one core")
    print(
        f"  server CPU per viewed camera: {per_one:.1f}% of one core (one view), "
        f"{per_grid:.1f}% (grid of {GRID})"
    )
    print("  goal: glass-to-glass under 2 s")


if __name__ == "__main__":
    main()
