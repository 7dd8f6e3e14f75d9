"""Alarm verdicts revised as more video arrives: when to look again, and earlier verdicts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.add_column(sa.Column("revisit_utc", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revisions", sa.JSON(), nullable=True))
    op.create_index("ix_alarms_revisit", "alarms", ["revisit_utc"])


def downgrade() -> None:
    op.drop_index("ix_alarms_revisit", "alarms")
    with op.batch_alter_table("alarms") as batch:
        batch.drop_column("revisions")
        batch.drop_column("revisit_utc")
