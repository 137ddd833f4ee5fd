"""Import who is at which level from a CSV, so Ladder can answer "what's my next level?".

The rules of every import (:mod:`bot.imports`): a column left out of the file, or a cell left empty, leaves the stored
value alone — a file of emails and managers changes managers only; ``-`` clears an optional value (``manager``,
``level_since``; for ``name`` it goes back to Slack's name). A new person needs a level. Each import plans first, per
person and field (old → new), and writes nothing for a dry run. Bad rows are reported by their line number and skipped;
good rows are kept. Importing the same file twice changes nothing, so the import can run on a schedule from an HR export.

What a row may not do, each a row problem: hold a value the database would refuse (a control character, more than its
column holds); name a deactivated account, a bot or an app, as the person or as their manager; put someone in their own
management chain; silently undo a level Ladder set from a published promotion (the level is kept and reported).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Iterable, Iterator, Mapping, Protocol

from bot.framework.model import Framework, Level, Track
from bot.imports.plan import Plan, RecordPlan, RowProblem
from bot.imports.table import Cell, Row, Table, TableError, read_table
from bot.imports.values import control_character, shown, storable, without_control_characters
from bot.level_lookup import LevelLookup
from bot.slack_ids import is_user_id

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
MAX_EMAIL = 320
"""The longest name and email address stored (storage/models.py, Person)."""
LOOKUPS_BEFORE_LISTING = 50
"""An import naming more people than this (persons and managers) reads Slack's member list, a page of
:data:`LISTING_PAGE` at a time, instead of asking for each person: Slack answers about 50 look-ups a minute
(users.lookupByEmail and users.info are Tier 3), so 5,000 people would take 100 minutes one by one."""

__all__ = [
    "COLUMN_NAMES",
    "DirectoryUser",
    "PersonRow",
    "Promotion",
    "RowProblem",
    "parse_people",
    "parse_people_csv",
    "plan_people",
]


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
    unusable: str | None = None
    """Why this account cannot take a part in Ladder ("deactivated", "a bot or an app, not a person"); None for a person."""


class Directory(Protocol):
    """Who is who in the workspace; Slack's users API in production."""

    def lookup_by_email(self, email: str) -> DirectoryUser | None: ...

    def user_info(self, user_id: str) -> DirectoryUser | None: ...

    def everyone(self) -> Iterator[DirectoryUser]:
        """Every account in the workspace (deactivated ones and bots too), a page at a time."""
        ...


@dataclass(frozen=True)
class Promotion:
    """The latest level change Ladder applied to a person from a published promotion."""

    track: str
    level: str
    effective_on: date


def is_slack_id(value: str) -> bool:
    return is_user_id(value)


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
    names = LevelLookup(framework)
    for row in table.rows:
        parsed = _row(row, names, today or date.today())
        if isinstance(parsed, PersonRow):
            rows.append(parsed)
        else:
            problems.append(parsed)
    return rows, problems


def _row(row: Row, names: LevelLookup, today: date) -> PersonRow | RowProblem:
    for column, text in row.cells.items():  # nothing the database would refuse, nothing that rewrites a terminal
        control = control_character(text)
        if control is not None:
            return RowProblem(row.number, f"the {column} cell holds a control character ({control}); remove it")
    person = row.get("person")
    if not isinstance(person, str):
        return RowProblem(row.number, "no email or Slack id for the person")
    problem = _who_problem(person)
    if problem:
        return RowProblem(row.number, problem)
    level_text, track_text = row.get("level"), row.get("track")
    if level_text is Cell.CLEAR:
        return RowProblem(row.number, "a level cannot be cleared ('-'); leave the cell empty to keep it")
    track: Track | None = None
    if track_text is Cell.CLEAR:
        return RowProblem(row.number, "a track cannot be cleared ('-'): it is the level's")
    if isinstance(track_text, str):
        tracks = names.tracks(track_text)
        if not tracks:
            known = ", ".join(t.id for t in names.framework.tracks)
            return RowProblem(row.number, f"unknown track '{shown(track_text)}' (known: {known})")
        if len(tracks) > 1:
            which = " or ".join(f"{t.id} ({t.name})" for t in tracks)
            return RowProblem(row.number, f"track '{shown(track_text)}' could mean {which}: write the track's id")
        track = tracks[0]
    level: Level | None = None
    if isinstance(level_text, str):
        levels = names.levels(level_text, track)
        elsewhere = names.levels(level_text) if not levels and track is not None else ()
        if len(elsewhere) == 1 and track is not None:
            return RowProblem(row.number, f"level '{elsewhere[0].id}' is on track '{elsewhere[0].track_id}', not '{track.id}'")
        if not levels:
            known = ", ".join(lv.id for lv in names.framework.levels)
            return RowProblem(row.number, f"unknown level '{shown(level_text)}' (known: {known})")
        if len(levels) > 1:
            return RowProblem(
                row.number,
                f"level '{shown(level_text)}' could mean {names.described(levels)}: add a track column or write the level's id",
            )
        level = levels[0]
    manager = row.get("manager")
    problem = _who_problem(manager, "manager ") if isinstance(manager, str) else None
    if problem:
        return RowProblem(row.number, problem)
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


