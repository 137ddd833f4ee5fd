"""`ladder people groups import`: HR's group data (gender, ethnicity, location, working pattern, …) from a CSV file.

The file has a ``slack_id`` column and any attribute columns; each header becomes the attribute's id as questions read
names ("Working pattern" is ``working_pattern``), so a column named like a self-identification question's id fills the
same attribute, and a value spelled like one of its choices is stored in the choice's spelling. The rules of every
import (:mod:`bot.imports`): a column left out changes nothing, an empty cell leaves the stored value alone, ``-``
clears it; rows with a problem are reported by line number and skipped; the same file twice changes nothing.

Group data is the most sensitive data Ladder holds: what this module reports — the plan, each problem — says how many
people have a value for each attribute and which rows are wrong, never a person's value.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from bot.fairness.attributes import BUILT_IN_IDS
from bot.framework.model import SelfIdQuestion
from bot.framework.names import normalize
from bot.imports.plan import RowProblem
from bot.imports.table import MAX_RECORD, Cell, Table, TableError, import_text, read_table
from bot.imports.values import control_character, shown
from bot.slack_ids import is_user_id
from bot.user_files import RecordTooLong, csv_records
from storage.repositories.groups import PREFER_NOT_TO_SAY

PERSON = "person"
PERSON_NAMES = ("slack_id", "slack_user_id", "user_id", "slack_member_id", "member_id")
"""Header names of the column that names each person (compared as :func:`attribute_id` reads headers)."""
NOT_ATTRIBUTES = ("email", "e_mail", "email_address", "name", "full_name", "real_name", "first_name", "last_name")
"""Columns an HR export often has beside the attributes: read past (and said to be), never stored as groups."""
IDENTIFYING_WORDS = frozenset(
    ("email", "mail", "name", "surname", "id", "number", "phone", "mobile", "address", "postcode", "zip", "date", "dob")
)
"""A header with one of these words ('Work Email', 'Preferred Name', 'Employee ID', 'Mobile phone', 'Date of birth')
says who someone is or how to reach them, not a group: each value would be a group of one, named in the report's
suppressed rows. ('Country of birth' is a group.)"""
MAX_ATTRIBUTE = 64
MAX_VALUE = 200
"""The longest attribute id and value stored (storage/models.py, PersonGroup)."""
MAX_ATTRIBUTES = 20
"""Attribute columns one import may hold: an audit reads a handful; a whole HR export would be stored as group data
(and held in memory for every row: 200,000 rows of 45 columns took 828 MB)."""


@dataclass(frozen=True)
class GroupRow:
    row: int
    user_id: str
    values: Mapping[str, str | Cell]
    """Attribute → the value the row gives, or Cell.CLEAR; attributes whose cell is empty are absent."""


@dataclass(frozen=True)
class GroupsFile:
    attributes: tuple[str, ...]
    """The attribute columns, in the file's order."""
    rows: list[GroupRow]
    problems: list[RowProblem]
    ignored: tuple[str, ...] = ()
    """Columns read past (an email or a name), as the header wrote them."""
    not_answers: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Attribute with a self-identification question → (distinct values, rows) the file gives that are none of its
    answers ('Female' where people choose 'Woman'): the audit would count them as groups apart from people's own."""

    def notes(self) -> list[str]:
        """One line per such attribute: counts only, never a value HR wrote."""
        return [
            f"note: {attribute}: {rows} row{'s give' if rows != 1 else ' gives'} {values} value{'s' if values != 1 else ''} "
            f"that {'is' if values == 1 else 'are'} none of the answers of the framework's {attribute} question "
            "(fairness.questions): the audit counts them as groups apart from people's own answers; write HR's values as "
            "those answers"
            for attribute, (values, rows) in self.not_answers.items()
        ]


@dataclass(frozen=True)
class GroupChange:
    row: int
    user_id: str
    values: Mapping[str, str | None]
    """Attribute → the new value, or None to clear HR's value; only what changes."""


