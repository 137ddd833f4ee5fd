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


# -- values the database would refuse ---------------------------------------------------------------------------------


def test_a_control_character_anywhere_is_a_row_problem_and_a_dry_run_says_what_the_run_does(importer):
    text = (
        "email,level,name,manager\n"
        "ada@example.com,senior,Ada\x00Evil,\n"  # PostgreSQL refuses NUL in text
        "grace@example.com,sr_em,Grace Hopper,\n"
        "lin@example.com,se2,Lin\x1b[31mWei,\n"  # a terminal escape
        "U0LIN\x07,se2,,\n"
        'lin@example.com,se2,"Lin\nWei",\n'
        "lin@example.com,se2,Lin\x85Wei,\n"  # C1
        f"lin@example.com,se2,{'L' * 201},\n"
        f"{'l' * 310}@example.com,se2,,\n"
        "lin@example.com,se2,,grace@example.com\x7f\n"
    )
    dry_status, dry_out, dry_err = importer(text, "--dry-run")
    status, out, err = importer(text)
    assert (status, err) == (dry_status, dry_err) == (1, [
        "row 2: the name cell holds a control character (U+0000 NUL); remove it",
        "row 4: the name cell holds a control character (U+001B escape); remove it",
        "row 5: the person cell holds a control character (U+0007); remove it",
        "row 6: the name cell holds a control character (U+000A line feed); remove it",
        "row 7: the name cell holds a control character (U+0085); remove it",
        "row 8: a name of 201 characters; at most 200",
        "row 9: email address of 322 characters; at most 320",
        "row 10: the manager cell holds a control character (U+007F DEL); remove it",
    ])  # fmt: skip
    assert out[:-1] == dry_out[:-1] and out[-1] == "imported 1 people (1 new, 0 updated, 0 unchanged); 8 rows skipped"
    assert dry_out[-1] == "dry run: would import 1 people (1 new, 0 updated, 0 unchanged); 8 rows skipped; nothing was written"
    assert [p.user_id for p in importer.people.list(TEAM)] == ["U0GRACE"]


def test_what_slack_says_of_a_person_is_stored_only_as_the_database_takes_it(importer, fake_slack):
    fake_slack.change_user("U0ADA", real_name="Ada\x00 Lovelace " + "x" * 300)
    fake_slack.change_user("U0LIN", email=f"{'l' * 330}@example.com")
    status, out, err = importer("slack_id,level\nU0ADA,senior\nU0LIN,se2\n")
    assert (status, err) == (0, [])
    ada, lin = importer.person("U0ADA"), importer.person("U0LIN")
    assert ada.name == ("Ada Lovelace " + "x" * 300)[:200] and ada.email == "ada@example.com"
    assert lin.name == "Lin Wei" and lin.email is None


# -- who can take part -------------------------------------------------------------------------------------------------


def test_deactivated_accounts_bots_and_apps_are_refused_as_people_and_as_managers(importer, fake_slack):
    fake_slack.add_user("U0GONE", "gone@example.com", "Gone Person")
    fake_slack.disable_user("U0GONE")
    fake_slack.add_user("U0BOT", "deploy@example.com", "Deploy Bot", is_bot=True)
    status, out, err = importer(
        "slack_id,level,manager\n"
        "U0GONE,senior,U0ADA\n"
        "U0BOT,senior,\n"
        "U0ADA,senior,U0BOT\n"
        "U0LIN,se2,gone@example.com\n"
        "USLACKBOT,senior,\n"
    )
    assert status == 1 and err == [
        "row 2: 'U0GONE' (U0GONE) cannot take part: deactivated",
        "row 3: 'U0BOT' (U0BOT) cannot take part: a bot or an app, not a person",
        "row 4: manager 'U0BOT' (U0BOT) cannot take part: a bot or an app, not a person; manager left as it was",
        "row 5: manager 'gone@example.com' (U0GONE) cannot take part: deactivated; manager left as it was",
        "row 6: no Slack user found for 'USLACKBOT'",
    ]
    assert out[-1] == "imported 2 people (2 new, 0 updated, 0 unchanged); 3 rows skipped"
    assert {p.user_id: p.manager_user_id for p in importer.people.list(TEAM)} == {"U0ADA": None, "U0LIN": None}


