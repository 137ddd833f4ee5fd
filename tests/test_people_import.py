"""Importing people from a CSV: good rows kept, bad rows reported by line, re-import changes nothing."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.model import Framework, Level, Track
from bot.imports.plan import Plan
from bot.people_import import DirectoryUser, RowProblem, parse_people_csv, plan_people, save_plan, stored_people


def _track(track_id: str, name: str, levels: list[tuple[str, str, tuple[str, ...]]], aliases: tuple[str, ...] = ()) -> Track:
    return Track(
        track_id,
        name,
        tuple(Level(lid, title, track_id, rank, summary="", aliases=al) for rank, (lid, title, al) in enumerate(levels)),
        aliases=aliases,
    )


FRAMEWORK = Framework(
    name="Test ladder",
    version="1",
    competencies=(),
    tracks=(
        _track(
            "ic",
            "Individual contributor",
            [
                ("se1", "Software Engineer I", ("L3",)),
                ("se2", "Software Engineer II", ("L4",)),
                ("senior", "Senior Engineer", ("L5",)),
                ("staff", "Staff Engineer", ("L6", "Staff")),
                ("principal", "Principal Engineer", ("L7",)),
            ],
            aliases=("IC", "engineering"),
        ),
        _track(
            "management",
            "Management",
            [("em", "Engineering Manager", ("EM", "M1")), ("sr_em", "Senior Engineering Manager", ("senior EM", "M2"))],
            aliases=("mgmt",),
        ),
    ),
)
"""Built here from the dataclasses, so these tests hold whatever the shipped framework file says."""


class MemoryDirectory:
    def __init__(self, *users: DirectoryUser) -> None:
        self.users = {u.user_id: u for u in users}

    def lookup_by_email(self, email: str) -> DirectoryUser | None:
        return next((u for u in self.users.values() if u.email == email), None)

    def user_info(self, user_id: str) -> DirectoryUser | None:
        return self.users.get(user_id)

    def everyone(self):  # type: ignore[no-untyped-def]
        yield from self.users.values()


class MemoryStore:
    """A store as the repository is one: the columns given are written, the others left alone."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict] = {}

    def save_people(self, team_id, people) -> None:
        for user_id, values in people.items():
            self.rows.setdefault((team_id, user_id), {"manager_user_id": None, "level_since": None, "email": None}).update(values)

    def stored(self, team_id: str) -> dict[str, dict]:
        people = [SimpleNamespace(user_id=user_id, **row) for (team, user_id), row in self.rows.items() if team == team_id]
        return stored_people(people)


def run_import(text: str, store: MemoryStore, team: str = "T1") -> Plan:
    rows, problems = parse_people_csv(text, FRAMEWORK)
    plan = plan_people(rows, DIRECTORY, store.stored(team))
    plan.problems[:0] = problems
    save_plan(plan, store, team)
    return plan


@pytest.fixture
def framework() -> Framework:
    return FRAMEWORK


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


@pytest.mark.parametrize("text", ["", "\n\n", "colour,shape\nred,round\n", "email\na@b.c\n", "email,colour\na@b.c,red\n"])
def test_a_file_without_the_needed_columns_is_refused_clearly(framework, text):
    with pytest.raises(ValueError, match="empty|missing column|nothing to import"):
        parse_people_csv(text, framework)


def test_import_resolves_people_and_managers_and_is_idempotent():
    store = MemoryStore()
    first = run_import("email,level,manager\nada@example.com,senior,grace@example.com\nU0GRACE,sr_em,\n", store)
    assert (first.created, first.updated, first.unchanged, first.problems) == (2, 0, 0, [])
    assert store.rows[("T1", "U0ADA")]["manager_user_id"] == "U0GRACE"
    assert store.rows[("T1", "U0ADA")]["name"] == "Ada Lovelace"
    again = run_import("email,level,manager\nada@example.com,senior,grace@example.com\nU0GRACE,sr_em,\n", store)
    assert (again.created, again.updated, again.unchanged, again.change_lines()) == (0, 0, 2, [])


def test_unknown_people_are_skipped_and_unknown_managers_leave_the_manager_alone():
    store = MemoryStore()
    run_import("email,level,manager\nada@example.com,senior,grace@example.com\n", store)
    plan = run_import("email,level,manager\nnobody@example.com,senior,\nada@example.com,staff,boss@example.com\n", store)
    assert (plan.updated, plan.skipped) == (1, 1)
    assert plan.problem_lines() == [
        "row 2: no Slack user found for 'nobody@example.com'",
        "row 3: no Slack user found for manager 'boss@example.com'; manager left as it was",
    ]
    assert (store.rows[("T1", "U0ADA")]["level"], store.rows[("T1", "U0ADA")]["manager_user_id"]) == ("staff", "U0GRACE")