def _who_problem(text: str, role: str = "") -> str | None:
    """What is wrong with ``text`` as an email address or a Slack user id naming a person, or None."""
    if "@" in text:
        return None if len(text) <= MAX_EMAIL else f"{role}email address of {len(text)} characters; at most {MAX_EMAIL}"
    if not is_slack_id(text):
        return f"{role}'{shown(text)}' is neither an email address nor a Slack user id"
    return None


def _date(cell: str | Cell) -> date | Cell | str:
    """The cell as a date, or the problem with it as text."""
    if isinstance(cell, Cell):
        return cell
    try:
        return date.fromisoformat(cell)
    except ValueError:
        return f"level_since '{shown(cell)}' is not a date; write it as YYYY-MM-DD"


# -- planning against what is stored ---------------------------------------------------------------------------------


def stored_people(people: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Stored people (rows with the person columns) as the import's records, by Slack user id."""
    return {p.user_id: {field: getattr(p, column) for field, column in PERSON_COLUMNS.items()} for p in people}


def plan_people(
    rows: list[PersonRow],
    directory: Directory,
    stored: Mapping[str, Mapping[str, Any]],
    promotions: Mapping[str, Promotion] | None = None,
    *,
    levels_from_file: bool = False,
) -> Plan:
    """Resolve each row's person (and manager) in the directory — look-ups only — and say what it changes.

    A row nobody in Slack matches, naming a deactivated account, a bot or an app, or whose person another row already
    named, is skipped and reported. A manager Slack does not know, or who cannot take part, is reported and leaves
    the stored manager alone; the rest of the row is kept. A row that would put someone in their own management chain
    is skipped, naming the loop. A level Ladder set from a published promotion (``promotions``) is kept and reported
    when the row says otherwise, unless the row's level_since is after the promotion took effect or
    ``levels_from_file``.
    """
    plan = Plan()
    lookups = _Lookups(directory, {row.person for row in rows} | {row.manager for row in rows if isinstance(row.manager, str)})
    first_row: dict[str, int] = {}
    for row in rows:
        user = lookups.find(row.person)
        if user is None:
            plan.problems.append(RowProblem(row.row, f"no Slack user found for '{row.person}'"))
            continue
        if user.unusable:
            plan.problems.append(RowProblem(row.row, f"'{row.person}' ({user.user_id}) cannot take part: {user.unusable}"))
            continue
        if user.user_id in first_row:
            plan.problems.append(
                RowProblem(row.row, f"'{row.person}' is {user.user_id}, already imported from row {first_row[user.user_id]}")
            )
            continue
        first_row[user.user_id] = row.row
        current = stored.get(user.user_id)
        promotion = (promotions or {}).get(user.user_id)
        wanted = _wanted(row, user, current, lookups, plan.problems, None if levels_from_file else promotion)
        if wanted is not None:
            label = f"{(current or {}).get('name') or wanted.get('name') or user.name} ({user.user_id})"  # as known so far
            plan.records.append(RecordPlan(row.row, user.user_id, label, current, wanted))
    _refuse_management_loops(plan, stored)
    return plan


def _wanted(
    row: PersonRow,
    user: DirectoryUser,
    current: Mapping[str, Any] | None,
    lookups: _Lookups,
    problems: list[RowProblem],
    promotion: Promotion | None,
) -> dict[str, Any] | None:
    """The fields the row sets, resolved, in PERSON_COLUMNS' order; None (and a problem) when the row is skipped."""
    wanted: dict[str, Any] = {}
    if promotion is not None and _held_by(promotion, row, current):
        assert current is not None
        when = promotion.effective_on.isoformat()
        problems.append(
            RowProblem(
                row.row,
                f"level kept at '{current['level']}', which Ladder set from a promotion effective {when}; the file says "
                f"'{row.level}' (to let the file win: a level_since after {when}, or --levels-from-file)",
                skipped=False,
            )
        )
        row = replace(row, level=None, track=None, level_since=Cell.KEEP)  # the rest of the row is imported
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
        if manager is None or manager.user_id == user.user_id or manager.unusable:
            reason = (
                f"no Slack user found for manager '{row.manager}'"
                if manager is None
                else f"a person cannot be their own manager: '{row.manager}'"
                if manager.user_id == user.user_id
                else f"manager '{row.manager}' ({manager.user_id}) cannot take part: {manager.unusable}"
            )
            problems.append(RowProblem(row.row, f"{reason}; manager left as it was", skipped=False))
        else:
            wanted["manager"] = manager.user_id
    if isinstance(row.name, str):
        wanted["name"] = row.name
    elif row.name is Cell.CLEAR or current is None or not current.get("name"):
        wanted["name"] = without_control_characters(user.name)[:MAX_NAME]
    if user.email and storable(user.email, MAX_EMAIL):
        wanted["email"] = user.email
    return wanted


def _held_by(promotion: Promotion, row: PersonRow, current: Mapping[str, Any] | None) -> bool:
    """Whether the row's level would undo the one Ladder set from a promotion: the person still holds the promoted
    level, the row names another, and does not say they reached it after the promotion took effect."""
    if current is None or row.level is None or row.level == current["level"]:
        return False
    if (current["track"], current["level"]) != (promotion.track, promotion.level):
        return False  # someone changed it since the promotion (an import the file won): nothing of Ladder's to keep
    return not (isinstance(row.level_since, date) and row.level_since > promotion.effective_on)


def _refuse_management_loops(plan: Plan, stored: Mapping[str, Mapping[str, Any]]) -> None:
    """Skip, naming the loop, every row whose manager would put someone in their own management chain.

    The chains are the stored managers with the plan's changes on top. A loop made only of stored managers is not
    this import's doing and is left alone; skipping a row brings its stored manager back, which can close another
    loop, so this repeats until none is left."""
    while True:
        records = {r.key: r for r in plan.records}
        managers = {user: values.get("manager") for user, values in stored.items()}
        changed = {
            key: r.wanted["manager"]
            for key, r in records.items()
            if "manager" in r.wanted and r.wanted["manager"] != (r.current or {}).get("manager")
        }
        managers.update(changed)
        loops = [loop for loop in _loops(managers) if any(user in changed for user in loop)]
        if not loops:
            return
        refused: set[str] = set()
        for loop in loops:
            for at, user in enumerate(loop):
                if user in changed:  # the loop told from this row's person
                    chain = _chain([_known_as(u, records, stored) for u in loop[at:] + loop[:at]])
                    plan.problems.append(RowProblem(records[user].row, f"would make a management loop: {chain}"))
                    refused.add(user)
        plan.records = [r for r in plan.records if r.key not in refused]


def _chain(names: list[str], shown: int = 6) -> str:
    """'A, who reports to B, who reports to A'; a long loop cut after its first few people."""
    if len(names) <= shown:
        return ", who reports to ".join([*names, names[0]])
    return ", who reports to ".join(names[: shown - 1]) + f", … ({len(names)} people in the loop)"


def _loops(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Each cycle in the person → manager graph (one manager each), as the people on it in chain order."""
    state: dict[str, int] = {}  # 1: on the walk in progress, 2: done
    loops: list[list[str]] = []
    for start in managers:
        walk: list[str] = []
        user: str | None = start
        while user is not None and user not in state:
            state[user] = 1
            walk.append(user)
            user = managers.get(user)
        if user is not None and state[user] == 1:
            loops.append(walk[walk.index(user) :])
        for seen in walk:
            state[seen] = 2
    return loops


def _known_as(user: str, records: Mapping[str, RecordPlan], stored: Mapping[str, Mapping[str, Any]]) -> str:
    if user in records:
        return records[user].label
    name = (stored.get(user) or {}).get("name")
    return f"{name} ({user})" if name else user


class _Lookups:
    """Directory look-ups, each asked once per import however many rows name the same person or manager; when the
    file names more than :data:`LOOKUPS_BEFORE_LISTING` people, Slack's member list instead, read until everyone named
    is found."""

    def __init__(self, directory: Directory, named: set[str]) -> None:
        self._directory = directory
        self._found: dict[str, DirectoryUser | None] = {}
        if len({_key(who) for who in named}) > LOOKUPS_BEFORE_LISTING:
            self._read_the_list({_key(who) for who in named})

    def find(self, who: str) -> DirectoryUser | None:
        key = _key(who)
        if key not in self._found:
            self._found[key] = self._directory.user_info(who) if is_slack_id(who) else self._directory.lookup_by_email(who)
        return self._found[key]

    def _read_the_list(self, wanted: set[str]) -> None:
        missing = set(wanted)
        for user in self._directory.everyone():
            for key in (user.user_id, (user.email or "").lower()):
                found = self._found.get(key)
                if key in wanted and (found is None or (found.unusable and not user.unusable)):  # a person over an old account
                    self._found[key] = user
                    if not user.unusable:
                        missing.discard(key)
            if not missing:
                return
        for key in wanted:
            self._found.setdefault(key, None)


def _key(who: str) -> str:
    """Slack ids as they are; email addresses in lower case, as Slack matches them."""
    return who if is_slack_id(who) else who.lower()


class PeopleStore(Protocol):
    """Where imported people go: :class:`storage.repositories.PeopleRepository` in production."""

    def save_people(self, team_id: str, people: Mapping[str, Mapping[str, Any]]) -> None: ...


def save_plan(plan: Plan, store: PeopleStore, team_id: str) -> None:
    """Write what the plan changes, in one transaction: each changed field into its column."""
    changes = {r.key: {PERSON_COLUMNS[field]: value for field, value in r.values.items()} for r in plan.to_write}
    if changes:
        store.save_people(team_id, changes)
