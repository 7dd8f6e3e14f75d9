"""The audit chain and users on a real SQLite store: a changed, removed, reordered or
truncated entry is named; pruning keeps the rest verifiable; passwords are argon2id."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from vigil.errors import InvalidInputError, NotFoundError
from vigil.reports.workflow import next_status
from vigil.store import Store


@pytest.fixture
def store(settings) -> Store:
    store = Store(settings)
    for i in range(6):
        store.audit.record("ann", "search", "search", {"query": f"red car {i}"})
    return store


def _sql(store: Store, statement: str, *args) -> None:
    db = sqlite3.connect(store.settings.data_dir / "vigil.db")
    db.execute(statement, args)
    db.commit()
    db.close()


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
    db = sqlite3.connect(store.settings.data_dir / "vigil.db")
    (stored,) = db.execute("select password_hash from users").fetchone()
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
