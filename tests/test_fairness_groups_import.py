"""`ladder people groups import` through the real command, on SQLite and PostgreSQL: the same rules as `ladder people
import` (a column left out changes nothing, an empty cell leaves the stored value alone, '-' clears it, --dry-run writes
nothing, bad rows reported by line and skipped), and what it prints never holds a person's group."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main as ladder
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import PersonGroup
from storage.repositories import PeopleRepository

TEAM = "T0TEST"
PEOPLE = ("U0ADA", "U0GRACE", "U0LIN", "U0KAT")


class Importer:
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine) -> None:
        self._tmp, self._capsys, self.engine = tmp_path, capsys, engine
        self._files = 0

    def __call__(self, text: str | bytes, *flags: str) -> tuple[int, list[str], list[str]]:
        """Import ``text`` as a CSV file: the exit status, stdout's lines and stderr's lines."""
        self._files += 1
        path = self._tmp / f"groups{self._files}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        self._capsys.readouterr()
        status = ladder(["people", "groups", "import", str(path), *flags])
        out, err = self._capsys.readouterr()
        return status, out.splitlines(), err.splitlines()

    def stored(self) -> dict[str, dict[str, str]]:
        with Session(self.engine) as session:
            found: dict[str, dict[str, str]] = {}
            for g in session.exec(select(PersonGroup).where(PersonGroup.source == "hr")):
                found.setdefault(g.user_id, {})[g.attribute] = g.value
            return found


@pytest.fixture
def importer(database_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LADDER_FRAMEWORK", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    upgrade(database_url)
    engine = make_engine(database_url)
    people = PeopleRepository(engine)
    for user in PEOPLE:
        people.upsert(TEAM, user, name=user, email=None, track="ic", level="senior", manager_user_id=None)
    yield Importer(tmp_path, capsys, engine)
    engine.dispose()


FIRST = (
    "Slack ID,Email,Gender,Location,Working pattern\n"
    "U0ADA,ada@example.com,woman,Zyxcity,Part-time\n"
    "U0GRACE,grace@example.com,Zyxwoman,Qqremote,\n"
    "U0LIN,,,Qqremote,full-time\n"
)


def test_an_import_stores_hr_groups_and_says_only_counts(importer):
    status, out, err = importer(FIRST, "--dry-run")
    assert status == 0 and err == [
        "ignored column(s), not group data: Email",
        "note: gender: 1 row gives 1 value that is none of the answers of the framework's gender question "
        "(fairness.questions): the audit counts them as groups apart from people's own answers; write HR's values as "
        "those answers",
    ]
    assert out == [
        "3 people: gender set for 2, location for 3, working_pattern for 2",
        "would change: gender 2 set; location 3 set; working_pattern 2 set",
        "dry run: would import group data of 3 people (3 changed, 0 unchanged); nothing was written",
    ]
    assert importer.stored() == {}
    status, out, err = importer(FIRST)
    assert status == 0 and out[-1] == "imported group data of 3 people (3 changed, 0 unchanged)"
    assert importer.stored() == {
        # a value spelled like a self-identification choice is stored in the choice's spelling
        "U0ADA": {"gender": "Woman", "location": "Zyxcity", "working_pattern": "Part-time"},
        "U0GRACE": {"gender": "Zyxwoman", "location": "Qqremote"},
        "U0LIN": {"location": "Qqremote", "working_pattern": "Full-time"},
    }
    for printed in ("Zyx", "Qq", "oman", "ime"):
        assert printed not in "\n".join(out + err)
    status, out, err = importer(FIRST)  # the same file again: nothing changes
    assert status == 0 and out[-1] == "imported group data of 3 people (0 changed, 3 unchanged)"


def test_a_column_left_out_or_an_empty_cell_keeps_and_a_dash_clears(importer):
    importer(FIRST)
    status, out, err = importer("slack_id,location\nU0ADA,-\nU0GRACE,\nU0LIN,Leeds\n")
    assert status == 0, err
    assert out[1] == "changed: location 1 set and 1 cleared"
    assert importer.stored() == {
        "U0ADA": {"gender": "Woman", "working_pattern": "Part-time"},  # gender and working pattern: not in the file
        "U0GRACE": {"gender": "Zyxwoman", "location": "Qqremote"},  # an empty cell: kept
        "U0LIN": {"location": "Leeds", "working_pattern": "Full-time"},
    }


def test_bad_rows_are_reported_by_line_and_skipped_without_their_values(importer):
    text = (
        "slack_id,gender,ethnicity\n"
        "U0ADA,Zyxwoman,\n"
        "ada@example.com,Man,\n"  # an email is not a Slack id
        "U0NOBODY,Man,\n"  # not recorded in Ladder
        ",Man,\n"
        "U0ADA,Qqman,\n"  # the same person twice: the first row counts
        "U0LIN,Qq\x1bman,\n"
        f"U0KAT,{'Q' * 201},\n"
        "U0GRACE,,Qqethnic\n"
    )
    status, out, err = importer(text)
    assert status == 1
    assert err == [
        "note: gender: 2 rows give 2 values that are none of the answers of the framework's gender question "
        "(fairness.questions): the audit counts them as groups apart from people's own answers; write HR's values as "
        "those answers",
        "row 3: 'ada@example.com' is not a Slack user id (U…): people are named by their slack_id",
        "row 4: no one with Slack id U0NOBODY is recorded in Ladder (ladder people import adds people)",
        "row 5: no Slack id for the person",
        "row 6: U0ADA is already imported from row 2",
        "row 7: the gender cell holds a control character (U+001B escape); remove it",
        "row 8: the gender cell has 201 characters; at most 200",
    ]
    assert out[-1] == "imported group data of 2 people (2 changed, 0 unchanged); 6 rows skipped"
    assert importer.stored() == {"U0ADA": {"gender": "Zyxwoman"}, "U0GRACE": {"ethnicity": "Qqethnic"}}
    assert "Qq" not in "\n".join(out + err) and "Zyx" not in "\n".join(out + err)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("email,gender\nada@example.com,Woman\n", "missing column: the header must name 'slack_id' (found: email, gender)"),
        ("slack_id,email\nU0ADA,ada@example.com\n", "the header names no attribute to import"),
        ("slack_id,Gender,gender \nU0ADA,Woman,Man\n", "columns 'Gender' and 'gender' both name the attribute gender"),
        ("slack_id,2024 grade\nU0ADA,x\n", "column '2024 grade' does not name an attribute"),
        ("slack_id,Track\nU0ADA,Platform\n", "column 'Track' is the audit's own attribute track"),
        ("slack_id,Slack User ID,gender\nU0ADA,U0GRACE,Woman\n", "columns 'slack_id' and 'Slack User ID' both name the person"),
        ("slack_id,gender,Level band\nU0ADA,Woman,L3\n", "column 'Level band' is the audit's own attribute level_band"),
        ("", "the file is empty"),
        ("slack_id;gender\nU0ADA;Woman\n", "the columns are separated by ';', not by commas"),
        (b"slack_id,gender\nU0ADA,Fran\xe7aise\n", "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_imported_is_one_line(importer, text, says):
    status, out, err = importer(text)
    assert status == 1 and out == [] and len(err) == 1 and says in err[0], err
    assert importer.stored() == {}


def test_a_file_over_the_bound_is_refused_unread(importer, tmp_path, capsys):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b"slack_id,gender\n")
        f.truncate(21 * 1024 * 1024)
    status = ladder(["people", "groups", "import", str(path)])
    err = capsys.readouterr().err
    assert status == 1 and len(err.splitlines()) == 1 and "MiB" in err, err


def test_another_team_is_refused(importer):
    status, out, err = importer(FIRST, "--team", "T0ELSE")
    assert status == 1 and err[-1] == "ladder: no people are recorded in team T0ELSE (known: T0TEST)"
    assert importer.stored() == {}


def test_with_two_teams_the_team_is_given(importer):
    PeopleRepository(importer.engine).upsert(
        "T0ELSE", "U0ADA", name="Ada", email=None, track="ic", level="senior", manager_user_id=None
    )
    status, out, err = importer(FIRST)
    assert status == 1 and err[-1] == "ladder: give --team: the database holds 2 teams (T0ELSE, T0TEST)"
    status, out, err = importer(FIRST, "--team", "T0TEST")
    assert status == 0 and set(importer.stored()) == {"U0ADA", "U0GRACE", "U0LIN"}


def test_without_a_database_nobody_is_recorded(importer, monkeypatch, tmp_path):
    missing = tmp_path / "nothing-yet.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    status, out, err = importer(FIRST, "--dry-run")
    assert status == 1 and "no database at" in err[-1] and "ladder people import" in err[-1]
    assert not missing.exists()


def test_a_row_with_more_cells_than_the_header_is_refused_not_shifted(importer):
    """An unquoted comma in a value ('White, British') makes a row one cell longer: read as it stands, ' British' would
    be the person's location and 'London' lost. The row is reported (without its values) and skipped."""
    status, out, err = importer(
        'slack_id,ethnicity,location\nU0ADA,Qqwhite, Qqbritish,London\nU0GRACE,"Qqwhite, Qqirish",Leeds\nU0LIN,Qqasian,,\n'
    )
    assert status == 1
    assert err == ["row 2: 4 cells where the header names 3: a value with a comma in it must be in double quotes"], err
    assert importer.stored() == {
        "U0GRACE": {"ethnicity": "Qqwhite, Qqirish", "location": "Leeds"},
        "U0LIN": {"ethnicity": "Qqasian"},  # an empty cell past the header (a trailing comma) is nothing
    }
    assert "Qq" not in "\n".join(out + err)


