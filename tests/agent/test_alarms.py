"""The alarm desk: durable queue, crash recovery, retries, reviews (real store, real models)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from tests.conftest import LOBBY_START, PARKING_START, SQL_STORES, sample_alarm_site
from vigil.adapters import SourceAlarm
from vigil.errors import InvalidInputError
from web.deps import alarm_desk

pytestmark = pytest.mark.slow

CLAIM_AND_HANG = """
import sys, time
from vigil.settings import Settings
from vigil.store import Store
claimed = Store(Settings()).alarms.claim_next()
print(claimed.id, flush=True)
time.sleep(120)
"""


@pytest.fixture(scope="module")
def postgres_alarm_site(tmp_path_factory, models, shared_data, postgres):
    """The sample site with its SQL store on the throw-away PostgreSQL."""
    url = postgres.database("alarm_desk")
    return sample_alarm_site(tmp_path_factory.mktemp("pg-alarms"), models, shared_data, url)


@pytest.fixture(params=SQL_STORES)
def desk(request):
    """The sample site's alarm desk on SQLite, then on PostgreSQL, with an empty queue."""
    site = "alarm_site" if request.param == "sqlite" else "postgres_alarm_site"
    desk = alarm_desk(request.getfixturevalue(site))
    while desk.verify_next() is not None:  # start from an empty queue
        pass
    return desk


