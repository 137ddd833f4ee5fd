"""Import who is at which level from a CSV, so Ladder can answer "what's my next level?".

The rules of every import (:mod:`bot.imports`): a column left out of the file, or a cell left empty, leaves the stored
value alone — a file of emails and managers changes managers only; ``-`` clears an optional value (``manager``,
``level_since``; for ``name`` it goes back to Slack's name). A new person needs a level. Each import plans first, per
person and field (old → new), and writes nothing for a dry run. Bad rows are reported by their line number and skipped;
good rows are kept. Importing the same file twice changes nothing, so the import can run on a schedule from an HR export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Protocol

from bot.framework.model import Framework, Level, Track
from bot.framework.names import normalize
from bot.imports.plan import Plan, RecordPlan, RowProblem
from bot.imports.table import Cell, Row, Table, TableError, read_table

_SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
COLUMN_NAMES = {
    "person": ("email", "e_mail", "email_address", "slack_id", "slack_user_id", "user_id", "user", "person", "id"),
    "track": ("track",),
    "level": ("level", "level_id"),
    "level_since": ("level_since", "in_level_since", "level_start", "level_start_date", "date_in_level", "since"),
    "manager": ("manager", "manager_email", "manager_id", "manager_slack_id", "manager_user_id"),
    "name": ("name", "full_name", "real_name"),
}
"""Accepted header names for each column (case, spaces and punctuation ignored), first match wins."""
PERSON_COLUMNS = {
    "track": "track",
    "level": "level",
    "level_since": "level_since",
    "manager": "manager_user_id",
    "name": "name",
    "email": "email",
}
"""The fields an import plans, in the order it shows them, and the person's column each is stored in."""
MAX_NAME = 200

__all__ = ["COLUMN_NAMES", "DirectoryUser", "PersonRow", "RowProblem", "parse_people", "parse_people_csv", "plan_people"]


@dataclass(frozen=True)
class PersonRow:
    """What one row asks for: a level (id, with its track), a track alone (checked against the stored level), and
    values, Cell.KEEP or Cell.CLEAR for the optional columns."""

    row: int
    person: str
    """An email address or a Slack user id."""
    level: str | None = None
    track: str | None = None
    manager: str | Cell = Cell.KEEP
    name: str | Cell = Cell.KEEP
    level_since: date | Cell = Cell.KEEP


@dataclass(frozen=True)
class DirectoryUser:
    user_id: str
    name: str
    email: str | None = None


class Directory(Protocol):
    """Who is who in the workspace; Slack's users API in production."""

    def lookup_by_email(self, email: str) -> DirectoryUser | None: ...

    def user_info(self, user_id: str) -> DirectoryUser | None: ...


def is_slack_id(value: str) -> bool:
    return bool(_SLACK_ID.match(value))


def parse_people_csv(text: str, framework: Framework, today: date | None = None) -> tuple[list[PersonRow], list[RowProblem]]:
    """:func:`parse_people` of CSV text; :class:`TableError` (a ValueError) when the file cannot be imported at all."""
    return parse_people(read_table(text, COLUMN_NAMES), framework, today)


def parse_people(table: Table, framework: Framework, today: date | None = None) -> tuple[list[PersonRow], list[RowProblem]]:
    """The rows that ask for something valid, and a problem for every other row."""
    if "person" not in table.columns:
        found = ", ".join(table.other) or "nothing"
        raise TableError(f"missing column: the header must name 'email' or 'slack_id' (found: {found})")
    if len(table.columns) == 1:
        importable = ", ".join(column for column in COLUMN_NAMES if column != "person")
        raise TableError(f"the header names nothing to import for each person: add one of {importable}")
    rows: list[PersonRow] = []
    problems: list[RowProblem] = []
    for row in table.rows:
        parsed = _row(row, framework, today or date.today())
        (rows if isinstance(parsed, PersonRow) else problems).append(parsed)
    return rows, problems


def _row(row: Row, framework: Framework, today: date) -> PersonRow | RowProblem:
    person = row.get("person")
    if not isinstance(person, str):
        return RowProblem(row.number, "no email or Slack id for the person")
    if "@" not in person and not is_slack_id(person):
        return RowProblem(row.number, f"'{person}' is neither an email address nor a Slack user id")
    level: Level | None = None
    level_text, track_text = row.get("level"), row.get("track")
    if level_text is Cell.CLEAR:
        return RowProblem(row.number, "a level cannot be cleared ('-'); leave the cell empty to keep it")
    if isinstance(level_text, str):
        level = _find_level(framework, level_text)
        if level is None:
            return RowProblem(row.number, f"unknown level '{level_text}' (known: {', '.join(lv.id for lv in framework.levels)})")
    track: Track | None = None
    if track_text is Cell.CLEAR:
        return RowProblem(row.number, "a track cannot be cleared ('-'): it is the level's")
    if isinstance(track_text, str):
        track = _find_track(framework, track_text)
        if track is None:
            return RowProblem(row.number, f"unknown track '{track_text}' (known: {', '.join(t.id for t in framework.tracks)})")
        if level is not None and track.id != level.track_id:
            return RowProblem(row.number, f"level '{level.id}' is on track '{level.track_id}', not '{track.id}'")
    manager = row.get("manager")
    if isinstance(manager, str) and "@" not in manager and not is_slack_id(manager):
        return RowProblem(row.number, f"manager '{manager}' is neither an email address nor a Slack user id")
    name = row.get("name")
    if isinstance(name, str) and len(name) > MAX_NAME:
        return RowProblem(row.number, f"a name of {len(name)} characters; at most {MAX_NAME}")
    since = _date(row.get("level_since"))
    if isinstance(since, str):
        return RowProblem(row.number, since)
    if isinstance(since, date) and since > today:
        return RowProblem(row.number, f"level_since {since.isoformat()} is in the future")
    return PersonRow(
        row.number,
        person,
        level.id if level else None,
        level.track_id if level else (track.id if track else None),
        manager,
        name,
        since,
    )


