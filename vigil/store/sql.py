"""Relational data (cameras, videos, ingest jobs, keyframes) in SQL via SQLAlchemy.

SQLite under the data dir by default; any SQLAlchemy URL works (PostgreSQL at scale).
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    false,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from vigil.errors import InvalidInputError


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A point in time, stored as UTC and read back with UTC attached.

    SQLite keeps datetimes as text without a zone, so an aware value in another zone would
    compare wrongly; every value is converted to UTC on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a point in time is needed")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Camera(Base):
    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    site: Mapped[str] = mapped_column(String(128), default="default")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Video(Base):
    __tablename__ = "videos"
    __table_args__ = (UniqueConstraint("camera_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime())
    fps: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    codec: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="ingesting")  # ingesting | complete
    scene_words: Mapped[list | None] = mapped_column(JSON, nullable=True)  # migration 0011


class IngestJob(Base):
    __tablename__ = "ingest_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id"))
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|done|failed
    started_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_utc: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    keyframes_added: Mapped[int] = mapped_column(Integer, default=0)
    keyframes_skipped: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    models: Mapped[dict] = mapped_column(JSON, default=dict)


class Keyframe(Base):
    __tablename__ = "keyframes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id"), index=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"), index=True)
    frame_index: Mapped[int] = mapped_column(Integer)
    offset_s: Mapped[float] = mapped_column(Float)
    utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    thumbnail: Mapped[str] = mapped_column(String(80))  # sha256.jpg under thumbnails/
    caption: Mapped[str] = mapped_column(Text)
    detections: Mapped[list] = mapped_column(JSON, default=list)
    labels: Mapped[list] = mapped_column(JSON, default=list)
    # facts a search can filter by (migration 0002): counts and the objects named in view
    people: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    vehicles: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    objects: Mapped[list | None] = mapped_column(JSON, default=list, nullable=True)
    # when caption and labels were last written (migration 0006; NULL: before it)
    text_utc: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)

    # a camera's keyframes in a time window: the scope of every filtered search
    __table_args__ = (Index("ix_keyframes_camera_utc_id", "camera_id", "utc", "id"),)


class Track(Base):
    """One person, vehicle or moving thing followed through a video (migration 0003)."""

    __tablename__ = "tracks"
    __table_args__ = (
        UniqueConstraint("video_id", "number"),
        Index("ix_tracks_camera_first", "camera_id", "first_utc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id"), index=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id"))
    number: Mapped[int] = mapped_column(Integer)  # the track's number within its video
    cls: Mapped[str] = mapped_column(String(16))  # person | vehicle | object
    label: Mapped[str | None] = mapped_column(String(64), nullable=True)
    first_utc: Mapped[datetime] = mapped_column(UTCDateTime())
    last_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    first_offset_s: Mapped[float] = mapped_column(Float)
    last_offset_s: Mapped[float] = mapped_column(Float)
    still_s: Mapped[float] = mapped_column(Float)
    entry_side: Mapped[str] = mapped_column(String(8))
    exit_side: Mapped[str] = mapped_column(String(8))
    direction: Mapped[str] = mapped_column(String(16))
    # facts from the keyframes that show it, and where it went
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)  # colours, carrying, ...
    still_spans: Mapped[list] = mapped_column(JSON, default=list)
    path: Mapped[list] = mapped_column(JSON, default=list)
    keyframe_ids: Mapped[list] = mapped_column(JSON, default=list)


class Alarm(Base):
    """An alarm taken in from a source, queued for verification, then its verdict and the
    operator's review. (source, source_event_id) is the idempotency key."""

    __tablename__ = "alarms"
    __table_args__ = (UniqueConstraint("source", "source_event_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_event_id: Mapped[str] = mapped_column(String(128))
    camera: Mapped[str] = mapped_column(String(64))  # the policy's camera name
    utc: Mapped[datetime] = mapped_column(UTCDateTime())  # when it triggered
    kind: Mapped[str] = mapped_column(String(64))  # motion, intrusion, line crossing, ...
    zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")  # the source's words, never obeyed
    snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)  # a reference only
    received_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    priority: Mapped[int] = mapped_column(Integer)  # 1 low .. 4 critical
    status: Mapped[str] = mapped_column(String(16))  # queued | verifying | verified
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_utc: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # 0012
    verdict: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)  # the verdict word
    verified_utc: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    review: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    revisit_utc: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revisions: Mapped[list | None] = mapped_column(JSON, nullable=True)  # earlier verdicts
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)  # 0014: who has it
    on_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Conversation(Base):
    """An operator's chat with the agent; follow-up questions read its earlier turns."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    title: Mapped[str] = mapped_column(String(200), default="")
    # who asked: the conversation is theirs (and supervisors'); None for one from before
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)


class Turn(Base):
    """One question and its checked answer, with the frames it cites and how it was made."""

    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    citations: Mapped[list] = mapped_column(JSON, default=list)  # frame ids
    tool_calls: Mapped[list] = mapped_column(JSON, default=list)
    window: Mapped[dict] = mapped_column(JSON, default=dict)  # resolved time words
    model: Mapped[str] = mapped_column(String(200))
    prompt_versions: Mapped[dict] = mapped_column(JSON, default=dict)


class FrameAnswer(Base):
    """Cached description of a stored frame, or an answer to a question about it."""

    __tablename__ = "frame_answers"
    __table_args__ = (UniqueConstraint("keyframe_id", "question", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    keyframe_id: Mapped[str] = mapped_column(ForeignKey("keyframes.id"), index=True)
    question: Mapped[str] = mapped_column(Text)  # "" for a plain description
    model: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """One entry of the audit log; ``hash`` covers its fields and the hash before it."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128), index=True)
    detail: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The audit chain's one head row: its last entry, and where pruning left it starting.
    Appending updates this row first, which serialises appends across processes."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    first_seq: Mapped[int] = mapped_column(Integer)
    anchor_hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # operator | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(128))  # argon2id
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cameras: Mapped[list | None] = mapped_column(JSON, nullable=True)  # None: every camera


