"""Sender heartbeats: each process running outbox senders keeps a row, refreshed every few seconds by the database's
clock, so the live ones can share each workspace's Slack rate limits between them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sender_heartbeat",
        sa.Column("process", sqlmodel.AutoString(length=120), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("process"),
    )
    with op.batch_alter_table("sender_heartbeat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sender_heartbeat_seen_at"), ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sender_heartbeat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sender_heartbeat_seen_at"))
    op.drop_table("sender_heartbeat")
