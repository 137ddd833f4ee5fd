"""Level names a person types in a file or a command (a people CSV, a panel's scope) compare in the shared normal form
of names, and a name several levels carry is an error naming each of them: never one picked silently."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main as ladder
from bot.errors import LadderError
from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from bot.level_lookup import LevelLookup
from bot.panels.panels import Scope
from bot.people_import import PersonRow, RowProblem, parse_people_csv
from tests.app_server import ladder_env

FRAMEWORK_TEXT = """
name: Typed names
tracks:
  - id: ic
    name: Individual Contributor
    family: Engineering
    aliases: [IC track]
    levels:
      - {id: ic1, title: IC1}
      - {id: swe2, title: Software Engineer II}
      - {id: senior_engineer, title: Senior Engineer}
      - {id: se2, title: Senior Engineer 2}
      - {id: programmer, title: Senior Programmer (L5)}
  - id: mgmt
    name: Management
    family: Engineering
    levels:
      - {id: m_se2, title: Senior Engineer 2}
      - {id: em, title: Engineering Manager, aliases: [EM]}
"""


@pytest.fixture(scope="module")
def framework() -> Framework:
    result = check_framework_text(FRAMEWORK_TEXT, "typed.yaml")
    assert result.framework is not None, result.problems
    return result.framework


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("IC 1", "ic1"),
        ("ic-1", "ic1"),
        ("Sr Engineer", "senior_engineer"),
        ("Sr. Engineer", "senior_engineer"),
        ("software engineer 2", "swe2"),
        ("Software Engineer II", "swe2"),
        ("SWE II", "swe2"),
        ("L5", "programmer"),
        ("Senior Programmer", "programmer"),
        ("senior_engineer", "senior_engineer"),
        ("em", "em"),
    ],
)
def test_a_level_is_found_however_it_is_typed(framework, typed, level):
    assert [lv.id for lv in LevelLookup(framework).levels(typed)] == [level]


def test_a_title_two_tracks_share_is_every_level_that_has_it_unless_the_track_says(framework):
    names = LevelLookup(framework)
    assert [lv.id for lv in names.levels("Senior Engineer II")] == ["se2", "m_se2"]
    assert [lv.id for lv in names.levels("Sr Engineer 2", framework.track("mgmt"))] == ["m_se2"]
    assert [lv.id for lv in names.levels("se2")] == ["se2"]  # an id is one level
    assert names.levels("Principal") == ()  # short names are for questions, not for records


def test_tracks_and_families_are_found_by_the_same_normal_form(framework):
    names = LevelLookup(framework)
    assert [t.id for t in names.tracks("individual-contributor")] == ["ic"]
    assert [t.id for t in names.tracks("IC Track")] == ["ic"]
    assert names.families("engineering") == ("Engineering",)


# -- people CSV ------------------------------------------------------------------------------------------------------


def test_a_people_csv_matches_levels_as_people_type_them(framework):
    rows, problems = parse_people_csv(
        "email,level\na@example.com,IC 1\nb@example.com,Sr Engineer\nc@example.com,SWE 2\n", framework
    )
    assert problems == []
    assert [(r.level, r.track) for r in rows] == [("ic1", "ic"), ("senior_engineer", "ic"), ("swe2", "ic")]


def test_an_ambiguous_title_in_a_people_csv_is_a_row_problem_naming_each_candidate(framework):
    rows, problems = parse_people_csv("email,level\na@example.com,Senior Engineer 2\nb@example.com,IC1\n", framework)
    assert [r.person for r in rows] == ["b@example.com"]
    assert problems == [
        RowProblem(
            2,
            "level 'Senior Engineer 2' could mean se2 (Senior Engineer 2, Individual Contributor track) or "
            "m_se2 (Senior Engineer 2, Management track): add a track column or write the level's id",
        )
    ]


def test_a_track_column_settles_an_ambiguous_title_and_still_catches_a_mismatch(framework):
    rows, problems = parse_people_csv(
        "email,track,level\na@example.com,management,Senior Engineer 2\nb@example.com,Management,IC 1\n", framework
    )
    assert [(r.level, r.track) for r in rows] == [("m_se2", "mgmt")]
    assert problems == [RowProblem(3, "level 'ic1' is on track 'ic', not 'mgmt'")]


def test_a_dry_run_reports_an_ambiguous_title_as_the_run_would(fake_slack, tmp_path, monkeypatch, capsys, framework):
    (tmp_path / "framework.yaml").write_text(FRAMEWORK_TEXT)
    for name, value in ladder_env(fake_slack.url, f"sqlite:///{tmp_path / 'never.db'}").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LADDER_FRAMEWORK", str(tmp_path / "framework.yaml"))
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    (tmp_path / "p.csv").write_text("email,level\nada@example.com,Senior Engineer 2\n")
    assert ladder(["people", "import", str(tmp_path / "p.csv"), "--dry-run"]) == 1
    _, err = capsys.readouterr()
    assert "row 2: level 'Senior Engineer 2' could mean se2 (Senior Engineer 2, Individual Contributor track) or m_se2" in err


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_level_cell_is_one_level_or_a_problem_never_a_crash(text):
    framework = check_framework_text(FRAMEWORK_TEXT, "typed.yaml").framework
    assert framework is not None
    cell = text.replace('"', "").replace("\n", " ").replace("\r", " ").replace(",", " ")
    rows, problems = parse_people_csv(f'email,level\na@example.com,"{cell}"\n', framework)
    assert len(rows) + len(problems) <= 1
    for row in rows:  # an empty cell keeps the stored level
        assert isinstance(row, PersonRow) and (row.level is None or framework.level(row.level) is not None)


# -- panels ----------------------------------------------------------------------------------------------------------


def test_a_panel_scope_names_levels_and_tracks_as_people_type_them(framework):
    scope = Scope.parse(framework, ["level=IC 1,Sr Engineer", "track=individual-contributor", "family=ENGINEERING"])
    assert scope.levels == ("ic1", "senior_engineer") and scope.tracks == ("ic",) and scope.families == ("Engineering",)


def test_a_panel_scope_refuses_a_title_two_tracks_share_naming_each(framework):
    with pytest.raises(LadderError, match=r"'Senior Engineer 2' could mean se2 .* or m_se2 .*: write the level's id"):
        Scope.parse(framework, ["level=Senior Engineer 2"])
    with pytest.raises(LadderError, match="has no level called 'Principal'"):
        Scope.parse(framework, ["level=Principal"])