class RevokedToken(Base):
    """A sign-in or API token ended before its time (signed out): refused until it expires."""

    __tablename__ = "revoked_tokens"

    token_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_utc: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Incident(Base):
    """An incident and where its report stands; its text lives in report versions."""

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("origin", "origin_ref"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(16))  # alarm | chat | moments
    origin_ref: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))  # draft | edited | submitted | approved
    version: Mapped[int] = mapped_column(Integer)


class ReportVersion(Base):
    """One version of an incident's report, as its author left it (never changed)."""

    __tablename__ = "report_versions"

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(64))
    at_utc: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict] = mapped_column(JSON)


class Database:
    """Engine + session factory; brings the schema up to date (migrations) on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.revision = migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


def ensure_known_cameras(session: Session, names: Iterable[str] | None) -> None:
    """Raise a clear error naming the first of ``names`` that is no stored camera."""
    wanted = list(dict.fromkeys(names or ()))
    if not wanted:
        return
    known = set(session.scalars(select(Camera.name).where(Camera.name.in_(wanted))))
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InvalidInputError(f"unknown camera {unknown[0]!r}")


MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
MIGRATION_LOCK = 0x76_69_67_69_6C  # "vigil": the advisory lock migrations hold on PostgreSQL


_MIGRATING = threading.Lock()  # Alembic keeps its context in module globals: one at a time


@contextmanager
def _one_migration_at_a_time(engine: Engine) -> Iterator[object]:
    """A connection in a transaction for migrating, held by one opener at a time:
    processes (and threads) that open a database together take turns, by a process lock
    and PostgreSQL's advisory lock or a file lock beside a SQLite file, held until the
    migration is committed."""
    with _MIGRATING, contextlib.ExitStack() as held:
        sqlite_file = engine.url.get_backend_name() == "sqlite" and engine.url.database
        if sqlite_file and sqlite_file != ":memory:" and Path(sqlite_file).parent.is_dir():
            lock = held.enter_context(open(f"{sqlite_file}.migrating", "a"))
            fcntl.flock(lock, fcntl.LOCK_EX)
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            yield connection


def migrate(engine: Engine) -> str:
    """Upgrade the schema to the newest migration and return its revision.

    A database made before migrations existed (its tables are revision 0001's, with no
    version table) is stamped 0001 first, so its rows are kept and later migrations apply.
    Processes starting together migrate one after another (`_one_migration_at_a_time`).
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _one_migration_at_a_time(engine) as connection:
        config.attributes["connection"] = connection
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None and inspect(connection).has_table("keyframes"):
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")
        return MigrationContext.configure(connection).get_current_revision() or ""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
