"""When a worker claimed each alarm it is verifying: several workers share one queue on
PostgreSQL, and only an alarm whose claim is older than the lease is taken back from a
worker that died (a starting worker must not take back another's alarm in hand).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.add_column(sa.Column("claimed_utc", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.drop_column("claimed_utc")