def test_the_summary_says_what_happened_or_would():
    plan = Plan(problems=[RowProblem(4, "unknown level 'x'"), RowProblem(5, "manager left as it was", skipped=False)])
    assert plan.problem_lines() == ["row 4: unknown level 'x'", "row 5: manager left as it was"]
    assert plan.summary("people") == "imported 0 people (0 new, 0 updated, 0 unchanged); 1 row skipped"
    assert plan.summary("people", dry_run=True) == (
        "dry run: would import 0 people (0 new, 0 updated, 0 unchanged); 1 row skipped; nothing was written"
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_is_parsed_or_refused_with_a_value_error(text):
    try:
        rows, problems = parse_people_csv(text, FRAMEWORK)
    except ValueError:
        return
    assert all(r.person for r in rows) and all(p.row >= 2 for p in problems)


@pytest.mark.parametrize("cell", ["staff", "Staff", "STAFF", "L6", "l6", "Staff Engineer", "staff-engineer", " Staff "])
def test_a_level_is_found_by_id_title_or_alias(framework, cell):
    rows, problems = parse_people_csv(f"email,track,level\nada@example.com,IC,{cell}\n", framework)
    assert problems == [] and (rows[0].track, rows[0].level) == ("ic", "staff")


def test_a_track_is_found_by_id_name_or_alias(framework):
    text = "email,track,level\na@x.test,mgmt,EM\nb@x.test,Individual Contributor,L3\nc@x.test,MANAGEMENT,m2\n"
    rows, problems = parse_people_csv(text, framework)
    assert problems == [] and [(r.track, r.level) for r in rows] == [("management", "em"), ("ic", "se1"), ("management", "sr_em")]


def test_an_unknown_level_names_the_known_ones_and_a_new_person_needs_one():
    store = MemoryStore()
    plan = run_import("email,level\nada@example.com,Staf\ngrace@example.com,\n", store)
    assert plan.problem_lines() == [
        "row 2: unknown level 'Staf' (known: se1, se2, senior, staff, principal, em, sr_em)",
        "row 3: 'grace@example.com' is new, and a new person needs a level",
    ]
    assert store.rows == {}


def test_manager_given_as_a_slack_id_and_name_from_the_file():
    store = MemoryStore()
    run_import("user,level,manager,name,level_since\nada@example.com,L5,U0GRACE,Countess Ada,2024-03-01\n", store)
    assert store.rows[("T1", "U0ADA")] == {
        "name": "Countess Ada",
        "email": "ada@example.com",
        "track": "ic",
        "level": "senior",
        "level_since": date(2024, 3, 1),
        "manager_user_id": "U0GRACE",
    }


def test_the_plan_shows_each_field_old_to_new():
    store = MemoryStore()
    run_import("email,level,manager,level_since\nada@example.com,L5,U0GRACE,2024-03-01\n", store)
    plan = run_import("email,level,manager\nada@example.com,L6,-\n", store)
    assert plan.change_lines() == [
        "~ Ada Lovelace (U0ADA) (row 2)",
        "    level: senior → staff",
        "    level_since: 2024-03-01 → (none)",
        "    manager: U0GRACE → (none)",
    ]


def test_import_into_the_database_twice_changes_nothing_the_second_time(framework, engine):
    from storage.repositories import PeopleRepository

    people = PeopleRepository(engine)

    def imported(text: str) -> Plan:
        rows, problems = parse_people_csv(text, framework)
        plan = plan_people(rows, DIRECTORY, stored_people(people.list("T1")))
        save_plan(plan, people, "T1")
        return plan

    text = "email,track,level,manager\nada@example.com,ic,L6,grace@example.com\ngrace@example.com,management,senior EM,\n"
    first, second = imported(text), imported(text)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert people.get("T1", "U0ADA").manager_user_id == "U0GRACE" and people.count("T2") == 0
    third = imported("email,level\nada@example.com,principal\n")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    ada = people.get("T1", "U0ADA")
    assert (ada.level, ada.manager_user_id, ada.name) == ("principal", "U0GRACE", "Ada Lovelace")


_CELLS = st.sampled_from(
    ["ada@example.com", "U0ADA", "", "-", "L5", "staff", "ic", "mgmt", "Staf", '"', ",", "x@y", "\n", "\x00", "2024-01-01"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["email", "slack_id", "user", "track", "level", "manager", "name", "level_since", "Level", "x"]),
        max_size=6,
    ),
    st.lists(st.lists(_CELLS | st.text(max_size=8), max_size=7), max_size=6),
)
def test_csv_shaped_text_is_parsed_or_refused_with_a_value_error(header, body):
    text = "\n".join(",".join(cells) for cells in [header, *body])
    try:
        rows, problems = parse_people_csv(text, FRAMEWORK)
    except ValueError:
        return
    assert all(r.level is None or (FRAMEWORK.level(r.level) and FRAMEWORK.level(r.level).track_id == r.track) for r in rows)
    plan = plan_people(rows, DIRECTORY, {})
    assert all(record.wanted.get("level") for record in plan.records)  # a new person is never planned without a level


_HOSTILE = st.sampled_from(["\x00", "\x1b[2J", "\u0085", "\t", "x" * 400, "ada@example.com", "U0ADA", "Ada", "senior", "-"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_HOSTILE | st.text(max_size=6), _HOSTILE, _HOSTILE, _HOSTILE), min_size=1, max_size=5))
def test_nothing_planned_is_a_value_the_database_would_refuse(rows):
    """Whatever the file holds, what an import would write fits its columns and holds no control character."""
    from bot.imports.values import control_character

    text = "email,level,name,manager\n" + "".join(
        ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' for c in r) + "\n" for r in rows
    )
    try:
        parsed, _ = parse_people_csv(text, FRAMEWORK)
    except ValueError:
        return
    hostile = DirectoryUser("U0ADA", "Ada\x00" + "y" * 300, "a" * 400 + "@example.com")  # what Slack might say
    directory = MemoryDirectory(*DIRECTORY.users.values(), hostile)
    limits = {"track": 64, "level": 64, "manager": 32, "name": 200, "email": 320}
    for record in plan_people(parsed, directory, {}).records:
        for field, value in record.values.items():
            if isinstance(value, str):
                assert len(value) <= limits[field] and control_character(value) is None, (field, value)
