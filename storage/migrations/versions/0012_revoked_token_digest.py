"""A tenant remembers the bot token an uninstall revoked in single-workspace mode (its sha256, never the token), so a
process started again with that token makes no Slack call with it, and one started with a new token makes the
workspace active again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_token_digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("revoked_token_digest")
