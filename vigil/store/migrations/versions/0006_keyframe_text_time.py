"""When a keyframe's searchable text (caption, labels) was last written, so a running
search service can pick up re-captioned keyframes, not only new ones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("keyframes") as batch:
        batch.add_column(sa.Column("text_utc", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_keyframes_text_utc", "keyframes", ["text_utc"])


def downgrade() -> None:
    op.drop_index("ix_keyframes_text_utc", "keyframes")
    with op.batch_alter_table("keyframes") as batch:
        batch.drop_column("text_utc")
