"""Every point in time is stored as UTC and named so: `created_at` and friends become
`..._utc` like the columns added since.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RENAMED = {
    "cameras": [("created_at", "created_utc")],
    "conversations": [("created_at", "created_utc")],
    "turns": [("created_at", "created_utc")],
    "frame_answers": [("created_at", "created_utc")],
    "ingest_jobs": [("started_at", "started_utc"), ("finished_at", "finished_utc")],
}


def _rename(forward: bool) -> None:
    # RENAME COLUMN in place (SQLite 3.25+, PostgreSQL): a batch copy would drop tables
    # that others' foreign keys point at
    for table, columns in RENAMED.items():
        for old, new in columns:
            before, after = (old, new) if forward else (new, old)
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {before} TO {after}")


def upgrade() -> None:
    _rename(forward=True)


def downgrade() -> None:
    _rename(forward=False)
