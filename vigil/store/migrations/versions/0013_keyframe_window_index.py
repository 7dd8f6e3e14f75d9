"""A time-window search reads keyframe ids from the index alone: (camera, utc) becomes
(camera, utc, id), so a 6 h window of a 100k-keyframe camera (25k ids) no longer visits
the keyframe rows, which carry captions and detections.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_keyframes_camera_utc_id", "keyframes", ["camera_id", "utc", "id"])
    op.drop_index("ix_keyframes_camera_utc", table_name="keyframes")


def downgrade() -> None:
    op.create_index("ix_keyframes_camera_utc", "keyframes", ["camera_id", "utc"])
    op.drop_index("ix_keyframes_camera_utc_id", table_name="keyframes")
