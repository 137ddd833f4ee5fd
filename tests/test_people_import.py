"""Importing people from a CSV: good rows kept, bad rows reported by line, re-import changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.people_import import DirectoryUser, ImportReport, RowProblem, import_people, parse_people_csv
from tests.frameworks import default_framework as load_framework


class MemoryDirectory:
    def __init__(self, *users: DirectoryUser) -> None:
        self.users = {u.user_id: u for u in users}

    def lookup_by_email(self, email: str) -> DirectoryUser | None:
        return next((u for u in self.users.values() if u.email == email), None)

    def user_info(self, user_id: str) -> DirectoryUser | None:
        return self.users.get(user_id)


class MemoryStore:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict] = {}

    def upsert(self, team_id, user_id, **values) -> str:
        key = (team_id, user_id)
        if key not in self.rows:
            self.rows[key] = values
            return "created"
        if self.rows[key] == values:
            return "unchanged"
        self.rows[key] = values
        return "updated"


@pytest.fixture(scope="module")
def framework():
    return load_framework()


DIRECTORY = MemoryDirectory(
    DirectoryUser("U0ADA", "Ada Lovelace", "ada@example.com"),
    DirectoryUser("U0GRACE", "Grace Hopper", "grace@example.com"),
)


def test_good_rows_are_kept_and_bad_rows_reported_by_line(framework):
    text = (
        "Email , Track, Level, Manager\n"
        "ada@example.com,ic,L5,grace@example.com\n"
        "grace@example.com,Management,senior EM,\n"
        "bob@example.com,ic,Staf Engineer,\n"
        "\n"
        "carol@example.com,management,staff,\n"
        ",ic,staff,\n"
        "dan@example.com,sales,staff,\n"
    )
    rows, problems = parse_people_csv(text, framework)
    assert [(r.person, r.level) for r in rows] == [("ada@example.com", "senior"), ("grace@example.com", "sr_em")]
    assert [p.row for p in problems] == [4, 6, 7, 8]
    assert "unknown level 'Staf Engineer'" in problems[0].message
    assert "on track 'ic', not 'management'" in problems[1].message
    assert "no email or Slack id" in problems[2].message
    assert "unknown track 'sales'" in problems[3].message


def test_common_header_names_are_understood(framework):
    rows, problems = parse_people_csv(
        "Slack User ID,Level,Manager Email,Full Name\nU0ADA,staff,grace@example.com,Ada L\n", framework
    )
    assert problems == [] and (rows[0].person, rows[0].level, rows[0].manager, rows[0].name) == (
        "U0ADA",
        "staff",
        "grace@example.com",
        "Ada L",
    )


def test_track_is_inferred_from_the_level_and_slack_ids_are_accepted(framework):
    rows, problems = parse_people_csv("slack_id,level\nU0ADA,Principal\n", framework)
    assert problems == [] and (rows[0].person, rows[0].track, rows[0].level) == ("U0ADA", "ic", "principal")


@pytest.mark.parametrize("text", ["", "\n\n", "colour,shape\nred,round\n", "email,track\na@b.c,ic\n"])
def test_a_file_without_the_needed_columns_is_refused_clearly(framework, text):
    with pytest.raises(ValueError, match="empty|missing column"):
        parse_people_csv(text, framework)


def test_import_resolves_people_and_managers_and_is_idempotent(framework):
    rows, _ = parse_people_csv("email,level,manager\nada@example.com,senior,grace@example.com\nU0GRACE,sr_em,\n", framework)
    store = MemoryStore()
    first = import_people(rows, DIRECTORY, store, "T1")
    assert (first.created, first.updated, first.unchanged, first.problems) == (2, 0, 0, [])
    assert store.rows[("T1", "U0ADA")]["manager_user_id"] == "U0GRACE"
    assert store.rows[("T1", "U0ADA")]["name"] == "Ada Lovelace"
    again = import_people(rows, DIRECTORY, store, "T1")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_unknown_people_are_skipped_and_unknown_managers_reported(framework):
    rows, _ = parse_people_csv(
        "email,level,manager\nnobody@example.com,senior,\nada@example.com,senior,boss@example.com\n", framework
    )
    store = MemoryStore()
    report = import_people(rows, DIRECTORY, store, "T1")
    assert report.created == 1 and report.skipped == 1
    assert [p.row for p in report.problems] == [2, 3]
    assert store.rows[("T1", "U0ADA")]["manager_user_id"] is None


def test_summary_lines_say_what_happened():
    report = ImportReport(created=2, updated=1, skipped=1)
    report.problems.append(RowProblem(4, "unknown level 'x'"))
    assert report.summary_lines() == [
        "row 4: unknown level 'x'",
        "imported 3 people (2 new, 1 updated, 0 unchanged); 1 row skipped",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_is_parsed_or_refused_with_a_value_error(text):
    framework = load_framework()
    try:
        rows, problems = parse_people_csv(text, framework)
    except ValueError:
        return
    assert all(r.level for r in rows) and all(p.row >= 2 for p in problems)
