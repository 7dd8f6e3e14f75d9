"""The schema of Vigil 0.1 (cameras, videos, ingest jobs, keyframes, conversations).

A data dir made before migrations existed has exactly these tables; it is stamped with
this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from vigil.store.sql import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None
UTC_TIME = UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cameras",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=128), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("tool_calls", sa.JSON(), nullable=False),
        sa.Column("window", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_turns_conversation_id"), "turns", ["conversation_id"], unique=False)
    op.create_table(
        "videos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("start_utc", UTC_TIME, nullable=False),
        sa.Column("fps", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("codec", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["cameras.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("camera_id", "sha256"),
    )
    op.create_index(op.f("ix_videos_sha256"), "videos", ["sha256"], unique=False)
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.Column("keyframes_added", sa.Integer(), nullable=False),
        sa.Column("keyframes_skipped", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "keyframes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("frame_index", sa.Integer(), nullable=False),
        sa.Column("offset_s", sa.Float(), nullable=False),
        sa.Column("utc", UTC_TIME, nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("thumbnail", sa.String(length=80), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("detections", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["camera_id"],
            ["cameras.id"],
        ),
        sa.ForeignKeyConstraint(
            ["video_id"],
            ["videos.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_keyframes_camera_id"), "keyframes", ["camera_id"], unique=False)
    op.create_index("ix_keyframes_camera_utc", "keyframes", ["camera_id", "utc"], unique=False)
    op.create_index(op.f("ix_keyframes_utc"), "keyframes", ["utc"], unique=False)
    op.create_index(op.f("ix_keyframes_video_id"), "keyframes", ["video_id"], unique=False)
    op.create_table(
        "frame_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keyframe_id", sa.String(length=40), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["keyframe_id"],
            ["keyframes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("keyframe_id", "question", "model"),
    )
    op.create_index(
        op.f("ix_frame_answers_keyframe_id"), "frame_answers", ["keyframe_id"], unique=False
    )


def downgrade() -> None:
    for table in (
        "frame_answers",
        "keyframes",
        "ingest_jobs",
        "videos",
        "turns",
        "conversations",
        "cameras",
    ):
        op.drop_table(table)
