"""Alarm intake throughput on loopback and the time from 202 to verdict, on this machine.

A real server (uvicorn, the app without the chat model's warm-up, with its alarm worker
process) runs in a child process over a throw-away data dir holding the lobby sample clip
and the sample policy. First a burst: N signed alarms sent by 32 concurrent keep-alive
connections of a minimal HTTP client; printed: alarms accepted per second, and whether
every one is stored (none lost); then how long the worker takes to verify the backlog.
Then a paced stream on an idle queue, one alarm every 0.5 s, each polled until its
verdict: p50/p95 from 202 to verdict. Deterministic verdicts unless VIGIL_VLM_MODEL_PATH
names a VLM: then the sample policy's questions are answered as model evidence too.

    .venv/bin/python bench/alarms.py [N]      (default 2000)
    .venv/bin/python bench/alarms.py --quick  20 alarms, 3 timed: it runs, no figure to quote
    VIGIL_VLM_MODEL_PATH=/models/smolvlm .venv/bin/python bench/alarms.py
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from vigil.ingest import Ingestor
from vigil.models import ModelRegistry
from vigil.settings import Settings
from vigil.signing import issue_session, session_secret, signed_headers
from vigil.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VIGIL_SHARED_DATA", REPO.parent / "shared" / "data"))
SECRET = "bench-secret"
SERVE = """
import sys, uvicorn
from web.app import create_app
uvicorn.run(create_app(warm_up=False), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alarm_body(start, seconds: float) -> bytes:
    return json.dumps(
        {
            "source_event_id": uuid.uuid4().hex,
            "camera": "lobby",
            "time": (start + timedelta(seconds=seconds)).isoformat(),
            "type": "motion",
        }
    ).encode()


def signed(body: bytes) -> dict[str, str]:
    return {
        **signed_headers("bench", SECRET, time.time(), body),
        "Content-Type": "application/json",
    }


async def _post_all(host: str, port: int, bodies: list[bytes], ids: list[str]) -> None:
    """POST each body in turn over one keep-alive HTTP/1.1 connection (a minimal client:
    the bench measures the server, and a full client library would cost more CPU than the
    server it measures on these 2 cores)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for body in bodies:
            head = "".join(f"{k}: {v}\r\n" for k, v in signed(body).items())
            writer.write(
                f"POST /api/alarms HTTP/1.1\r\nHost: {host}\r\n{head}"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            answer = await reader.readexactly(length)
            status = int(status_line.split()[1])
            if status == 202:
                ids.append(json.loads(answer)["id"])
            else:
                print(f"  refused: {status} {answer[:120]!r}")
    finally:
        writer.close()


async def burst(host: str, port: int, start, n: int, concurrency: int = 32):
    """Send n alarms over ``concurrency`` connections; (seconds, accepted ids)."""
    bodies = [alarm_body(start, (i % 130) + 5) for i in range(n)]
    ids: list[str] = []
    t0 = time.perf_counter()
    await asyncio.gather(
        *(_post_all(host, port, bodies[i::concurrency], ids) for i in range(concurrency))
    )
    return time.perf_counter() - t0, ids


def main() -> None:
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    n = 20 if quick else int(args[0]) if args else 2000
    # the lobby clip dated last night at 21:58 in Amsterdam: after the sample site's hours,
    # and within the 30 days an alarm is taken in for
    start = (datetime.now(UTC) - timedelta(days=1)).replace(hour=20, minute=58, second=0)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "VIGIL_DATA_DIR": tmp,
            "VIGIL_TIMEZONE": "Europe/Amsterdam",
            "VIGIL_POLICY_FILE": str(REPO / "policies" / "sample.yaml"),
            "VIGIL_ALARM_SOURCES": json.dumps({"bench": SECRET}),
            "VIGIL_ALARM_QUEUE_MAX": str(n * 2),
        }
        settings = Settings(data_dir=Path(tmp), timezone="Europe/Amsterdam")
        store = Store(settings)
        ingestor = Ingestor(settings, store, ModelRegistry(settings))
        ingestor.ingest(SHARED / "clips" / "one-by-one-person-detection.mp4", "lobby", start)
        store.users.add("bench", "operator", "bench-password", "bench")  # reads need a sign-in
        reader = {
            "Authorization": "Bearer "
            + issue_session(session_secret(settings.data_dir), "bench", time.time() + 3600)
        }
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, cwd=REPO)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(f"{base}/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            seconds, ids = asyncio.run(burst("127.0.0.1", port, start, n))
            stored = {a.id for a in store.alarms.list(limit=n * 2)}
            lost = len(set(ids) - stored)
            print(
                f"intake: {len(ids)}/{n} alarms accepted in {seconds:.2f} s = "
                f"{len(ids) / seconds:.0f} alarms/s over 32 connections; stored {len(stored)}, "
                f"lost {lost}"
            )
            t0 = time.perf_counter()
            while store.alarms.waiting() and time.perf_counter() - t0 < 600:
                time.sleep(0.5)
            drained = time.perf_counter() - t0
            print(
                f"backlog of {n} verified {drained:.1f} s after the burst "
                f"({n / max(drained, 1e-9):.0f} verdicts/s)"
            )
            latencies = []
            with httpx.Client(timeout=30, headers=reader) as client:
                for i in range(3 if quick else 40):
                    body = alarm_body(start, 5 + 3 * i)
                    sent = time.perf_counter()
                    alarm_id = client.post(
                        f"{base}/api/alarms", content=body, headers=signed(body)
                    ).json()["id"]
                    while (
                        client.get(f"{base}/api/alarms/{alarm_id}").json()["status"] != "verified"
                    ):
                        time.sleep(0.005)
                    latencies.append(time.perf_counter() - sent)
                    time.sleep(0.5)
            q = statistics.quantiles(latencies, n=20)
            p50 = statistics.median(latencies)
            vlm = os.environ.get("VIGIL_VLM_MODEL_PATH")
            print(
                f"202 -> verdict, {'with model evidence' if vlm else 'deterministic'}, one at "
                f"a time: p50 {p50:.2f} s, p95 {q[18]:.2f} s (targets: 500 alarms/s, p95 under "
                f"{'10' if vlm else '2'} s)"
            )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