@dataclass
class GroupsPlan:
    """What an import changes, told in counts: never which value a person has."""

    attributes: tuple[str, ...]
    given: dict[str, int] = field(default_factory=dict)
    """Attribute → people the file gives a value for (cleared ones not counted)."""
    people: int = 0
    """People the file's valid rows are about."""
    changes: list[GroupChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def count(self, attribute: str, *, cleared: bool) -> int:
        return sum(1 for c in self.changes if attribute in c.values and (c.values[attribute] is None) is cleared)

    def lines(self, dry_run: bool) -> list[str]:
        """What the import says on stdout: counts per attribute, then what changes (or would), then the summary."""
        given = [f"{attribute} for {self.given.get(attribute, 0)}" for attribute in self.attributes]
        lines = [f"{_people(self.people)}: " + ", ".join(given).replace(" for ", " set for ", 1)]  # "gender set for 10, …"
        changed = []
        for attribute in self.attributes:
            set_, cleared = self.count(attribute, cleared=False), self.count(attribute, cleared=True)
            if set_ or cleared:
                parts = [f"{set_} set" if set_ else "", f"{cleared} cleared" if cleared else ""]
                changed.append(f"{attribute} {' and '.join(p for p in parts if p)}")
        if changed:
            lines.append(("would change: " if dry_run else "changed: ") + "; ".join(changed))
        skipped = len({p.row for p in self.problems if p.skipped})
        counts = (
            f"group data of {_people(self.people)} ({len(self.changes)} changed, {self.people - len(self.changes)} unchanged)"
        )
        tail = f"; {skipped} row{'s' if skipped != 1 else ''} skipped" if skipped else ""
        lines.append(f"dry run: would import {counts}{tail}; nothing was written" if dry_run else f"imported {counts}{tail}")
        return lines

    def problem_lines(self) -> list[str]:
        return [f"row {p.row}: {p.message}" for p in sorted(self.problems)]


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def attribute_id(header: str) -> str:
    """A header cell as the attribute id it names: "Working pattern" → ``working_pattern`` (as imports read headers)."""
    return normalize(header).replace(" ", "_")


def _is_id(text: str) -> bool:
    return (
        text[:1].isalpha()
        and text == text.lower()
        and all(c.isalnum() or c == "_" or unicodedata.category(c).startswith("M") for c in text)
    )


# -- reading the file ------------------------------------------------------------------------------------------------


def read_groups_file(path: str | Path, questions: Sequence[SelfIdQuestion] = ()) -> GroupsFile:
    """:func:`read_groups` of a file, read up to the import bound (UTF-8, or UTF-16 with its byte order mark)."""
    return read_groups(import_text(path), questions)


def read_groups(text: str, questions: Sequence[SelfIdQuestion] = ()) -> GroupsFile:
    """The file's rows, each checked on its own; :class:`TableError` when the file cannot be imported at all."""
    header = _header(text)
    naming = [h for h in header if attribute_id(h) in PERSON_NAMES]
    if len(naming) > 1:  # which one a row is about would be a guess, and a wrong one files someone's groups under another
        raise TableError(f"columns '{shown(naming[0])}' and '{shown(naming[1])}' both name the person: keep one")
    person = naming[0] if naming else None
    if person is None:
        read_table(text, {PERSON: PERSON_NAMES})  # says so when another separator than commas would find the column
        found = ", ".join(h for h in header if h) or "nothing"
        raise TableError(f"missing column: the header must name 'slack_id' (found: {shown(found)})")
    known: dict[str, tuple[str, ...]] = {PERSON: PERSON_NAMES}
    ignored: list[str] = []
    written: dict[str, str] = {}
    for cell in header:
        attribute = attribute_id(cell)
        if not cell or attribute in PERSON_NAMES:
            continue
        if attribute in NOT_ATTRIBUTES or IDENTIFYING_WORDS.intersection(attribute.split("_")):
            ignored.append(cell)
            continue
        if not _is_id(attribute) or len(attribute) > MAX_ATTRIBUTE:
            raise TableError(
                f"column '{shown(cell)}' does not name an attribute: a header starts with a letter and has at most "
                f"{MAX_ATTRIBUTE} letters, digits and spaces"
            )
        if attribute in BUILT_IN_IDS:
            raise TableError(
                f"column '{shown(cell)}' is the audit's own attribute {attribute}, worked out from what Ladder holds; "
                f"name HR's column otherwise (e.g. 'hr {cell}')"
            )
        if attribute in written:
            raise TableError(f"columns '{shown(written[attribute])}' and '{shown(cell)}' both name the attribute {attribute}")
        written[attribute] = cell
        known[attribute] = (attribute,)
    if not written:
        raise TableError("the header names no attribute to import: add columns such as gender, location, working_pattern")
    if len(written) > MAX_ATTRIBUTES:
        raise TableError(
            f"{len(written)} attribute columns; at most {MAX_ATTRIBUTES}: keep only the columns the fairness audit should read"
        )
    table = read_table(text, known)
    spelled = _Spellings({q.id: q for q in questions})
    rows, problems = _rows(table, tuple(written), spelled, len(header))
    return GroupsFile(tuple(written), rows, problems, tuple(ignored), spelled.not_answers())


def _header(text: str) -> list[str]:
    try:
        header = next(csv_records(text, max_record=MAX_RECORD), None)
    except RecordTooLong as exc:
        raise TableError(f"{exc}; no row of an import is that long") from None
    if not header or not any(cell.strip() for cell in header):
        raise TableError("the file is empty; the first line must name the columns")
    return [cell.strip() for cell in header]


def _rows(table: Table, attributes: tuple[str, ...], spelled: _Spellings, width: int) -> tuple[list[GroupRow], list[RowProblem]]:
    rows: list[GroupRow] = []
    problems: list[RowProblem] = []
    for row in table.rows:
        problem = next(
            (
                f"the {column if column != PERSON else 'slack_id'} cell holds a control character ({found}); remove it"
                for column, text in row.cells.items()
                if (found := control_character(text)) is not None
            ),
            None,
        )
        if problem is None and row.width:
            problem = f"{row.width} cells where the header names {width}: a value with a comma in it must be in double quotes"
        person = row.get(PERSON)
        if problem is None and not isinstance(person, str):
            problem = "no Slack id for the person"
        elif problem is None and not is_user_id(str(person)):
            problem = f"'{shown(str(person))}' is not a Slack user id (U…): people are named by their slack_id"
        too_long = next((a for a in attributes if len(row.cells.get(a, "")) > MAX_VALUE), None)
        if problem is None and too_long is not None:
            problem = f"the {too_long} cell has {len(row.cells[too_long])} characters; at most {MAX_VALUE}"
        if problem is not None:
            problems.append(RowProblem(row.number, problem))
            continue
        values: dict[str, str | Cell] = {}
        for attribute in attributes:
            cell = row.get(attribute)
            if cell is not Cell.KEEP:
                values[attribute] = cell if isinstance(cell, Cell) else spelled(attribute, cell)
        rows.append(GroupRow(row.number, str(person), values))
    return rows, problems


class _Spellings:
    """Each value as the audit groups it: in the spelling of the matching choice of the attribute's question ("woman" is
    "Woman"), "prefer not to say" as a person's own answer stores it, any other value as written. Each distinct value
    is worked out once: an HR file repeats a handful of values thousands of times."""

    def __init__(self, questions: Mapping[str, SelfIdQuestion]) -> None:
        self._choices = {a: {normalize(c): c for c in reversed(q.choices)} for a, q in questions.items()}
        self._prefer = normalize(PREFER_NOT_TO_SAY)
        self._seen: dict[tuple[str, str], str] = {}
        self._off: dict[str, dict[str, int]] = {}

    def __call__(self, attribute: str, value: str) -> str:
        key = (attribute, value)
        if key not in self._seen:
            normal = normalize(value)
            self._seen[key] = PREFER_NOT_TO_SAY if normal == self._prefer else self._choices.get(attribute, {}).get(normal, value)
        spelt = self._seen[key]
        if attribute in self._choices and spelt not in (PREFER_NOT_TO_SAY, *self._choices[attribute].values()):
            off = self._off.setdefault(attribute, {})
            off[spelt] = off.get(spelt, 0) + 1
        return spelt

    def not_answers(self) -> dict[str, tuple[int, int]]:
        """Attribute → (distinct values, rows) that are none of its question's answers."""
        return {attribute: (len(found), sum(found.values())) for attribute, found in self._off.items()}


# -- planning against what is stored -----------------------------------------------------------------------------------


def plan_groups(file: GroupsFile, recorded: set[str], stored: Mapping[str, Mapping[str, str]]) -> GroupsPlan:
    """What the file changes in HR's group data: ``recorded`` are the people Ladder knows (a row about anyone else is
    reported and skipped), ``stored`` what HR's earlier imports hold for the file's people."""
    plan = GroupsPlan(file.attributes, problems=list(file.problems))
    first_row: dict[str, int] = {}
    for row in file.rows:
        if row.user_id not in recorded:
            plan.problems.append(
                RowProblem(
                    row.row, f"no one with Slack id {row.user_id} is recorded in Ladder (ladder people import adds people)"
                )
            )
            continue
        if row.user_id in first_row:
            plan.problems.append(RowProblem(row.row, f"{row.user_id} is already imported from row {first_row[row.user_id]}"))
            continue
        first_row[row.user_id] = row.row
        plan.people += 1
        current = stored.get(row.user_id, {})
        changes: dict[str, str | None] = {}
        for attribute, cell in row.values.items():
            wanted = None if cell is Cell.CLEAR else str(cell)
            if wanted is not None:
                plan.given[attribute] = plan.given.get(attribute, 0) + 1
            if current.get(attribute) != wanted:
                changes[attribute] = wanted
        if changes:
            plan.changes.append(GroupChange(row.row, row.user_id, changes))
    return plan


def changes_to_save(plan: GroupsPlan) -> dict[str, dict[str, str | None]]:
    """The plan's changes as :meth:`storage.repositories.groups.GroupRepository.save_hr` takes them."""
    return {change.user_id: dict(change.values) for change in plan.changes}
