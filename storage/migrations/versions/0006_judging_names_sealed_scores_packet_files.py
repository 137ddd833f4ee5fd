"""Judging without loopholes: cycle and panel names unique up to case and spacing, sealed panel scores, and the file
Slack stored for each uploaded packet (so it can be deleted when its reader may no longer read it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import unicodedata

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    """storage.models.name_key as of this revision (a migration keeps its own copy of the rule it applies)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _fill_name_keys(table: str) -> None:
    """Existing names get their key; where two already coincide ("2027 H1" and "2027 h1"), the later one is renamed
    "… (2)" so the unique key can hold, and nothing is lost."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, team_id, name FROM {table} ORDER BY id")).all()
    taken: set[tuple[str, str]] = set()
    for row_id, team_id, name in rows:
        new_name, suffix = name, 1
        while (team_id, _key(new_name)) in taken:
            suffix += 1
            new_name = f"{name[:74]} ({suffix})"
        taken.add((team_id, _key(new_name)))
        connection.execute(
            sa.text(f"UPDATE {table} SET name = :name, name_key = :key WHERE id = :id"),
            {"name": new_name, "key": _key(new_name), "id": row_id},
        )


def upgrade() -> None:
    for table, constraint in (("promotion_cycle", "uq_cycle_team_name_key"), ("panel", "uq_panel_team_name_key")):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("name_key", sqlmodel.AutoString(length=80), nullable=False, server_default=""))
        _fill_name_keys(table)
        with op.batch_alter_table(table) as batch:
            batch.create_unique_constraint(constraint, ["team_id", "name_key"])
    with op.batch_alter_table("panel_score") as batch:
        batch.add_column(sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("file_id", sqlmodel.AutoString(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("file_id")
    with op.batch_alter_table("panel_score") as batch:
        batch.drop_column("sealed_at")
    for table, constraint in (("panel", "uq_panel_team_name_key"), ("promotion_cycle", "uq_cycle_team_name_key")):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(constraint, type_="unique")
            batch.drop_column("name_key")
