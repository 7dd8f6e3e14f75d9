"""Alarms: taken in from sources, queued, verified, reviewed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alarms",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("source_event_id", sa.String(128), nullable=False),
        sa.Column("camera", sa.String(64), nullable=False),
        sa.Column("utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("received_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("verified_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review", sa.JSON(), nullable=True),
        sa.UniqueConstraint("source", "source_event_id"),
    )
    op.create_index("ix_alarms_queue", "alarms", ["status", "priority", "received_utc"])
    op.create_index("ix_alarms_camera_utc", "alarms", ["camera", "utc"])


def downgrade() -> None:
    op.drop_table("alarms")
