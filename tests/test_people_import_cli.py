"""`ladder people import` through the real command, against the fake Slack for look-ups, on SQLite and PostgreSQL.

The rules: a column left out, or a cell left empty, leaves the stored value alone; '-' clears an optional value; a new
person needs a level; every import says what it changes (per person and field, old → new, then the counts); --dry-run
says exactly that and writes nothing, neither to the database nor to Slack.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main as ladder
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.repositories import PeopleRepository
from tests.app_server import ladder_env
from tests.frameworks import default_framework

TEAM = "T0TEST"
LOOKUPS = {"auth.test", "users.lookupByEmail", "users.info"}


class Importer:
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], people: PeopleRepository) -> None:
        self._tmp, self._capsys, self.people = tmp_path, capsys, people
        self._files = 0

    def __call__(self, text: str, *flags: str) -> tuple[int, list[str], list[str]]:
        """Import ``text`` as a CSV file: the exit status, stdout's lines and stderr's lines."""
        self._files += 1
        path = self._tmp / f"people{self._files}.csv"
        path.write_text(text)
        self._capsys.readouterr()
        status = ladder(["people", "import", str(path), *flags])
        out, err = self._capsys.readouterr()
        return status, out.splitlines(), err.splitlines()

    def person(self, user_id: str):
        return self.people.get(TEAM, user_id)


@pytest.fixture
def importer(fake_slack, database_url, monkeypatch, tmp_path, capsys) -> Importer:
    for name, value in ladder_env(fake_slack.url, database_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LADDER_FRAMEWORK", raising=False)
    upgrade(database_url)
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    fake_slack.add_user("U0GRACE", "grace@example.com", "Grace Hopper")
    fake_slack.add_user("U0LIN", "lin@example.com", "Lin Wei")
    engine = make_engine(database_url)
    yield Importer(tmp_path, capsys, PeopleRepository(engine))
    engine.dispose()


FIRST = (
    "email,level,manager,name,level_since\n"
    "ada@example.com,Senior,grace@example.com,Countess Ada,2024-03-01\n"
    "grace@example.com,sr_em,,,\n"
)


def test_the_first_import_says_what_it_creates(importer):
    status, out, err = importer(FIRST)
    assert (status, err) == (0, [])
    assert out == [
        "+ Countess Ada (U0ADA) (row 2)",
        "    track: ic",
        "    level: senior",
        "    level_since: 2024-03-01",
        "    manager: U0GRACE",
        "    name: Countess Ada",
        "    email: ada@example.com",
        "+ Grace Hopper (U0GRACE) (row 3)",
        "    track: management",
        "    level: sr_em",
        "    name: Grace Hopper",
        "    email: grace@example.com",
        "imported 2 people (2 new, 0 updated, 0 unchanged)",
    ]
    again = importer(FIRST)
    assert again == (0, ["imported 2 people (0 new, 0 updated, 2 unchanged)"], [])


def test_a_file_without_a_manager_column_leaves_managers_and_names_alone(importer):
    importer(FIRST)
    status, out, err = importer("email,level\nada@example.com,staff\n")
    assert (status, err) == (0, [])
    assert out == [
        "~ Countess Ada (U0ADA) (row 2)",
        "    level: senior → staff",
        "    level_since: 2024-03-01 → (none)",
        "imported 1 people (0 new, 1 updated, 0 unchanged)",
    ]
    ada = importer.person("U0ADA")
    assert (ada.level, ada.manager_user_id, ada.name, ada.level_since) == ("staff", "U0GRACE", "Countess Ada", None)


def test_empty_cells_leave_values_alone_and_the_marker_clears_them(importer):
    importer(FIRST)
    assert importer("email,level,manager,name,level_since\nada@example.com,,,,\n")[1] == [
        "imported 1 people (0 new, 0 updated, 1 unchanged)"
    ]
    status, out, _ = importer("email,manager,name,level_since\nada@example.com,-,-,-\n")
    assert status == 0 and out == [
        "~ Countess Ada (U0ADA) (row 2)",
        "    level_since: 2024-03-01 → (none)",
        "    manager: U0GRACE → (none)",
        "    name: Countess Ada → Ada Lovelace",
        "imported 1 people (0 new, 1 updated, 0 unchanged)",
    ]
    ada = importer.person("U0ADA")
    assert (ada.level, ada.manager_user_id, ada.name, ada.level_since) == ("senior", None, "Ada Lovelace", None)


def test_a_dry_run_shows_exactly_the_changes_and_writes_nothing_anywhere(importer, fake_slack):
    importer(FIRST)
    before = {p.user_id: (p.level, p.manager_user_id, p.name, p.updated_at) for p in importer.people.list(TEAM)}
    calls = len(fake_slack.calls())
    change = "email,level,manager\nada@example.com,principal,-\nlin@example.com,se2,ada@example.com\n"
    status, dry, err = importer(change, "--dry-run")
    assert (status, err) == (0, [])
    assert {call.method for call in fake_slack.calls()[calls:]} <= LOOKUPS
    assert {p.user_id: (p.level, p.manager_user_id, p.name, p.updated_at) for p in importer.people.list(TEAM)} == before
    assert dry[-1] == "dry run: would import 2 people (1 new, 1 updated, 0 unchanged); nothing was written"
    status, real, _ = importer(change)
    assert status == 0 and real[:-1] == dry[:-1] and real[-1] == "imported 2 people (1 new, 1 updated, 0 unchanged)"
    assert dry[:-1] == [
        "~ Countess Ada (U0ADA) (row 2)",
        "    level: senior → principal",
        "    level_since: 2024-03-01 → (none)",
        "    manager: U0GRACE → (none)",
        "+ Lin Wei (U0LIN) (row 3)",
        "    track: ic",
        "    level: se2",
        "    manager: U0ADA",
        "    name: Lin Wei",
        "    email: lin@example.com",
    ]


def test_a_dry_run_creates_no_database(fake_slack, tmp_path, monkeypatch, capsys):
    database = tmp_path / "never.db"
    for name, value in ladder_env(fake_slack.url, f"sqlite:///{database}").items():
        monkeypatch.setenv(name, value)
    fake_slack.add_user("U0ADA", "ada@example.com", "Ada Lovelace")
    (tmp_path / "p.csv").write_text("email,level\nada@example.com,staff\n")
    assert ladder(["people", "import", str(tmp_path / "p.csv"), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "+ Ada Lovelace (U0ADA) (row 2)" and "everyone would be new" in err
    assert not database.exists()


def test_a_new_person_needs_a_level_and_bad_rows_are_skipped_by_line(importer):
    importer(FIRST)
    status, out, err = importer(
        "email,level,manager\n"
        "lin@example.com,,\n"  # new, no level
        "ada@example.com,,boss@example.com\n"  # unknown manager: left alone, the rest kept
        "nobody@example.com,staff,\n"
        "grace@example.com,em,\n"
        "U0GRACE,sr_em,\n"  # the same person again
        "ada@example.com,Staf,\n"
    )
    assert status == 1
    assert err == [
        "row 2: 'lin@example.com' is new, and a new person needs a level",
        "row 3: no Slack user found for manager 'boss@example.com'; manager left as it was",
        "row 4: no Slack user found for 'nobody@example.com'",
        "row 6: 'U0GRACE' is U0GRACE, already imported from row 5",
        f"row 7: unknown level 'Staf' (known: {', '.join(lv.id for lv in default_framework().levels)})",
    ]
    assert out[-1] == "imported 2 people (0 new, 1 updated, 1 unchanged); 4 rows skipped"
    assert importer.person("U0ADA").manager_user_id == "U0GRACE" and importer.person("U0LIN") is None
    assert importer.person("U0GRACE").level == "em"


def test_a_track_alone_must_be_the_track_of_the_stored_level(importer):
    importer(FIRST)
    assert importer("email,track\nada@example.com,ic\n")[1] == ["imported 1 people (0 new, 0 updated, 1 unchanged)"]
    status, _, err = importer("email,track\nada@example.com,management\n")
    assert status == 1 and err == ["row 2: track 'management' is not the track of their level 'senior': give the level too"]


def test_clearing_what_cannot_be_cleared_and_dates(importer):
    importer(FIRST)
    status, _, err = importer(
        "email,level,track,level_since\nada@example.com,-,,\ngrace@example.com,,-,\nU0ADA,,,2024-02-30\nU0GRACE,,,2999-01-01\n"
    )
    assert status == 1 and err == [
        "row 2: a level cannot be cleared ('-'); leave the cell empty to keep it",
        "row 3: a track cannot be cleared ('-'): it is the level's",
        "row 4: level_since '2024-02-30' is not a date; write it as YYYY-MM-DD",
        "row 5: level_since 2999-01-01 is in the future",
    ]
    assert importer.person("U0ADA").level_since == date(2024, 3, 1)


def test_unknown_columns_are_named_and_ignored(importer):
    status, out, err = importer("Email,Level,Department,Cost centre\nada@example.com,staff,R&D,42\n")
    assert status == 0 and err == ["ignored column(s), not known to the import: Department, Cost centre"]
    assert out[-1] == "imported 1 people (1 new, 0 updated, 0 unchanged)"


@pytest.mark.parametrize(
    "content, says",
    [
        ("email,level\nada@example.com," + "x" * 100_000 + "\n", "line 2: a record longer than 65,536 characters"),
        ('email,level\nada@example.com,"' + "staff\n" * 20_000 + '"\n', "a record longer than 65,536 characters"),
        ("email,level\n" + "\n" * 200_001, "more than 200,000 rows"),
        (b"email,level\nada@example.com,\xff\n", "is not UTF-8 text (byte 29); save it as CSV UTF-8"),
    ],
    ids=["huge-field", "huge-quoted-field", "too-many-rows", "not-utf8"],
)
def test_files_past_a_bound_are_one_line(importer, content, says):
    path = importer._tmp / "bad.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    importer._capsys.readouterr()
    assert ladder(["people", "import", str(path)]) == 1
    out, err = importer._capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and says in err and err.startswith("ladder: "), err


def test_a_huge_or_endless_file_is_refused_unread(importer, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(5 * 1024**3)
    importer._capsys.readouterr()
    assert ladder(["people", "import", str(huge)]) == 1
    assert importer._capsys.readouterr().err == f"ladder: {huge} is larger than 20 MiB, the most Ladder reads for an import\n"
    assert ladder(["people", "import", "/dev/zero"]) == 1
    assert "/dev/zero is larger than 20 MiB" in importer._capsys.readouterr().err
