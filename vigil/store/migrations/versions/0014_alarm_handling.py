"""Who is handling each alarm and whether it is on hold: an operator takes an alarm, the
others see who has it, and an alarm waiting for a patrol's word can be put on hold.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.add_column(sa.Column("owner", sa.String(128), nullable=True))
        batch.add_column(
            sa.Column("on_hold", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.drop_column("on_hold")
        batch.drop_column("owner")
