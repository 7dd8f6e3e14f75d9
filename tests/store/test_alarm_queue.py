"""The alarm queue and the audit chain under concurrent workers, each with its own
connections as on separate machines, on SQLite and PostgreSQL: no alarm taken twice or
lost, one unbroken chain."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from tests.conftest import START
from tests.store.test_migrations import NEWEST
from vigil.store import NewAlarm, Store

WORKERS = 4


def _together(work, workers: int = WORKERS) -> list:
    """Run ``work(i)`` on ``workers`` threads at once; what each returned."""
    results: list = [None] * workers
    start = threading.Barrier(workers)

    def run(i: int) -> None:
        start.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_workers_share_the_queue_and_no_alarm_is_taken_twice_or_lost(sql_settings):
    intake = Store(sql_settings)
    for i in range(60):
        new = NewAlarm("nvr", f"e{i}", "lobby", START + timedelta(seconds=i), "pir", 1 + i % 4)
        intake.alarms.accept(new, max_unverified=1000)
    stores = [Store(sql_settings) for _ in range(WORKERS)]

    def drain(i: int) -> list[str]:
        taken = []
        while (alarm := stores[i].alarms.claim_next()) is not None:
            taken.append(alarm.id)
        return taken

    taken = [alarm_id for ids in _together(drain) for alarm_id in ids]
    assert len(taken) == len(set(taken)) == 60
    assert intake.alarms.waiting() == 60  # all verifying, none queued
    assert {a.status for a in intake.alarms.list(limit=100)} == {"verifying"}


def test_the_audit_chain_keeps_one_head_under_concurrent_writers(sql_settings):
    stores = [Store(sql_settings) for _ in range(WORKERS)]

    def write(i: int) -> None:
        for n in range(15):
            stores[i].audit.record(f"worker-{i}", "search", "search", {"n": n})

    _together(write)
    report = stores[0].audit.verify()
    assert report.intact, report.problems
    assert report.last_seq == report.checked == WORKERS * 15


def test_workers_starting_together_on_a_new_database_migrate_it_once(sql_settings):
    stores = _together(lambda i: Store(sql_settings))
    assert {s.db.revision for s in stores} == {NEWEST}


def test_a_starting_worker_takes_back_only_the_claims_of_dead_workers(sql_settings):
    """A claim younger than the lease is another worker's alarm in hand; older, its worker
    died."""
    store = Store(sql_settings)
    for i in range(2):
        new = NewAlarm("nvr", f"c{i}", "lobby", START + timedelta(seconds=i), "pir", 2)
        store.alarms.accept(new, max_unverified=10)
    store.alarms.claim_next()
    store.alarms.claim_next()
    now = datetime.now(UTC)
    assert store.alarms.requeue_unfinished(now - timedelta(minutes=5)) == 0
    assert store.alarms.requeue_unfinished(now + timedelta(seconds=1)) == 2
    assert store.alarms.claim_next() is not None
    assert store.alarms.requeue_unfinished() == 1  # alone on the queue: all of them


def test_of_a_take_and_a_review_at_the_same_moment_only_one_wins(sql_settings):
    """Operators on separate connections: one takes an alarm while another reviews it.
    Whichever lands first, the other is refused; never both."""
    from vigil.domain import AlarmReview

    intake = Store(sql_settings)
    for i in range(8):
        new = NewAlarm("nvr", f"race{i}", "lobby", START + timedelta(seconds=i), "pir", 2)
        intake.alarms.accept(new, max_unverified=1000)
    ids = [a.id for a in intake.alarms.list(limit=100) if a.source_event_id.startswith("race")]
    taker, reviewer = Store(sql_settings), Store(sql_settings)
    for alarm_id in ids:
        review = AlarmReview(
            decision="confirm", verdict="confirmed", reason="seen", by="rob", at=datetime.now(UTC)
        )

        def attempt(i: int, alarm_id: str = alarm_id, review: AlarmReview = review) -> bool:
            if i == 0:
                return taker.alarms.handle(alarm_id, "tess", "tess", False, False)
            return reviewer.alarms.record_review(alarm_id, review)

        took, reviewed = _together(attempt, workers=2)
        done = intake.alarms.get(alarm_id)
        assert took != reviewed  # exactly one of them
        assert (done.review is not None) == reviewed and done.owner == ("tess" if took else "rob")
    # a supervisor's take-over lands whoever holds it
    alarm_id = ids[0]
    if intake.alarms.get(alarm_id).review is None:
        over = AlarmReview(
            decision="confirm", verdict="confirmed", reason="over", by="sam", at=datetime.now(UTC)
        )
        assert not reviewer.alarms.record_review(alarm_id, over)
        assert reviewer.alarms.record_review(alarm_id, over, take_over=True)
