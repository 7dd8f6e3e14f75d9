"""Conversations belong to their asker; tokens can be ended before they expire.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("owner", sa.String(128), nullable=True))
    op.create_table(
        "revoked_tokens",
        sa.Column("token_id", sa.String(32), primary_key=True),
        sa.Column("expires_utc", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_revoked_tokens_expires_utc", "revoked_tokens", ["expires_utc"])


def downgrade() -> None:
    op.drop_index("ix_revoked_tokens_expires_utc", "revoked_tokens")
    op.drop_table("revoked_tokens")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("owner")
