"""What an import will change, per record and field (old → new), before anything is written; and applying it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int
    message: str
    skipped: bool = True
    """False for a problem that leaves the rest of the row imported (its message says what was left alone)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordPlan:
    """One row's record: what is stored now (None: nothing yet) and the fields the row sets, after resolution."""

    row: int
    key: str
    label: str
    """How the plan names the record to a person, e.g. "Ada Lovelace (U0ADA)"."""
    current: Mapping[str, Any] | None
    wanted: Mapping[str, Any]

    @property
    def is_new(self) -> bool:
        return self.current is None

    @property
    def changes(self) -> tuple[FieldChange, ...]:
        before = self.current or {}
        return tuple(
            FieldChange(name, before.get(name), value) for name, value in self.wanted.items() if before.get(name) != value
        )

    @property
    def values(self) -> dict[str, Any]:
        """The fields to write: every wanted field of a new record, the changed ones of a stored record."""
        return {change.field: change.new for change in self.changes}


@dataclass
class Plan:
    records: list[RecordPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.records if r.is_new)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.records if not r.is_new and r.changes)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.records if not r.is_new and not r.changes)

    @property
    def skipped(self) -> int:
        return len({p.row for p in self.problems if p.skipped})

    @property
    def to_write(self) -> list[RecordPlan]:
        return [r for r in self.records if r.changes]

    def change_lines(self) -> list[str]:
        """Per record that changes: '+' (new) or '~' (changed), then one line per field, old → new."""
        lines: list[str] = []
        for record in self.to_write:
            lines.append(f"{'+' if record.is_new else '~'} {record.label} (row {record.row})")
            for change in record.changes:
                value = _shown(change.new) if record.is_new else f"{_shown(change.old)} → {_shown(change.new)}"
                lines.append(f"    {change.field}: {value}")
        return lines

    def problem_lines(self) -> list[str]:
        return [f"row {p.row}: {p.message}" for p in sorted(self.problems)]

    def summary(self, noun: str, dry_run: bool = False) -> str:
        """ "imported 3 people (1 new, 1 updated, 1 unchanged); 2 rows skipped", or for a dry run what it would do."""
        total = len(self.records)
        counts = f"{total} {noun} ({self.created} new, {self.updated} updated, {self.unchanged} unchanged)"
        skipped = f"; {self.skipped} row{'s' if self.skipped != 1 else ''} skipped" if self.skipped else ""
        return f"dry run: would import {counts}{skipped}; nothing was written" if dry_run else f"imported {counts}{skipped}"


def _shown(value: Any) -> str:
    return "(none)" if value is None or value == "" else str(value)
