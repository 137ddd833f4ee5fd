"""Fairness audits and people's rights over their data: group data kept in its own table, and a record of each
erasure under the pseudonym the erased person's remaining records carry.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("attribute", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.AutoString(length=200), nullable=False),
        sa.Column("source", sqlmodel.AutoString(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", "attribute", "source", name="uq_person_group"),
    )
    with op.batch_alter_table("person_group") as batch:
        batch.create_index(batch.f("ix_person_group_team_id"), ["team_id"], unique=False)
        batch.create_index(batch.f("ix_person_group_user_id"), ["user_id"], unique=False)
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("pseudonym", sqlmodel.AutoString(length=32), nullable=False),
        sa.Column("erased_by", sqlmodel.AutoString(length=64), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "pseudonym", name="uq_erasure_pseudonym"),
    )


def downgrade() -> None:
    op.drop_table("erasure")
    with op.batch_alter_table("person_group") as batch:
        batch.drop_index(batch.f("ix_person_group_user_id"))
        batch.drop_index(batch.f("ix_person_group_team_id"))
    op.drop_table("person_group")
