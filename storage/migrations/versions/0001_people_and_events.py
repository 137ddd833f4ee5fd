"""People with their levels, and processed Slack events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.AutoString(length=320), nullable=True),
        sa.Column("track", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("level", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("manager_user_id", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_person_team_user"),
    )
    op.create_index("ix_person_team_id", "person", ["team_id"])
    op.create_table(
        "processed_event",
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("event_id", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "event_id"),
    )
    op.create_index("ix_processed_event_received_at", "processed_event", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_event_received_at", table_name="processed_event")
    op.drop_table("processed_event")
    op.drop_index("ix_person_team_id", table_name="person")
    op.drop_table("person")
