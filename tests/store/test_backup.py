"""`vigil backup` and `vigil restore`: a round trip on SQLite and on PostgreSQL, each
restored into the other kind of database too; search results, the audit chain, users and
alarms come back as they were."""

from __future__ import annotations

import pytest

from tests.conftest import START
from vigil.errors import InvalidInputError
from vigil.ingest import Ingestor
from vigil.search.service import SearchService
from vigil.store import NewAlarm, Store
from vigil.store.backup import backup, restore

pytestmark = pytest.mark.slow


def _seen(store: Store, settings, models) -> dict:
    hits = SearchService(settings, store, models).search("a person walking", k=5).moments
    return {
        "hits": [(h.best_keyframe, h.score, h.caption) for h in hits],
        "keyframes": [(k.id, k.caption, k.thumbnail) for k in store.keyframes.list()],
        "tracks": [(t.number, t.attributes) for t in store.tracks.list()],
        "audit": [(e.seq, e.hash) for e in store.audit.entries(limit=1000)],
        "alarms": [(a.id, a.status) for a in store.alarms.list()],
    }


def test_a_backup_restores_into_either_kind_of_store(
    sql_settings, models, synthetic_video, postgres, tmp_path
):
    store = Store(sql_settings)
    Ingestor(sql_settings, store, models).ingest(synthetic_video, "hall", START)
    store.users.add("olivia", "operator", "a long passphrase", "admin")
    store.alarms.accept(NewAlarm("nvr", "e1", "hall", START, "pir", 2), max_unverified=10)
    from vigil.keys import init_keys

    init_keys(sql_settings.keys_dir)
    store.audit.checkpoint()  # a signed checkpoint file, kept with the backup
    before = _seen(store, sql_settings, models)
    assert before["hits"] and before["tracks"] and len(before["audit"]) >= 2

    folder = tmp_path / "backup"
    taken = backup(store, folder)
    assert taken.vectors > 0 and taken.rows["keyframes"] == len(before["keyframes"])
    with pytest.raises(InvalidInputError, match="not empty"):
        backup(store, folder)

    on_sqlite = sql_settings.database_url is None
    target = sql_settings.model_copy(
        update={
            "data_dir": tmp_path / "restored",
            "database_url": postgres.database(f"restored{id(store)}") if on_sqlite else None,
        }
    )
    restore(target, folder)
    restored = Store(target)
    assert _seen(restored, target, models) == before
    assert restored.audit.verify().intact
    assert (
        target.audit_checkpoint_path.read_bytes() == sql_settings.audit_checkpoint_path.read_bytes()
    )
    assert restored.users.check("olivia", "a long passphrase").role == "operator"
    assert restored.check().problems == []
    restored.audit.record("olivia", "search", "search", {"q": "after"})  # ids continue
    restored.alarms.accept(NewAlarm("nvr", "e2", "hall", START, "pir", 2), max_unverified=10)
    assert restored.audit.verify().intact
    with pytest.raises(InvalidInputError, match="not empty"):
        restore(target, folder)
