"""Review panels at work: declared conflicts, panel scores, decisions, appeals, level changes; a person's level date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("appellant", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("reason", sqlmodel.AutoString(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=True),
        sa.Column("hearers", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panel.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", name="uq_appeal_nomination"),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeal_nomination_id"), ["nomination_id"], unique=False)

    op.create_table(
        "conflict_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", "user_id", name="uq_conflict_declaration"),
    )
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_declaration_nomination_id"), ["nomination_id"], unique=False)

    op.create_table(
        "level_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("from_track", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("from_level", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("to_track", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("to_level", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", name="uq_level_change_nomination"),
    )
    with op.batch_alter_table("level_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_level_change_effective_on"), ["effective_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_level_change_user_id"), ["user_id"], unique=False)

    op.create_table(
        "panel_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=True),
        sa.Column("round", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("outcome", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.JSON(), nullable=False),
        sa.Column("next_steps", sa.JSON(), nullable=False),
        sa.Column("summary", sqlmodel.AutoString(), nullable=False),
        sa.Column("decided_by", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("deciders", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panel.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", "round", name="uq_panel_decision"),
    )
    with op.batch_alter_table("panel_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_decision_nomination_id"), ["nomination_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_panel_decision_published_at"), ["published_at"], unique=False)

    op.create_table(
        "panel_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("panelist", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("recommendation", sqlmodel.AutoString(length=20), nullable=False),
        sa.Column("rationale", sqlmodel.AutoString(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panel.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", "panelist", name="uq_panel_score"),
    )
    with op.batch_alter_table("panel_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_score_nomination_id"), ["nomination_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_panel_score_panel_id"), ["panel_id"], unique=False)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("level_since")

    with op.batch_alter_table("panel_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_score_panel_id"))
        batch_op.drop_index(batch_op.f("ix_panel_score_nomination_id"))

    op.drop_table("panel_score")
    with op.batch_alter_table("panel_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_decision_published_at"))
        batch_op.drop_index(batch_op.f("ix_panel_decision_nomination_id"))

    op.drop_table("panel_decision")
    with op.batch_alter_table("level_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_level_change_user_id"))
        batch_op.drop_index(batch_op.f("ix_level_change_effective_on"))

    op.drop_table("level_change")
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_declaration_nomination_id"))

    op.drop_table("conflict_declaration")
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeal_nomination_id"))

    op.drop_table("appeal")
