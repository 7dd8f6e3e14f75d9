"""A 12-hour night shift of the demo site summarised: the three sample clips as the
sample policy's cameras (lobby, parking, plaza), each recorded at three hours of the night
(20:00, 00:30, 04:00 in Amsterdam, last week), an NVR alarm on each recording, verified.
Prints the seconds the shift's summary takes (`vigil summary`, the Shift page; median of
three, in English and Dutch), its report's draft, and the assistant's answer to "what
happened last night?" (cold: its first question, and warm), against the issue's 30 s.

    .venv/bin/python bench/summary.py           nine recordings (a few minutes to ingest)
    .venv/bin/python bench/summary.py --quick   the lobby clip once: it runs, no figure
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# run as a script, this file's folder comes first on sys.path: bench/agent.py would hide
# the agent package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # bench.reports, as a package: its median timer and sample site

from agent.services import Services  # noqa: E402
from bench.reports import sample_site, timed  # noqa: E402
from vigil.adapters import SourceAlarm  # noqa: E402
from vigil.context import Context  # noqa: E402
from vigil.domain import UserRecord  # noqa: E402
from vigil.ingest import Ingestor  # noqa: E402
from vigil.summary import shift_summary  # noqa: E402

SHARED = Path(os.environ.get("VIGIL_SHARED_DATA", REPO.parent / "shared" / "data"))
VTEST = Path(os.environ.get("VIGIL_VTEST", REPO / "var" / "samples" / "vtest.avi"))
TZ = ZoneInfo("Europe/Amsterdam")
CLIPS = {
    "lobby": SHARED / "clips" / "one-by-one-person-detection.mp4",
    "parking": SHARED / "clips" / "car-detection.mp4",
    "plaza": VTEST,
}
HOURS = ((20, 0), (0, 30), (4, 0))  # when each camera's clip was recorded, site clock


def main(quick: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="vigil-bench-summary-"))
    # the shift: 19:00 to 07:00, a week ago (alarms older than 30 days are refused)
    day = datetime.now(TZ).date() - timedelta(days=7)
    start = datetime(day.year, day.month, day.day, 19, tzinfo=TZ)
    end = start + timedelta(hours=12)
    settings, store, models = sample_site(folder)
    ingestor = Ingestor(settings, store, models)
    services = Services(Context(settings, store, models))
    recordings = [("lobby", HOURS[0])] if quick else [(c, h) for h in HOURS for c in CLIPS]
    began = time.perf_counter()
    video_s = 0.0
    for i, (camera, (hour, minute)) in enumerate(recordings):
        at = start.replace(hour=hour, minute=minute)
        at += timedelta(days=1) if hour < 12 else timedelta(0)
        # a file is ingested once per camera: each hour's copy differs by trailing bytes,
        # which the demuxers ignore
        copy = folder / f"{camera}-{i}{CLIPS[camera].suffix}"
        copy.write_bytes(CLIPS[camera].read_bytes() + bytes(i + 1))
        video_s += ingestor.ingest(copy, camera, at.astimezone(UTC)).video_seconds
        alarm = SourceAlarm(f"bench-{i}", camera, at + timedelta(seconds=12), "pir")
        services.desk.take_in("nvr", alarm)
    while services.desk.verify_next() is not None:
        pass
    services.desk.drafts_settled()
    tracks = len(store.tracks.list(None, start, end, limit=100_000))
    print(
        f"a shift of {len(recordings)} recordings ({video_s / 60:.0f} min of video, "
        f"{tracks} tracks, {len(recordings)} alarms) made in {time.perf_counter() - began:.0f} s"
    )
    repeats = 1 if quick else 3
    for lang in ("en", "nl"):
        seconds, summary = timed(
            lambda lang=lang: shift_summary(settings, store, start, end, lang), repeats
        )
        lines = sum(len(c.lines()) for c in summary.cameras)
        print(f"  summary ({lang}): {seconds:.2f} s, {lines} lines over 12 h (target: under 30 s)")
    now = datetime.now(UTC)
    admin = UserRecord(name="bench", role="admin", created=now, password_changed=now)
    began = time.perf_counter()
    record, _ = services.shift_report(admin, start, end)
    print(
        f"  its report drafted: {time.perf_counter() - began:.2f} s, "
        f"{len(record.report.description)} lines, {len(record.report.evidence)} frames"
    )
    chat = services.chat
    chat.now = lambda: end + timedelta(hours=1)
    for label in ("cold", "warm"):
        began = time.perf_counter()
        answer = list(chat.ask("What happened last night?"))[-1].json_data()
        print(
            f"  'what happened last night?' ({label}): {time.perf_counter() - began:.2f} s, "
            f"answered by {answer.get('answered_by')}, {len(answer.get('citations', []))} frames"
        )
    print("  its first lines:\n    " + "\n    ".join(answer.get("text", "").splitlines()[:4]))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
