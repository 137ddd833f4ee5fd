"""Import who is at which level from a CSV, so Ladder can answer "what's my next level?".

Bad rows are reported by their line number and skipped; good rows are kept. Importing the same
file twice changes nothing, so the import can run on a schedule from an HR export.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Protocol

from bot.framework.model import Framework, Level, Track
from bot.framework.names import normalize

_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
COLUMN_NAMES = {
    "person": ("email", "e_mail", "email_address", "slack_id", "slack_user_id", "user_id", "user", "person", "id"),
    "track": ("track",),
    "level": ("level", "level_id"),
    "manager": ("manager", "manager_email", "manager_id", "manager_slack_id", "manager_user_id"),
    "name": ("name", "full_name", "real_name"),
}
"""Accepted header names for each column (case, spaces and punctuation ignored), first match wins."""


@dataclass(frozen=True)
class PersonRow:
    row: int
    person: str
    """An email address or a Slack user id."""
    track: str
    level: str
    manager: str | None = None
    name: str | None = None


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int
    message: str


@dataclass(frozen=True)
class DirectoryUser:
    user_id: str
    name: str
    email: str | None = None


class Directory(Protocol):
    """Who is who in the workspace; Slack's users API in production."""

    def lookup_by_email(self, email: str) -> DirectoryUser | None: ...

    def user_info(self, user_id: str) -> DirectoryUser | None: ...


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = [f"row {p.row}: {p.message}" for p in sorted(self.problems)]
        total = self.created + self.updated + self.unchanged
        skipped = f"; {self.skipped} row{'s' if self.skipped != 1 else ''} skipped" if self.skipped else ""
        lines.append(f"imported {total} people ({self.created} new, {self.updated} updated, {self.unchanged} unchanged){skipped}")
        return lines


def is_slack_id(value: str) -> bool:
    return bool(_SLACK_ID.match(value))


def parse_people_csv(text: str, framework: Framework) -> tuple[list[PersonRow], list[RowProblem]]:
    """Rows that name a known level on a known track, and a problem for every other row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ValueError(f"not a readable CSV file (line {reader.line_num}: {exc})") from None
    header = records[0] if records else None
    if not header or not any(cell.strip() for cell in header):
        raise ValueError("the file is empty; expected a header row: email,track,level,manager")
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        found.setdefault(normalize(cell).replace(" ", "_"), index)  # a repeated header: the first column counts
    columns = {column: next((found[n] for n in names if n in found), None) for column, names in COLUMN_NAMES.items()}
    if columns["person"] is None or columns["level"] is None:
        raise ValueError(
            f"missing column(s): the header must name 'email' or 'slack_id', and 'level' (found: {', '.join(header)})"
        )
    rows: list[PersonRow] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns[name]
            return cells[index].strip() if index is not None and index < len(cells) else ""

        parsed = _row(number, cell("person"), cell("track"), cell("level"), cell("manager"), cell("name"), framework)
        (rows if isinstance(parsed, PersonRow) else problems).append(parsed)
    return rows, problems


def _row(
    number: int, person: str, track_text: str, level_text: str, manager: str, name: str, framework: Framework
) -> PersonRow | RowProblem:
    if not person:
        return RowProblem(number, "no email or Slack id for the person")
    if "@" not in person and not is_slack_id(person):
        return RowProblem(number, f"'{person}' is neither an email address nor a Slack user id")
    if not level_text:
        return RowProblem(number, f"no level for '{person}'")
    level = _find_level(framework, level_text)
    if level is None:
        known = ", ".join(lv.id for lv in framework.levels)
        return RowProblem(number, f"unknown level '{level_text}' (known: {known})")
    if track_text:
        track = _find_track(framework, track_text)
        if track is None:
            return RowProblem(number, f"unknown track '{track_text}' (known: {', '.join(t.id for t in framework.tracks)})")
        if track.id != level.track_id:
            return RowProblem(number, f"level '{level.id}' is on track '{level.track_id}', not '{track.id}'")
    return PersonRow(number, person, level.track_id, level.id, manager or None, name or None)


def _find_level(framework: Framework, text: str) -> Level | None:
    key = normalize(text)
    return (
        next((lv for lv in framework.levels if key in {normalize(n) for n in (lv.id, lv.title, *lv.aliases)}), None)
        if key
        else None
    )


def _find_track(framework: Framework, text: str) -> Track | None:
    key = normalize(text)
    return next((t for t in framework.tracks if key in {normalize(n) for n in (t.id, t.name, *t.aliases)}), None)


class PeopleStore(Protocol):
    """Where imported people go: :class:`storage.repositories.PeopleRepository` in production.

    ``upsert`` answers "created", "updated" or "unchanged" (a str enum is fine), which the report counts.
    """

    def upsert(
        self, team_id: str, user_id: str, *, name: str, email: str | None, track: str, level: str, manager_user_id: str | None
    ) -> str: ...


def import_people(rows: list[PersonRow], directory: Directory, store: PeopleStore, team_id: str) -> ImportReport:
    """Resolve each row to a Slack user and save it; a row nobody in Slack matches is skipped and reported.

    An unknown manager does not cost the person their level: they are saved without a manager.
    """
    report = ImportReport()
    for row in rows:
        user = _resolve(directory, row.person)
        if user is None:
            report.problems.append(RowProblem(row.row, f"no Slack user found for '{row.person}'"))
            report.skipped += 1
            continue
        manager_id = None
        if row.manager:
            manager = _resolve(directory, row.manager)
            if manager is None:
                report.problems.append(
                    RowProblem(row.row, f"no Slack user found for manager '{row.manager}'; imported without a manager")
                )
            else:
                manager_id = manager.user_id
        outcome = store.upsert(
            team_id,
            user.user_id,
            name=row.name or user.name,
            email=user.email,
            track=row.track,
            level=row.level,
            manager_user_id=manager_id,
        )
        counter = str(outcome)
        setattr(report, counter, getattr(report, counter) + 1)
    return report


def _resolve(directory: Directory, who: str) -> DirectoryUser | None:
    return directory.user_info(who) if is_slack_id(who) else directory.lookup_by_email(who)