def test_an_alarm_claimed_by_a_worker_killed_with_sigkill_is_verified_once_after_restart(
    desk, monkeypatch
):
    """On SQLite one box verifies, so a starting desk takes back every alarm left
    verifying; on PostgreSQL others may be verifying, so only a claim older than the lease
    (here 1 s) is taken back."""
    if desk.store.shared_sql:
        monkeypatch.setattr(
            desk, "settings", desk.settings.model_copy(update={"alarm_claim_lease_s": 1.0})
        )
    record, _ = desk.take_in(
        "nvr", SourceAlarm("crash-1", "lobby", LOBBY_START + timedelta(seconds=12), "pir")
    )
    env = {
        **os.environ,
        "VIGIL_DATA_DIR": str(desk.settings.data_dir),
        "VIGIL_TIMEZONE": desk.settings.timezone,
        "VIGIL_DATABASE_URL": desk.settings.database_url or "",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", CLAIM_AND_HANG], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout.readline().strip() == record.id
        assert desk.get(record.id).status == "verifying"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    stop = threading.Event()
    restarted = threading.Thread(target=desk.run, args=(stop, 0.05))
    restarted.start()
    try:
        deadline = time.monotonic() + 60
        while desk.get(record.id).status != "verified" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        restarted.join(10)
    done = desk.get(record.id)
    assert done.status == "verified" and done.attempts == 2
    assert done.verdict.verdict == "confirmed"


def test_an_alarms_detail_lists_the_people_its_frames_show_by_track(desk):
    """A lobby alarm at 12 s: the visitor at the table is one line, her one description
    and when she was in view (site zone), however many evidence frames show her."""
    record, _ = desk.take_in(
        "nvr", SourceAlarm("tracked-1", "lobby", LOBBY_START + timedelta(seconds=12), "pir")
    )
    desk.verify_next()
    shown = desk.get(record.id)
    assert len(shown.verdict.evidence) >= 2
    # every frame shown shows her (the frame where only her heel is left at the edge is not)
    assert all(shown.verdict.boxes[e.frame_id] for e in shown.verdict.evidence)
    edge = [
        b for e in shown.verdict.evidence for b in shown.verdict.boxes[e.frame_id] if b[2] >= 760
    ]
    assert not edge
    assert len(shown.tracked) == 1 and shown.tracked[0].startswith("a person in a ")
    local = (LOBBY_START + timedelta(seconds=6)).astimezone(desk.settings.tz)
    assert f"in view {local:%H:%M}" in shown.tracked[0]
    assert desk.list()[0].tracked == []  # the queue stays light: the detail says it


def test_alarms_are_verified_most_urgent_first(desk):
    night_car = PARKING_START + timedelta(seconds=6)
    low, _ = desk.take_in(
        "nvr", SourceAlarm("order-low", "plaza", LOBBY_START, "motion")
    )  # low: lawn
    high, _ = desk.take_in("nvr", SourceAlarm("order-high", "parking", night_car, "motion"))
    assert (low.priority, high.priority) == (2, 3)
    assert desk.verify_next().id == high.id and desk.verify_next().id == low.id


def test_a_failing_verification_is_retried_then_handed_to_a_person(desk, monkeypatch):
    record, _ = desk.take_in("nvr", SourceAlarm("fails-1", "lobby", LOBBY_START, "pir"))

    def broken(*args):
        raise RuntimeError("store unavailable")

    monkeypatch.setattr(desk.verifier, "verify", broken)
    assert desk.verify_next() is None and desk.verify_next() is None  # tried, queued again
    done = desk.verify_next()
    assert done.id == record.id and done.attempts == 3
    assert done.verdict.verdict == "needs_review" and "failed 3 times" in done.verdict.rationale


def test_reviews_need_a_reason_and_another_verdict_to_overrule(desk):
    record, _ = desk.take_in(
        "nvr", SourceAlarm("review-1", "lobby", LOBBY_START + timedelta(seconds=12), "x")
    )
    desk.verify_next()
    with pytest.raises(InvalidInputError, match="needs a reason"):
        desk.review(record.id, "confirm", "  ", "anna")
    with pytest.raises(InvalidInputError, match="another verdict"):
        desk.review(record.id, "overrule", "why", "anna", verdict="confirmed")
    kept = desk.review(record.id, "confirm", "seen on the live view", "anna")
    assert kept.review.verdict == "confirmed" and kept.review.decision == "confirm"


def test_a_verdict_without_its_video_yet_is_provisional_and_revised_when_the_video_comes(
    settings, models, shared_data
):
    from datetime import UTC, datetime

    from agent.alarms import AlarmDesk
    from vigil.ingest import Ingestor
    from vigil.policies import SitePolicy
    from vigil.store import Store

    policy = SitePolicy.model_validate(
        {
            "site": "live",
            "name": "A live site",
            "timezone": "Europe/Amsterdam",
            "cameras": {"lobby": {}, "gate": {}},
            "rules": [
                {
                    "id": f"live/{camera}/anyone",
                    "title": "Anyone at all",
                    "camera": camera,
                    "objects": ["person"],
                    "level": 2,
                }
                for camera in ("lobby", "gate")
            ],
        }
    )
    store = Store(settings)
    desk = AlarmDesk(settings, store, policy)
    told: list[tuple[str, bool]] = []
    desk.senders.append(lambda r: told.append((r.verdict.verdict, r.verdict.final)))
    now = datetime.now(UTC).replace(microsecond=0)
    clip_start = now - timedelta(seconds=60)  # the person is in view 8-16 s into the clip
    lobby, _ = desk.take_in(
        "nvr", SourceAlarm("live-1", "lobby", clip_start + timedelta(seconds=12), "pir")
    )

    first = desk.verify_next(now)  # the alarm came before its video
    assert first.verdict.verdict == "needs_review" and not first.verdict.final
    assert desk.verify_next(now) is None  # not due again yet
    Ingestor(settings, store, models).ingest(
        shared_data / "clips" / "one-by-one-person-detection.mp4", "lobby", clip_start
    )
    revised = desk.verify_next(now + desk.revisit_every)
    assert revised.id == lobby.id and revised.verdict.verdict == "confirmed"
    assert revised.verdict.final  # the whole window is in: looked at no more
    assert [v.verdict for v in revised.revisions] == ["needs_review"]
    assert desk.verify_next(now + 10 * desk.revisit_every) is None
    assert told == [("needs_review", False), ("confirmed", True)]

    told.clear()
    desk.take_in("nvr", SourceAlarm("live-2", "gate", now - timedelta(seconds=5), "pir"))
    waiting = desk.verify_next(now)
    assert waiting.verdict.verdict == "needs_review" and not waiting.verdict.final
    overdue = desk.verify_next(now + timedelta(minutes=10))  # the video never came
    assert overdue.verdict.verdict == "needs_review" and overdue.verdict.final
    assert overdue.revisions == []  # the same verdict, now final: no revision
    assert told == [("needs_review", False), ("needs_review", True)]
