"""The audit chain and users on a real store, SQLite and PostgreSQL: a changed, removed,
reordered or truncated entry is named; pruning keeps the rest verifiable; passwords are
argon2id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from vigil.errors import InvalidInputError, NotFoundError
from vigil.store import Store
from vigil.workflow import next_status


@pytest.fixture
def store(sql_settings) -> Store:
    store = Store(sql_settings)
    for i in range(6):
        store.audit.record("ann", "search", "search", {"query": f"red car {i}"})
    return store


def _sql(store: Store, statement: str, *args) -> None:
    """What a database writer can do outside Vigil: one statement, ``?`` for each of
    ``args``."""
    for i in range(len(args)):
        statement = statement.replace("?", f":p{i}", 1)
    with store.db.engine.begin() as db:
        db.execute(text(statement), {f"p{i}": arg for i, arg in enumerate(args)})


def test_an_intact_chain_verifies(store):
    report = store.audit.verify()
    assert report.intact and (report.checked, report.last_seq) == (6, 6)


def test_a_changed_entry_is_named(store):
    _sql(store, 'update audit_entries set detail=\'{"query": "blue car"}\' where seq=3')
    assert store.audit.verify().problems == ["entry 3 (search search) was changed"]


def test_a_removed_entry_and_a_removed_tail_are_named(store):
    _sql(store, "delete from audit_entries where seq in (2, 6)")
    assert store.audit.verify().problems == [
        "entry 2 is missing (removed)",
        "entries 6-6 are missing (removed at the end)",
    ]


def test_entries_swapped_in_place_are_named(store):
    _sql(store, "update audit_entries set seq=-1 where seq=4")
    _sql(store, "update audit_entries set seq=4 where seq=5")
    _sql(store, "update audit_entries set seq=5 where seq=-1")
    problems = store.audit.verify().problems
    assert problems and all(("entry 4" in p or "entry 5" in p) for p in problems)


def test_a_rehashed_forgery_breaks_the_link_to_the_next_entry(store):
    from vigil.audit import entry_hash

    e = store.audit.entries()[2]
    forged = entry_hash(e.seq, e.at, "mallory", e.action, e.subject, e.detail, e.prev_hash)
    _sql(store, "update audit_entries set actor='mallory', hash=? where seq=3", forged)
    assert store.audit.verify().problems == [
        "entry 4 does not follow the entry before it (reordered)"
    ]


def test_pruning_keeps_the_rest_verifiable_and_is_itself_logged(store):
    _sql(store, "update audit_entries set at_utc='2020-01-01 00:00:00' where seq <= 4")
    assert store.audit.prune(timedelta(days=183)) == 4
    report = store.audit.verify()
    assert report.intact and report.first_seq == 5
    assert store.audit.entries()[-1].action == "audit.prune"


def test_users_have_roles_and_argon2_passwords(store):
    store.users.add("olivia", "operator", "a long passphrase", "admin")
    assert store.users.check("olivia", "a long passphrase").role == "operator"
    assert store.users.check("olivia", "wrong passphrase") is None
    assert store.users.check("nobody", "a long passphrase") is None
    with pytest.raises(InvalidInputError, match="exists"):
        store.users.add("olivia", "admin", "another passphrase", "admin")
    with pytest.raises(InvalidInputError, match="at least"):
        store.users.add("sam", "supervisor", "short", "admin")
    with pytest.raises(InvalidInputError, match="role"):
        store.users.add("sam", "janitor", "a long passphrase", "admin")
    with pytest.raises(NotFoundError):
        store.users.set_password("sam", "a long passphrase", "admin")
    store.users.set_password("olivia", "a new long passphrase", "admin")
    assert store.users.check("olivia", "a new long passphrase") is not None
    with store.db.engine.connect() as db:
        stored = db.execute(text("select password_hash from users")).scalar_one()
    assert stored.startswith("$argon2id$") and "passphrase" not in stored
    assert [e.action for e in store.audit.entries(subject_prefix="user:")] == [
        "user.add",
        "user.password",
    ]


@pytest.mark.parametrize(
    ("action", "status", "role", "result"),
    [
        ("edit", "draft", "operator", "edited"),
        ("submit", "edited", "operator", "submitted"),
        ("approve", "submitted", "supervisor", "approved"),
        ("approve", "submitted", "operator", "NotAllowedError"),
        ("approve", "edited", "admin", "StateError"),
        ("edit", "approved", "admin", "StateError"),
        ("amend", "approved", "operator", "edited"),
        ("return", "submitted", "supervisor", "edited"),
    ],
)
def test_the_workflow_rules(action, status, role, result):
    try:
        assert next_status(action, status, role) == result
    except Exception as exc:  # noqa: BLE001 - the error's kind is the expected result
        assert type(exc).__name__ == result


def _rewrite_from(store: Store, seq: int, actor: str) -> None:
    """What a database writer can do: change entry ``seq``'s actor, recompute every later
    hash and link, and move the head; the chain on its own then verifies."""
    from vigil.audit import entry_hash

    entries = [e for e in store.audit.entries(limit=10_000) if e.seq >= seq]
    prev = entries[0].prev_hash
    for e in entries:
        who = actor if e.seq == seq else e.actor
        digest = entry_hash(e.seq, e.at, who, e.action, e.subject, e.detail, prev)
        _sql(store, "update audit_entries set actor=?, prev_hash=?, hash=? where seq=?",
             who, prev, digest, e.seq)  # fmt: skip
        prev = digest
    _sql(store, "update audit_head set hash=? where id=1", prev)


@pytest.fixture
def signed(store) -> Store:
    from vigil.keys import init_keys

    init_keys(store.settings.keys_dir)
    store.audit.checkpoint()
    return store


def test_a_consistent_rewrite_passes_the_chain_but_not_its_signed_checkpoint(signed):
    _rewrite_from(signed, 3, "mallory")
    walked = signed.audit.verify()
    assert [p for p in walked.problems if "checkpoint" not in p] == []  # the chain holds
    assert walked.problems == [
        f"checkpoint 1 (entry 6, {signed.audit.checkpoints.read()[0][0].at}): entry 6 no longer "
        "has the signed hash: the chain up to it was rewritten"
    ]


def test_a_cut_off_tail_with_the_head_moved_back_is_named(signed):
    _sql(signed, "delete from audit_entries where seq > 4")
    digest = signed.audit.entries()[-1].hash
    _sql(signed, "update audit_head set seq=4, hash=? where id=1", digest)
    problems = signed.audit.verify().problems
    assert len(problems) == 1 and "entries were cut off the end" in problems[0]


def test_checkpoints_follow_each_other_and_a_forged_or_removed_one_is_named(signed):
    signed.audit.record("ann", "search", "search", {"query": "later"})
    assert signed.audit.checkpoint().seq == 7
    assert signed.audit.checkpoint().seq == 7  # the head did not move: nothing new
    report = signed.audit.verify()
    assert report.intact and report.checkpoints == 2
    path = signed.audit.checkpoints.path
    first, second = path.read_text().splitlines()
    path.write_text(second + "\n")
    assert "does not follow the checkpoint before it" in signed.audit.verify().problems[0]
    path.write_text(first.replace('"seq":6', '"seq":5') + "\n" + second + "\n")
    assert "not signed by the site's key" in signed.audit.verify().problems[0]


def test_pruned_entries_leave_their_checkpoints_nothing_to_compare(signed):
    _sql(signed, "update audit_entries set at_utc='2020-01-01 00:00:00' where seq <= 6")
    signed.audit.record("ann", "search", "search", {"query": "after"})
    assert signed.audit.prune(timedelta(days=183)) == 6
    assert signed.audit.verify().intact


def test_checkpoints_signed_before_the_key_was_replaced_still_check(signed):
    from vigil.keys import init_keys

    init_keys(signed.settings.keys_dir, replace=True)
    signed.audit.record("ann", "search", "search", {"query": "after the new key"})
    signed.audit.checkpoint()
    report = signed.audit.verify()
    assert report.intact and report.checkpoints == 2