def test_columns_that_say_who_someone_is_are_read_past_not_stored_as_groups(importer):
    """An HR export has ids, names, emails and phone numbers beside the attributes: stored as group data, every value
    would be a group of one, listed by name in the report's suppressed rows and in the admins' Slack message."""
    text = (
        "Employee ID,Slack ID,Preferred Name,Work Email,Mobile Phone,Personnel number,Date of birth,Gender,"
        "Disability (yes/no),Country of birth\n"
        "E1001,U0ADA,Ada,ada@example.com,+44 7700 900001,77,1990-01-02,Woman,No,Qqland\n"
    )
    status, out, err = importer(text)
    assert status == 0, err
    assert err == [
        "ignored column(s), not group data: Employee ID, Preferred Name, Work Email, Mobile Phone, Personnel number, "
        "Date of birth"
    ]
    assert importer.stored() == {"U0ADA": {"gender": "Woman", "disability_yes_no": "No", "country_of_birth": "Qqland"}}


def test_hr_values_that_are_none_of_a_questions_answers_are_counted_and_named_never_shown(importer):
    """HR writes 'Female' where people choose 'Woman' for themselves: the audit would compare women with women. The
    import says how many rows and values are off the question's answers; never HR's values."""
    status, out, err = importer("slack_id,gender,working pattern\nU0ADA,Female,FT\nU0GRACE,Female,\nU0LIN,Woman,Part-time\n")
    assert status == 0
    assert err == [
        "note: gender: 2 rows give 1 value that is none of the answers of the framework's gender question "
        "(fairness.questions): the audit counts them as groups apart from people's own answers; write HR's values as "
        "those answers",
        "note: working_pattern: 1 row gives 1 value that is none of the answers of the framework's working_pattern "
        "question (fairness.questions): the audit counts them as groups apart from people's own answers; write HR's "
        "values as those answers",
    ]
    assert "Female" not in "\n".join(out + err) and "FT" not in "\n".join(out + err)


def test_a_whole_hr_export_is_refused_not_stored_as_group_data():
    from bot.fairness.groups import MAX_ATTRIBUTES, read_groups
    from bot.imports.table import TableError

    header = "slack_id," + ",".join(f"column {n}" for n in range(MAX_ATTRIBUTES + 1))
    with pytest.raises(TableError, match=f"{MAX_ATTRIBUTES + 1} attribute columns; at most {MAX_ATTRIBUTES}"):
        read_groups(header + "\nU01ABCDEF," + ",".join("x" for _ in range(MAX_ATTRIBUTES + 1)) + "\n")
