"""Check-ins and their schedules, the outbox, the clock's lease and job store, mentors and stretch work.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apscheduler_jobs_next_run_time"), ["next_run_time"], unique=False)

    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("submission_key", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("track", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("level", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("went_well", sqlmodel.AutoString(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("goals", sqlmodel.AutoString(), nullable=False),
        sa.Column("obstacles", sqlmodel.AutoString(), nullable=False),
        sa.Column("support", sa.JSON(), nullable=False),
        sa.Column("shared_with", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "submission_key", name="uq_checkin_team_submission"),
    )
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_submitted_at"), ["submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkin_user_id"), ["user_id"], unique=False)

    op.create_table(
        "checkin_draft",
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    op.create_table(
        "checkin_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("cadence", sqlmodel.AutoString(length=12), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("timezone", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("away_start", sa.Date(), nullable=True),
        sa.Column("away_end", sa.Date(), nullable=True),
        sa.Column("next_prompt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_prompt_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_checkin_schedule_team_user"),
    )
    with op.batch_alter_table("checkin_schedule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_schedule_next_prompt_at"), ["next_prompt_at"], unique=False)

    op.create_table(
        "clock_lease",
        sa.Column("name", sqlmodel.AutoString(length=40), nullable=False),
        sa.Column("holder", sqlmodel.AutoString(length=120), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "mentor_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("competencies", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", name="uq_mentor_offer_team_user"),
    )
    op.create_table(
        "mentorship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("mentee", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("mentor", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("competency", sqlmodel.AutoString(length=64), nullable=True),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("cadence", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_checkin_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_checkin_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "mentee", "mentor", name="uq_mentorship_pair"),
    )
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentorship_mentee"), ["mentee"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentorship_mentor"), ["mentor"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentorship_next_checkin_at"), ["next_checkin_at"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.AutoString(length=200), nullable=False),
        sa.Column("purpose", sqlmodel.AutoString(length=40), nullable=False),
        sa.Column("recipient", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("respect_dnd", sa.Boolean(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ts", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("channel", sqlmodel.AutoString(length=32), nullable=True),
        sa.Column("error", sqlmodel.AutoString(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "key", name="uq_outbox_team_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "stretch_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("submission_key", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("poster", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("title", sqlmodel.AutoString(length=150), nullable=False),
        sa.Column("description", sqlmodel.AutoString(), nullable=False),
        sa.Column("competencies", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("contact", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "submission_key", name="uq_stretch_team_submission"),
    )
    op.create_table(
        "team_settings",
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("default_cadence", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("holiday_country", sqlmodel.AutoString(length=8), nullable=True),
        sa.Column("holiday_subdivision", sqlmodel.AutoString(length=16), nullable=True),
        sa.Column("extra_holidays", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "stretch_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.AutoString(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["stretch_assignment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "assignment_id", "user_id", name="uq_stretch_interest"),
    )
    with op.batch_alter_table("stretch_interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stretch_interest_assignment_id"), ["assignment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stretch_interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stretch_interest_assignment_id"))

    op.drop_table("stretch_interest")
    op.drop_table("team_settings")
    op.drop_table("stretch_assignment")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_due_at"))

    op.drop_table("outbox")
    with op.batch_alter_table("mentorship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentorship_next_checkin_at"))
        batch_op.drop_index(batch_op.f("ix_mentorship_mentor"))
        batch_op.drop_index(batch_op.f("ix_mentorship_mentee"))

    op.drop_table("mentorship")
    op.drop_table("mentor_offer")
    op.drop_table("clock_lease")
    with op.batch_alter_table("checkin_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_schedule_next_prompt_at"))

    op.drop_table("checkin_schedule")
    op.drop_table("checkin_draft")
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_user_id"))
        batch_op.drop_index(batch_op.f("ix_checkin_submitted_at"))

    op.drop_table("checkin")
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_apscheduler_jobs_next_run_time"))

    op.drop_table("apscheduler_jobs")
