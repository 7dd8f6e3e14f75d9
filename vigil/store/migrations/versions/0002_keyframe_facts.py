"""Keyframe facts a search filters by: people and vehicle counts, the objects in view.

Existing keyframes get them from their stored detections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def facts(detections: list[dict]) -> tuple[int, int, list[str]]:
    """(people, vehicles, object names) from a keyframe's stored detections."""
    people = sum(d.get("cls") == "person" for d in detections)
    vehicles = sum(d.get("cls") == "vehicle" for d in detections)
    names = {d["label"] for d in detections if d.get("label") and d.get("cls") != "person"}
    names |= {c for d in detections for c in d.get("carrying", [])}
    return people, vehicles, sorted(names)


def upgrade() -> None:
    with op.batch_alter_table("keyframes") as batch:
        batch.add_column(sa.Column("people", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("vehicles", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("objects", sa.JSON(), nullable=True))
        batch.create_index("ix_keyframes_people", ["people"])
    keyframes = sa.table(
        "keyframes",
        sa.column("id", sa.String),
        sa.column("detections", sa.JSON),
        sa.column("people", sa.Integer),
        sa.column("vehicles", sa.Integer),
        sa.column("objects", sa.JSON),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(keyframes.c.id, keyframes.c.detections)).all()
    for kid, detections in rows:
        people, vehicles, names = facts(detections or [])
        connection.execute(
            keyframes.update()
            .where(keyframes.c.id == kid)
            .values(people=people, vehicles=vehicles, objects=names)
        )


def downgrade() -> None:
    with op.batch_alter_table("keyframes") as batch:
        batch.drop_index("ix_keyframes_people")
        batch.drop_column("objects")
        batch.drop_column("vehicles")
        batch.drop_column("people")
