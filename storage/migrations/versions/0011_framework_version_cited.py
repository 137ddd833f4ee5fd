"""Nominations and panel decisions cite the framework version they were made under: the tenant's published version's
number, or NULL for the deployment's default framework.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.add_column(sa.Column("framework_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("panel_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("framework_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("panel_decision", schema=None) as batch_op:
        batch_op.drop_column("framework_version")
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.drop_column("framework_version")
