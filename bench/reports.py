"""Incident reports on this machine: the time from a confirmed verdict to its drafted
report, and export times (Markdown, JSON, HTML, PDF, the signed evidence package, with
and without blurring), over a throw-away data dir holding the lobby sample clip.

    .venv/bin/python bench/reports.py [N]      (N confirmed alarms, default 10)
    .venv/bin/python bench/reports.py --quick  one alarm, one package: it runs, no figure
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

# run as a script, this file's folder comes first on sys.path: bench/agent.py would hide
# the agent package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
REPO = Path(__file__).resolve().parent.parent

from agent.services import Services  # noqa: E402
from vigil.adapters import SourceAlarm  # noqa: E402
from vigil.context import Context  # noqa: E402
from vigil.ingest import Ingestor  # noqa: E402
from vigil.keys import init_keys  # noqa: E402
from vigil.models import ModelRegistry  # noqa: E402
from vigil.reports.export import ReportExporter  # noqa: E402
from vigil.settings import Settings  # noqa: E402
from vigil.store import Store  # noqa: E402

SHARED = Path(os.environ.get("VIGIL_SHARED_DATA", REPO.parent / "shared" / "data"))


def timed(work, repeats: int = 3) -> tuple[float, object]:
    """Median seconds of ``repeats`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def sample_site(folder: Path) -> tuple[Settings, Store, ModelRegistry]:
    """A throw-away site in ``folder`` under the sample policy, taking alarms from "nvr"."""
    settings = Settings(
        data_dir=folder,
        timezone="Europe/Amsterdam",
        policy_file=REPO / "policies" / "sample.yaml",
        alarm_sources={"nvr": "bench"},
    )
    return settings, Store(settings), ModelRegistry(settings)


def main(n: int, quick: bool = False) -> None:
    folder = Path(tempfile.mkdtemp(prefix="vigil-bench-reports-"))
    # the lobby clip dated last night at 21:58 in Amsterdam: after the sample site's hours
    start = (datetime.now(UTC) - timedelta(days=1)).replace(hour=20, minute=58, second=0)
    settings, store, models = sample_site(folder)
    Ingestor(settings, store, models).ingest(
        SHARED / "clips" / "one-by-one-person-detection.mp4", "lobby", start
    )
    desk = Services(Context(settings, store, models)).desk
    init_keys(settings.keys_dir)
    drafts = []
    for i in range(n):
        alarm = SourceAlarm(f"bench-{i}", "lobby", start + timedelta(seconds=8 + i), "pir")
        record, _ = desk.take_in("nvr", alarm)
        verified = desk.verify_next()  # the verdict; its report is drafted on another thread
        desk.drafts_settled()
        incident = store.reports.find("alarm", record.id)
        if incident is None:
            raise SystemExit(f"alarm {i}: {verified.verdict.verdict}, no report drafted")
        drafts.append(incident.created.timestamp() - verified.verified.timestamp())
    drafts_ms = sorted(1000 * max(0.0, d) for d in drafts)
    p95 = drafts_ms[min(len(drafts_ms) - 1, round(0.95 * (len(drafts_ms) - 1)))]
    print(
        f"confirmed verdict -> drafted report: median {statistics.median(drafts_ms):.0f} ms, "
        f"p95 {p95:.0f} ms over {n} alarms (target: under 5 s)"
    )

    exporter = ReportExporter(settings, store, models)
    incident = store.reports.list(limit=1)[0]
    evidence = len(incident.report.evidence)
    print(f"exports of one report with {evidence} evidence frames (median of 3):")
    exporter.export(incident.id, "pdf", "bench", "admin")  # loads Pango and the face models
    for fmt in ("md", "json", "html", "pdf"):
        for redact in (True, False):
            export = partial(exporter.export, incident.id, fmt, "bench", "admin", redact)
            seconds, made = timed(export, 1 if quick else 3)
            label = "blurred" if redact else "as recorded"
            print(f"  {fmt:<4} {label:<12} {seconds:6.2f} s  {len(made.data) / 1024:8.0f} KiB")
    for redact in (False,) if quick else (False, True):
        out = folder / f"package-{redact}.zip"
        package = partial(exporter.package, incident.id, out, "bench", "admin", redact)
        seconds, manifest = timed(package, 1)
        clips = manifest.redaction["clips"]
        clip_s = sum(c.get("end_s", 0) - c.get("start_s", 0) for c in clips.values())
        label = "blurred, clips re-encoded" if redact else "clips copied as recorded"
        print(
            f"  package ({label}): {seconds:.2f} s, {out.stat().st_size / 1e6:.1f} MB, "
            f"{len(manifest.files)} files, {clip_s:.0f} s of clips"
        )
    print(f"data dir: {folder}")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--quick"]
    main(1 if quick else int(args[0]) if args else 10, quick)
