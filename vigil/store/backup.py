"""A consistent copy of a site's store, taken while it runs, and put back into an empty one.

What a backup folder holds:
- ``sql/<table>.jsonl``: every row of every table, read in one snapshot transaction
  (SQLite: one read transaction over the WAL; PostgreSQL: REPEATABLE READ), so the rows
  agree with each other. Rows, not a database file: a SQLite backup restores into
  PostgreSQL and back.
- ``vectors/<n>.npz`` + ``.json``: every Chroma collection (keyframe captions and images,
  tracks), embedded or on a server, with its ids, metadata and documents.
- ``files/``: thumbnails, recorded live segments, the site's keys and the audit
  checkpoint file. (The site's private key is in it: keep backups where the key may be.)
- ``manifest.json``: the schema revision, the row and vector counts, when and from where.

SQL is read first and the files last; a vector or thumbnail written after the SQL
snapshot is an orphan the restore's `Store.check` repair removes, so a restore is
consistent whatever ran meanwhile.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import func, select, text

from vigil.errors import InvalidInputError
from vigil.settings import Settings
from vigil.store.sql import Base

FORMAT = 1
PAGE = 2000  # vectors read per request
CHECKPOINTS = "audit-checkpoints.jsonl"  # the signed audit checkpoints, wherever they live


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore moved."""

    folder: Path
    revision: str
    rows: dict[str, int]
    vectors: int
    files: int


def _value(v):
    if isinstance(v, datetime):
        return {"$t": v.isoformat()}
    if isinstance(v, bytes):
        return {"$b": base64.b64encode(v).decode()}
    return v


def _restored(v):
    """A value as `_value` wrote it: times (all UTC in this schema) and bytes tagged."""
    if isinstance(v, dict) and "$t" in v:
        t = datetime.fromisoformat(v["$t"])
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t
    if isinstance(v, dict) and "$b" in v:
        return base64.b64decode(v["$b"])
    return v


def _file_sources(settings: Settings) -> dict[str, Path]:
    return {
        "thumbnails": settings.thumbnails_dir,
        "live": settings.live_dir,
        "keys": settings.keys_dir,
    }


def backup(store, folder: Path) -> BackupSummary:
    """Copy ``store`` (a `vigil.store.Store`) into the new or empty ``folder``."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInputError(f"{folder} is not empty: back up into a new folder")
    (folder / "sql").mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    engine = store.db.engine
    options = {} if engine.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        for table in Base.metadata.sorted_tables:
            with (folder / "sql" / f"{table.name}.jsonl").open("w") as out:
                n = 0
                for row in conn.execute(select(table)).mappings():
                    out.write(json.dumps({k: _value(v) for k, v in row.items()}) + "\n")
                    n += 1
            rows[table.name] = n
    vectors = _backup_vectors(store, folder / "vectors")
    files = 0
    for name, source in _file_sources(store.settings).items():
        if source.is_dir():
            shutil.copytree(source, folder / "files" / name)
            files += sum(1 for p in (folder / "files" / name).rglob("*") if p.is_file())
    checkpoints = store.settings.audit_checkpoint_path  # the file alone: it may live elsewhere
    if checkpoints.is_file():
        shutil.copy2(checkpoints, folder / "files" / CHECKPOINTS)
        files += 1
    summary = BackupSummary(folder, revision, rows, vectors, files)
    manifest = {
        "format": FORMAT,
        "revision": revision,
        "taken_utc": datetime.now(UTC).isoformat(),
        "sql": engine.dialect.name,
        "rows": rows,
        "vectors": vectors,
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return summary


def _backup_vectors(store, folder: Path) -> int:
    folder.mkdir(parents=True)
    client, total = store.vectors.client, 0
    for n, listed in enumerate(client.list_collections()):
        coll = client.get_collection(listed.name)
        ids, embeddings, metadatas, documents = [], [], [], []
        offset = 0
        while True:
            page = coll.get(
                include=["embeddings", "metadatas", "documents"], limit=PAGE, offset=offset
            )
            if not page["ids"]:
                break
            ids += page["ids"]
            embeddings += list(page["embeddings"])
            metadatas += page["metadatas"]
            documents += page["documents"]
            offset += len(page["ids"])
        np.savez(folder / f"{n}.npz", embeddings=np.asarray(embeddings, dtype=np.float32))
        meta = {"metadata": listed.metadata, "ids": ids, "metadatas": metadatas,
                "documents": documents}  # fmt: skip
        (folder / f"{n}.json").write_text(json.dumps(meta))
        total += len(ids)
    return total


def restore(settings: Settings, folder: Path) -> BackupSummary:
    """Put a backup into the empty store ``settings`` name (a new data dir; an empty
    database and Chroma where those are servers), then check it."""
    from vigil.store import Store

    folder = Path(folder)
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        raise InvalidInputError(f"{folder} holds no Vigil backup (no manifest.json)")
    manifest = json.loads(manifest_file.read_text())
    if manifest.get("format") != FORMAT:
        raise InvalidInputError(f"{folder}: backup format {manifest.get('format')} unknown")
    store = Store(settings)
    if store.keyframes.count() or store.users.list() or store.vectors.counts():
        raise InvalidInputError("the store to restore into is not empty: use a new data dir")
    if store.db.revision != manifest["revision"]:
        raise InvalidInputError(
            f"the backup is of schema {manifest['revision']}, this Vigil's is "
            f"{store.db.revision}: restore with the version that took it"
        )
    rows: dict[str, int] = {}
    with store.db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())  # what the migrations seeded (the audit head)
        for table in Base.metadata.sorted_tables:
            source = folder / "sql" / f"{table.name}.jsonl"
            lines = source.read_text().splitlines() if source.is_file() else []
            batch = [{k: _restored(v) for k, v in json.loads(line).items()} for line in lines]
            if batch:
                conn.execute(table.insert(), batch)
            rows[table.name] = len(batch)
        if conn.dialect.name == "postgresql":  # serial ids continue after the restored ones
            for table in Base.metadata.sorted_tables:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (
                        column.autoincrement == "auto" and column.type.python_type is int
                    ):
                        top = conn.execute(select(func.max(column))).scalar()
                        if top is not None:
                            conn.execute(
                                text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
                                {"t": table.name, "c": column.name, "v": top},
                            )
    vectors = _restore_vectors(store, folder / "vectors")
    files = 0
    for name, target in _file_sources(settings).items():
        source = folder / "files" / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
            files += sum(1 for p in source.rglob("*") if p.is_file())
    if (folder / "files" / CHECKPOINTS).is_file():
        settings.audit_checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / "files" / CHECKPOINTS, settings.audit_checkpoint_path)
        files += 1
    store.check(repair=True)
    return BackupSummary(folder, manifest["revision"], rows, vectors, files)


def _restore_vectors(store, folder: Path) -> int:
    total = 0
    for meta_file in sorted(folder.glob("*.json")):
        meta = json.loads(meta_file.read_text())
        about = meta["metadata"] or {}
        if not meta["ids"] or "space" not in about:
            continue
        embeddings = np.load(meta_file.with_suffix(".npz"))["embeddings"]
        for start in range(0, len(meta["ids"]), PAGE):
            end = start + PAGE
            store.vectors.upsert(
                about["space"],
                about["model"],
                about["camera"],
                meta["ids"][start:end],
                embeddings[start:end],
                meta["metadatas"][start:end],
                documents=meta["documents"][start:end],
            )
        total += len(meta["ids"])
    return total
