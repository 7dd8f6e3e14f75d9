"""Schema changes are migrations: a data dir made before them, or by an older version,
upgrades in place and keeps its rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from vigil.settings import Settings
from vigil.store import Store
from vigil.store.sql import FIRST_REVISION, MIGRATIONS

NEWEST = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("0*.py"))[-1]


def make_pre_migration_data_dir(data_dir) -> None:
    """A data dir as Vigil made it before migrations: `create_all`, no version table, and a
    camera, a video and a keyframe in it."""
    data_dir.mkdir(parents=True)
    db = data_dir / "vigil.db"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with create_engine(f"sqlite:///{db}").begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, FIRST_REVISION)  # the tables Vigil 0.1 made with create_all
        connection.exec_driver_sql("DROP TABLE alembic_version")
    with sqlite3.connect(db) as c:
        c.execute(
            "INSERT INTO cameras (id, name, site, timezone, created_at) "
            "VALUES (1, 'lobby', 'default', 'UTC', '2026-11-20 21:00:00')"
        )
        c.execute(
            "INSERT INTO videos (id, camera_id, path, sha256, size_bytes, start_utc, fps, "
            "duration_s, width, height, codec, status) VALUES (1, 1, '/r/lobby.mp4', "
            f"'{'a' * 64}', 10, '2026-11-20 21:58:00', 25, 60, 640, 480, 'h264', 'complete')"
        )
        c.execute(
            "INSERT INTO keyframes (id, video_id, camera_id, frame_index, offset_s, utc, reason, "
            "thumbnail, caption, detections, labels) VALUES ('aaaaaaaaaaaaaaaa-0000091', 1, 1, "
            "91, 3.64, '2026-11-20 21:58:03.640000', 'change', 'x.jpg', "
            "'1 person: a person in a grey jersey carrying a backpack', "
            '\'[{"cls": "person", "label": "backpack"}]\', \'[]\')'
        )


def test_an_existing_data_dir_is_upgraded_and_keeps_its_keyframes(tmp_path):
    data_dir = tmp_path / "data"
    make_pre_migration_data_dir(data_dir)
    store = Store(Settings(data_dir=data_dir, timezone="UTC"))
    assert store.db.revision == NEWEST
    [frame] = store.keyframes.list(camera="lobby")
    assert frame.caption.startswith("1 person")
    assert frame.people == 1  # migration 0002 derived the facts from its detections
    assert frame.utc == datetime(2026, 11, 20, 21, 58, 3, 640000, tzinfo=UTC)
    assert [c.name for c in store.videos.summaries()] == ["lobby"]
    assert store.tracks.list() == []  # 0003: made before tracking, it has none yet
    assert store.alarms.list() == []  # 0004 to 0006
    assert store.users.list() == [] and store.audit.verify().intact  # 0007
    # opening it again finds it current and changes nothing
    again = Store(Settings(data_dir=data_dir, timezone="UTC"))
    assert again.db.revision == NEWEST and len(again.keyframes.list()) == 1


def test_a_new_data_dir_is_made_by_the_migrations(tmp_path):
    store = Store(Settings(data_dir=tmp_path / "new", timezone="UTC"))
    with sqlite3.connect(tmp_path / "new" / "vigil.db") as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchall() == [(NEWEST,)]
        indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {
        "ix_keyframes_camera_utc_id",
        "ix_keyframes_people",
        "ix_tracks_camera_first",
        "ix_alarms_queue",
    } <= indexes
    assert store.keyframes.count() == 0


def test_every_migration_runs_on_postgresql(postgres, tmp_path):
    """From an empty PostgreSQL database, one revision at a time, to the newest."""
    url = postgres.database("migrations_one_by_one")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revisions = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("0*.py"))
    engine = create_engine(url)
    for revision in revisions:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    engine.dispose()
    store = Store(Settings(data_dir=tmp_path / "pg", database_url=url, timezone="UTC"))
    assert store.db.revision == revisions[-1] == NEWEST
    names = {i["name"] for i in inspect(store.db.engine).get_indexes("keyframes")}
    assert {"ix_keyframes_camera_utc_id", "ix_keyframes_people"} <= names
    assert store.keyframes.count() == 0


def test_vigil_db_upgrade_reports_the_revision(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app
    from vigil.settings import get_settings

    make_pre_migration_data_dir(tmp_path / "data")
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0 and f"schema at revision {NEWEST}" in result.output