# -- management chains -------------------------------------------------------------------------------------------------


def test_a_management_loop_is_refused_naming_it(importer, fake_slack):
    importer("email,level,manager\nada@example.com,senior,grace@example.com\ngrace@example.com,sr_em,\n")
    status, out, err = importer("email,manager\ngrace@example.com,ada@example.com\n")
    assert status == 1 and err == [
        "row 2: would make a management loop: Grace Hopper (U0GRACE), who reports to Ada Lovelace (U0ADA), "
        "who reports to Grace Hopper (U0GRACE)"
    ]
    assert out == ["imported 0 people (0 new, 0 updated, 0 unchanged); 1 row skipped"]
    assert importer.person("U0GRACE").manager_user_id is None

    fake_slack.add_user("U0BEA", "bea@example.com", "Bea Bell")
    status, out, err = importer(  # a loop made within the file; the rows around it are kept
        "email,level,manager\n"
        "lin@example.com,se2,bea@example.com\n"
        "bea@example.com,senior,lin@example.com\n"
        "grace@example.com,,lin@example.com\n"
    )
    assert status == 1 and err == [
        "row 2: would make a management loop: Lin Wei (U0LIN), who reports to Bea Bell (U0BEA), who reports to Lin Wei (U0LIN)",
        "row 3: would make a management loop: Bea Bell (U0BEA), who reports to Lin Wei (U0LIN), who reports to Bea Bell (U0BEA)",
    ]
    assert importer.person("U0LIN") is None and importer.person("U0GRACE").manager_user_id == "U0LIN"
    assert importer("email,level,manager\nlin@example.com,se2,bea@example.com\nbea@example.com,senior,\n")[0] == 0


def test_skipping_a_loop_row_that_brings_back_a_stored_manager_closing_another_loop_skips_that_row_too(importer, fake_slack):
    fake_slack.add_user("U0BEA", "bea@example.com", "Bea Bell")
    importer("slack_id,level,manager\nU0ADA,senior,\nU0GRACE,sr_em,U0ADA\nU0LIN,se2,\nU0BEA,se2,\n")
    status, _, err = importer("slack_id,manager\nU0ADA,U0GRACE\nU0GRACE,U0LIN\nU0LIN,U0GRACE\n")
    # Grace ↔ Lin is a loop: both rows skipped; Grace's stored manager (Ada) comes back, and Ada → Grace closes a loop
    assert status == 1 and [line.split(":")[0] for line in err] == ["row 2", "row 3", "row 4"]
    assert all("would make a management loop" in line for line in err)
    stored = {p.user_id: p.manager_user_id for p in importer.people.list(TEAM)}
    assert stored == {"U0ADA": None, "U0GRACE": "U0ADA", "U0LIN": None, "U0BEA": None}


# -- levels Ladder set -------------------------------------------------------------------------------------------------


def _promoted_by_ladder(database_url: str, user_id: str, from_level: str, to_level: str, effective_on: date) -> None:
    """What publishing a promotion leaves behind once its effective date has come (bot/panels/publication.py): the level
    change row, applied, and the person at the new level since that date."""
    from sqlmodel import Session, select

    from storage.models import LevelChange, Person, utcnow

    engine = make_engine(database_url)
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.team_id == TEAM, Person.user_id == user_id)).one()
        person.level, person.level_since = to_level, effective_on
        session.add(person)
        session.add(
            LevelChange(
                team_id=TEAM, user_id=user_id, from_track=person.track, from_level=from_level, to_track=person.track,
                to_level=to_level, effective_on=effective_on, applied_at=utcnow(),
            )
        )  # fmt: skip
        session.commit()
    engine.dispose()


