"""Roles, promotion cycles, nominations, peer review requests, the evidence log and the audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("object_kind", sqlmodel.AutoString(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.AutoString(length=30), nullable=False),
        sa.Column("actor", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_object_id"), ["object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_team_id"), ["team_id"], unique=False)

    op.create_table(
        "evidence_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("subject", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("author", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("submission_key", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("permalink", sqlmodel.AutoString(length=500), nullable=True),
        sa.Column("channel", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("message_ts", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("note", sqlmodel.AutoString(), nullable=False),
        sa.Column("competencies", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "submission_key", name="uq_evidence_submission"),
    )
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_item_author"), ["author"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_item_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_item_subject"), ["subject"], unique=False)

    op.create_table(
        "promotion_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.AutoString(length=80), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("reviews_due_on", sa.Date(), nullable=True),
        sa.Column("review_cap", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "name", name="uq_cycle_team_name"),
    )
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("role", sqlmodel.AutoString(length=20), nullable=False),
        sa.Column("granted_by", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", "role", name="uq_role_team_user_role"),
    )
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("nominee", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nominator", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("from_level", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("target_level", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("track_switch", sa.Boolean(), nullable=False),
        sa.Column("stage", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("case", sa.JSON(), nullable=False),
        sa.Column("portfolio", sa.JSON(), nullable=False),
        sa.Column("reviewers", sa.JSON(), nullable=False),
        sa.Column("draft_key", sqlmodel.AutoString(length=120), nullable=True),
        sa.Column("open_key", sqlmodel.AutoString(length=120), nullable=True),
        sa.Column("submission_key", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("reviews_due_on", sa.Date(), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requests_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stage_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["promotion_cycle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "draft_key", name="uq_nomination_draft"),
        sa.UniqueConstraint("team_id", "open_key", name="uq_nomination_open"),
        sa.UniqueConstraint("team_id", "submission_key", name="uq_nomination_submission"),
    )
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nomination_closes_at"), ["closes_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_nomination_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nomination_nominator"), ["nominator"], unique=False)
        batch_op.create_index(batch_op.f("ix_nomination_nominee"), ["nominee"], unique=False)

    op.create_table(
        "review_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("timezone", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("recommendation", sqlmodel.AutoString(length=20), nullable=True),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("comment", sqlmodel.AutoString(), nullable=False),
        sa.Column("decline_reason", sqlmodel.AutoString(), nullable=False),
        sa.Column("replaced", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["promotion_cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "nomination_id", "reviewer", name="uq_review_request"),
    )
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_request_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_request_next_reminder_at"), ["next_reminder_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_request_nomination_id"), ["nomination_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_request_reviewer"), ["reviewer"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_request_reviewer"))
        batch_op.drop_index(batch_op.f("ix_review_request_nomination_id"))
        batch_op.drop_index(batch_op.f("ix_review_request_next_reminder_at"))
        batch_op.drop_index(batch_op.f("ix_review_request_cycle_id"))

    op.drop_table("review_request")
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nomination_nominee"))
        batch_op.drop_index(batch_op.f("ix_nomination_nominator"))
        batch_op.drop_index(batch_op.f("ix_nomination_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_nomination_closes_at"))

    op.drop_table("nomination")
    op.drop_table("role")
    op.drop_table("promotion_cycle")
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_item_subject"))
        batch_op.drop_index(batch_op.f("ix_evidence_item_created_at"))
        batch_op.drop_index(batch_op.f("ix_evidence_item_author"))

    op.drop_table("evidence_item")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_team_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_object_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
