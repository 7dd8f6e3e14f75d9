"""Tracks: each person, vehicle or moving thing followed through a video.

Videos ingested before this revision have no tracks until they are ingested again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("video_id", sa.Integer(), sa.ForeignKey("videos.id"), nullable=False),
        sa.Column("camera_id", sa.Integer(), sa.ForeignKey("cameras.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("cls", sa.String(16), nullable=False),
        sa.Column("label", sa.String(64), nullable=True),
        sa.Column("first_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_offset_s", sa.Float(), nullable=False),
        sa.Column("last_offset_s", sa.Float(), nullable=False),
        sa.Column("still_s", sa.Float(), nullable=False),
        sa.Column("entry_side", sa.String(8), nullable=False),
        sa.Column("exit_side", sa.String(8), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("still_spans", sa.JSON(), nullable=False),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("keyframe_ids", sa.JSON(), nullable=False),
        sa.UniqueConstraint("video_id", "number"),
    )
    op.create_index("ix_tracks_video_id", "tracks", ["video_id"])
    op.create_index("ix_tracks_last_utc", "tracks", ["last_utc"])
    op.create_index("ix_tracks_camera_first", "tracks", ["camera_id", "first_utc"])


def downgrade() -> None:
    op.drop_table("tracks")
