"""Promotion cycles' dates (panel review, decisions, appeal window) and review panels with their members.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "panel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.AutoString(length=80), nullable=False),
        sa.Column("kind", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("chair", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("channel", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("created_by", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "name", name="uq_panel_team_name"),
    )
    op.create_table(
        "panel_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panel.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "panel_id", "user_id", name="uq_panel_member"),
    )
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_member_panel_id"), ["panel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_panel_member_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("promotion_cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("panel_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decisions_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("appeal_days", sa.Integer(), nullable=False, server_default="10"))
        batch_op.add_column(sa.Column("created_by", sqlmodel.AutoString(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("promotion_cycle", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("created_by")
        batch_op.drop_column("appeal_days")
        batch_op.drop_column("decisions_on")
        batch_op.drop_column("panel_from")

    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_panel_member_panel_id"))

    op.drop_table("panel_member")
    op.drop_table("panel")