def _date(cell: str | Cell) -> date | Cell | str:
    """The cell as a date, or the problem with it as text."""
    if isinstance(cell, Cell):
        return cell
    try:
        return date.fromisoformat(cell)
    except ValueError:
        return f"level_since '{cell}' is not a date; write it as YYYY-MM-DD"


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


# -- planning against what is stored ---------------------------------------------------------------------------------


def stored_people(people: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Stored people (rows with the person columns) as the import's records, by Slack user id."""
    return {p.user_id: {field: getattr(p, column) for field, column in PERSON_COLUMNS.items()} for p in people}


def plan_people(rows: list[PersonRow], directory: Directory, stored: Mapping[str, Mapping[str, Any]]) -> Plan:
    """Resolve each row's person (and manager) in the directory — look-ups only — and say what it changes.

    A row nobody in Slack matches, or whose person another row already named, is skipped and reported. An unknown
    manager is reported and leaves the stored manager alone; the rest of the row is kept.
    """
    plan = Plan()
    lookups = _Lookups(directory)
    first_row: dict[str, int] = {}
    for row in rows:
        user = lookups.find(row.person)
        if user is None:
            plan.problems.append(RowProblem(row.row, f"no Slack user found for '{row.person}'"))
            continue
        if user.user_id in first_row:
            plan.problems.append(
                RowProblem(row.row, f"'{row.person}' is {user.user_id}, already imported from row {first_row[user.user_id]}")
            )
            continue
        first_row[user.user_id] = row.row
        current = stored.get(user.user_id)
        wanted = _wanted(row, user, current, lookups, plan.problems)
        if wanted is not None:
            label = f"{(current or {}).get('name') or wanted.get('name') or user.name} ({user.user_id})"  # as known so far
            plan.records.append(RecordPlan(row.row, user.user_id, label, current, wanted))
    return plan


def _wanted(
    row: PersonRow, user: DirectoryUser, current: Mapping[str, Any] | None, lookups: _Lookups, problems: list[RowProblem]
) -> dict[str, Any] | None:
    """The fields the row sets, resolved, in PERSON_COLUMNS' order; None (and a problem) when the row is skipped."""
    wanted: dict[str, Any] = {}
    if row.level is not None:
        wanted["track"], wanted["level"] = row.track, row.level
    elif current is None:
        problems.append(RowProblem(row.row, f"'{row.person}' is new, and a new person needs a level"))
        return None
    elif row.track is not None and row.track != current["track"]:
        problems.append(
            RowProblem(row.row, f"track '{row.track}' is not the track of their level '{current['level']}': give the level too")
        )
        return None
    if isinstance(row.level_since, date) or row.level_since is Cell.CLEAR:
        wanted["level_since"] = row.level_since if isinstance(row.level_since, date) else None
    elif current is not None and row.level is not None and row.level != current["level"]:
        wanted["level_since"] = None  # the stored date was when they reached the level they are leaving
    if row.manager is Cell.CLEAR:
        wanted["manager"] = None
    elif isinstance(row.manager, str):
        manager = lookups.find(row.manager)
        if manager is None or manager.user_id == user.user_id:
            reason = "no Slack user found for manager" if manager is None else "a person cannot be their own manager:"
            problems.append(RowProblem(row.row, f"{reason} '{row.manager}'; manager left as it was", skipped=False))
        else:
            wanted["manager"] = manager.user_id
    if isinstance(row.name, str):
        wanted["name"] = row.name
    elif row.name is Cell.CLEAR or current is None or not current.get("name"):
        wanted["name"] = user.name[:MAX_NAME]
    if user.email:
        wanted["email"] = user.email
    return wanted


class _Lookups:
    """Directory look-ups, each asked once per import however many rows name the same person or manager."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory
        self._found: dict[str, DirectoryUser | None] = {}

    def find(self, who: str) -> DirectoryUser | None:
        if who not in self._found:
            self._found[who] = self._directory.user_info(who) if is_slack_id(who) else self._directory.lookup_by_email(who)
        return self._found[who]


class PeopleStore(Protocol):
    """Where imported people go: :class:`storage.repositories.PeopleRepository` in production."""

    def save_people(self, team_id: str, people: Mapping[str, Mapping[str, Any]]) -> None: ...


def save_plan(plan: Plan, store: PeopleStore, team_id: str) -> None:
    """Write what the plan changes, in one transaction: each changed field into its column."""
    changes = {r.key: {PERSON_COLUMNS[field]: value for field, value in r.values.items()} for r in plan.to_write}
    if changes:
        store.save_people(team_id, changes)