def test_a_reimport_keeps_a_level_ladder_set_from_a_promotion_and_says_so(importer, database_url):
    importer(FIRST)
    _promoted_by_ladder(database_url, "U0ADA", "senior", "staff", date(2025, 3, 1))
    stale = "email,level,manager,level_since\nada@example.com,Senior,-,2024-03-01\n"  # an HR export from before it
    for flags in (("--dry-run",), ()):
        status, out, err = importer(stale, *flags)
        assert status == 1 and err == [
            "row 2: level kept at 'staff', which Ladder set from a promotion effective 2025-03-01; the file says 'senior' "
            "(to let the file win: a level_since after 2025-03-01, or --levels-from-file)"
        ]
        assert out[:-1] == ["~ Countess Ada (U0ADA) (row 2)", "    manager: U0GRACE → (none)"]  # the rest of the row is kept
    ada = importer.person("U0ADA")
    assert (ada.level, ada.level_since, ada.manager_user_id) == ("staff", date(2025, 3, 1), None)

    assert importer("email,level\nada@example.com,staff\n") == (0, ["imported 1 people (0 new, 0 updated, 1 unchanged)"], [])
    later = "email,level,level_since\nada@example.com,principal,2025-09-01\n"  # a change HR made after the promotion
    assert importer(later)[0] == 0 and importer.person("U0ADA").level == "principal"


def test_levels_from_file_lets_the_file_win_and_then_the_file_is_the_record(importer, database_url):
    importer(FIRST)
    _promoted_by_ladder(database_url, "U0ADA", "senior", "staff", date(2025, 3, 1))
    status, out, err = importer("email,level\nada@example.com,senior\n", "--levels-from-file")
    assert (status, err) == (0, []) and out[1:3] == ["    level: staff → senior", "    level_since: 2025-03-01 → (none)"]
    assert importer("email,level\nada@example.com,se2\n")[0] == 0  # the promotion's level is no longer there to keep
    assert importer.person("U0ADA").level == "se2"


# -- which workspace ---------------------------------------------------------------------------------------------------


def test_team_must_be_the_tokens_workspace_and_shaped_like_a_team_id(importer):
    elsewhere = "ladder: --team T0ELSEWHERE is not the workspace SLACK_BOT_TOKEN belongs to (T0TEST), where people are looked up"
    for team, says in (
        ("T0ELSEWHERE", elsewhere),
        ("not a team", "ladder: --team: not a Slack team id: 'not a team' (team ids look like T0123ABCD, or E0123ABCD"),
        ("T" + "0" * 40, "ladder: --team: not a Slack team id: "),
    ):
        status, out, err = importer(FIRST, "--team", team)
        assert (status, out) == (2, []) and len(err) == 1 and err[0].startswith(says), err
    assert importer.people.count(TEAM) == 0
    assert importer(FIRST, "--team", TEAM)[0] == 0


# -- Slack's rate limits -----------------------------------------------------------------------------------------------


def test_an_import_of_many_people_reads_slacks_member_list_instead_of_asking_for_each(importer, fake_slack):
    staff = 450
    for n in range(staff):
        fake_slack.add_user(f"U1{n:05d}", f"person{n}@example.com", f"Person {n}")
    text = "email,level,manager\n" + "".join(
        f"person{n}@example.com,se2,{'grace@example.com' if n % 2 else 'ADA@example.com'}\n" for n in range(staff)
    )
    text += "ada@example.com,senior,\ngrace@example.com,sr_em,\nnobody@example.com,se2,\n"
    for attempt in ("first", "again"):
        before = len(fake_slack.calls())
        status, out, err = importer(text)
        asked = [call.method for call in fake_slack.calls()[before:]]
        assert status == 1 and err == [f"row {staff + 4}: no Slack user found for 'nobody@example.com'"]
        assert out[-1].startswith(f"imported {staff + 2} people (")
        assert sorted(asked) == ["auth.test"] + ["users.list"] * 3, attempt  # 453 accounts, 200 a page: not 452 look-ups
    assert importer.person("U100001").manager_user_id == "U0GRACE" and importer.person("U100002").manager_user_id == "U0ADA"

    before = len(fake_slack.calls())
    importer("email,level\nlin@example.com,se2\n")  # a few people: asked for one by one, not the whole workspace
    assert [call.method for call in fake_slack.calls()[before:]] == ["auth.test", "users.lookupByEmail"]
