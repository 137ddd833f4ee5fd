"""A framework file an admin uploads to Ladder in Slack is kept as it was checked, so Publish publishes exactly that
text (not the file downloaded again).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "framework_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.AutoString(length=200), nullable=False),
        sa.Column("source", sqlmodel.AutoString(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("digest", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("uploaded_by", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "key", name="uq_framework_upload_team_key"),
    )
    with op.batch_alter_table("framework_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_framework_upload_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("framework_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_upload_team_id"))
    op.drop_table("framework_upload")
