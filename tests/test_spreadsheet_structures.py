"""Spreadsheet tables whose columns are a level's attributes, tables of competency definitions, several files that
describe the same levels, names over the file's limits, and what is not placed said once per reason."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import SHORT_LIMIT, Draft, Piece, Where, compact_places
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.files import import_files

RESPONSIBILITIES = "Writes small features.\nFixes the bugs they find.\nAsks for review early."


def csv_file(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def imported(*paths: Path) -> tuple[dict, Draft]:
    draft = import_files(list(paths))
    text = draft.yaml()
    check = check_framework_text(text, "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(text), draft


def tracks(document: dict) -> list[tuple[str, list[str], str | None]]:
    return [(t["name"], [lv["title"] for lv in t["levels"]], t.get("starts_after")) for t in document["tracks"]]


def level(document: dict, title: str) -> dict:
    return next(lv for t in document["tracks"] for lv in t["levels"] if lv["title"] == title)


def positions(tmp_path: Path) -> Path:
    """A row per position, as a web page's data exported: ids, a tier several positions share, lists in cells, and
    a Pair column naming the position on the other branch."""
    return csv_file(
        tmp_path / "positions.csv",
        [
            ["id", "name", "level", "description", "responsibilities", "behaviours", "pair"],
            ["trainee", "Trainee", "entry", "Learns the craft with a mentor.", RESPONSIBILITIES, "Shares progress daily.", ""],
            ["builder", "Builder", "entry", "Builds features alone.", "Owns a feature.\nReviews code.", "Unblocks self.", ""],
            ["lead1", "Team Lead", "middle", "Leads a team of builders.", "Runs planning.\nHires.", "Gives feedback.", "expert1"],
            [
                "expert1",
                "Expert I",
                "middle",
                "A technical reference.",
                "Designs systems.\nReviews designs.",
                "Teaches.",
                "lead1",
            ],
            ["head", "Head of Teams", "top", "Leads several teams.", "Sets goals.\nGrows leads.", "Aligns teams.", "expert2"],
            ["expert2", "Expert II", "top", "Shapes the architecture.", "Sets standards.", "Mentors experts.", "head"],
            ["vp", "Vice President", "top", "Runs the organisation.", "Sets strategy.", "Represents the team.", ""],
        ],
    )


# -- a row per level, its columns the level's attributes --------------------------------------------


def test_a_row_per_position_with_lists_in_cells_reads_as_levels_never_as_long_competency_names(tmp_path):
    document, draft = imported(positions(tmp_path))
    assert {c["name"] for c in document["competencies"]} == {"responsibilities", "behaviours"}
    assert all(len(c["name"]) <= SHORT_LIMIT for c in document["competencies"])
    trainee = level(document, "Trainee")
    assert trainee["summary"] == "Learns the craft with a mentor."
    assert trainee["expectations"]["responsibilities"] == RESPONSIBILITIES
    assert "aliases" not in trainee  # its id is its title
    assert level(document, "Team Lead")["aliases"] == ["lead1"]  # the id column: another name, as the data's links use it
    assert not draft.ledger.unplaced


def test_a_pair_column_among_one_tables_levels_parts_a_trunk_into_branches(tmp_path):
    document, draft = imported(positions(tmp_path))
    assert tracks(document) == [
        ("Main", ["Trainee", "Builder"], None),
        ("Team Lead", ["Team Lead", "Head of Teams", "Vice President"], "builder"),
        ("Expert", ["Expert I", "Expert II"], "builder"),
    ]
    assert level(document, "Team Lead")["equivalent"] == "expert_i"
    assert level(document, "Expert II")["equivalent"] == "head_of_teams"
    assert "equivalent" not in level(document, "Vice President")
    assert any("Vice President is paired with no level" in d for d in draft.decisions)
    assert any("parts into tracks" in shape for shape in draft.shapes)


def test_a_tier_several_levels_share_is_a_section_not_a_competency_nor_an_alias(tmp_path):
    document, _ = imported(positions(tmp_path))
    assert "level" not in {c["name"] for c in document["competencies"]}
    assert not any("entry" in lv.get("aliases", []) for t in document["tracks"] for lv in t["levels"])
    section = next(s for s in document["sections"] if s["title"] == "level")
    assert section["text"].splitlines() == [
        "entry: Trainee, Builder",
        "middle: Team Lead, Expert I",
        "top: Head of Teams, Expert II, Vice President",
    ]


def test_a_parent_column_gives_the_order_and_where_the_ladder_forks(tmp_path):
    path = csv_file(
        tmp_path / "roles.csv",
        [
            ["Title", "Previous level", "Summary"],
            ["Staff Engineer", "Senior Engineer", "Leads across teams."],
            ["Engineer", "", "Builds."],
            ["Engineering Manager", "Senior Engineer", "Manages a team."],
            ["Senior Engineer", "Engineer", "Leads projects."],
            ["Director", "Engineering Manager", "Manages managers."],
        ],
    )
    document, draft = imported(path)
    assert tracks(document) == [
        ("Main", ["Engineer", "Senior Engineer", "Staff Engineer"], None),
        ("Engineering Manager", ["Engineering Manager", "Director"], "senior_engineer"),
    ]
    assert not draft.ledger.unplaced


def test_a_grade_table_takes_titles_from_its_name_column_and_keeps_numbers_codes_and_personas(tmp_path):
    path = csv_file(
        tmp_path / "grades.csv",
        [
            ["grade", "roleLevel", "XYZ", "persona", "tagline", "avatar"],
            ["1", "Starter", "XYZ 2", "The Keen Learner", "Learns fast.", "./img/avatars/grade-1.png"],
            ["2", "Practitioner", "XYZ 3", "The Steady Hand", "Delivers alone.", "./img/avatars/grade-2.png"],
            ["3", "Lead", "XYZ 3/4", "The Multiplier", "Grows others.", "https://example.com/grade-3.png"],
        ],
    )
    document, draft = imported(path)
    assert tracks(document) == [("Main", ["Starter", "Practitioner", "Lead"], None)]
    practitioner = level(document, "Practitioner")
    assert practitioner["aliases"] == ["grade 2", "XYZ 3", "The Steady Hand"]
    assert practitioner["summary"] == "Delivers alone."
    assert "competencies" not in document  # nothing in the table is a competency
    unplaced = {e.piece.where.place: e.reason for e in draft.ledger.unplaced}
    assert set(unplaced) == {"F2", "F3", "F4"} and all("markup" in reason for reason in unplaced.values())


def test_numbers_in_a_level_column_beside_a_title_column_order_the_levels_and_name_them(tmp_path):
    path = csv_file(tmp_path / "ladder.csv", [["Level", "Title", "Craft"], ["2", "Senior", "Leads"], ["1", "Junior", "Learns"]])
    document, _ = imported(path)
    assert tracks(document) == [("Main", ["Junior", "Senior"], None)]
    assert level(document, "Senior")["aliases"] == ["Level 2"]


# -- a table of competency definitions -------------------------------------------------------------


def competency_table(tmp_path: Path) -> Path:
    return csv_file(
        tmp_path / "competencies.csv",
        [
            ["categories.id", "categories.name", "id", "name", "description"],
            ["people", "People", "mentoring", "Mentoring", "Helping others grow."],
            ["people", "People", "tw", "Team work", "Working well with others."],
            ["delivery", "Delivery", "craft", "Craft", "The quality of what you make."],
        ],
    )


def test_a_table_of_competency_definitions_describes_the_competencies_other_files_use(tmp_path):
    matrix = csv_file(
        tmp_path / "ladder.csv",
        [["Competency", "Junior", "Senior"], ["Craft", "Builds", "Designs"], ["Team work", "Helps", "Leads"]],
    )
    document, draft = imported(matrix, competency_table(tmp_path))
    competencies = {c["name"]: c for c in document["competencies"]}
    assert competencies["Craft"]["description"] == "The quality of what you make."
    assert competencies["Craft"]["group"] == "Delivery"
    assert competencies["Team work"]["aliases"] == ["tw"] and "aliases" not in competencies["Craft"]  # not its own name
    assert competencies["Mentoring"]["group"] == "People"
    assert tracks(document) == [("Ladder", ["Junior", "Senior"], None)]  # no level from the definitions
    assert any("a row per competency" in shape for shape in draft.shapes)
    reasons = {e.reason for e in draft.ledger.unplaced}
    assert reasons == {"the id of the group named beside it (markup), not the ladder's text"}


def test_a_table_of_definitions_alone_is_no_ladder(tmp_path):
    try:
        import_files([competency_table(tmp_path)])
    except UnreadableFile as exc:
        assert "found no level titles" in str(exc)
    else:
        raise AssertionError("a table of competencies alone was imported as a ladder")


def test_name_and_description_alone_are_still_levels(tmp_path):
    path = csv_file(tmp_path / "roles.csv", [["Name", "Description"], ["Explorer", "Learns."], ["Builder", "Builds."]])
    document, _ = imported(path)
    assert tracks(document) == [("Main", ["Explorer", "Builder"], None)]


# -- several files, one framework ------------------------------------------------------------------


def test_a_grade_table_and_a_page_per_grade_are_one_ladder(tmp_path):
    grades = csv_file(
        tmp_path / "grades.csv",
        [
            ["grade", "title", "tagline"],
            ["1", "Apprentice Builder", "Learns the trade."],
            ["2", "Journey Builder", "Builds alone."],
        ],
    )
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "grade-1.md").write_text("# Craft\n\n- Writes tests for their changes.\n\n# Teamwork\n\n- Helps a teammate.\n")
    (pages / "grade-2.md").write_text("# Craft\n\n- Designs modules others build on.\n\n# Teamwork\n\n- Mentors two people.\n")
    document, draft = imported(grades, pages / "grade-1.md", pages / "grade-2.md")
    assert tracks(document) == [("Grades", ["Apprentice Builder", "Journey Builder"], None)]
    journey = level(document, "Journey Builder")
    assert journey["aliases"] == ["grade 2"] and journey["summary"] == "Builds alone."
    assert journey["expectations"] == {"craft": "Designs modules others build on.", "teamwork": "Mentors two people."}
    assert any("describe the same levels" in shape for shape in draft.shapes)


def test_a_table_of_roles_and_a_raci_table_by_their_codes_are_one_track(tmp_path):
    roles = csv_file(
        tmp_path / "roles.csv",
        [
            ["name", "description"],
            ["Head", "Runs the area."],
            ["Tribe Lead (TBL)", "Leads a tribe."],
            ["Team Lead (TL)", "Leads a team."],
        ],
    )
    raci = csv_file(tmp_path / "raci.csv", [["task", "Head", "TBL", "TL"], ["Set the vision", "A", "C", "I"]])
    document, _ = imported(roles, raci)
    assert tracks(document) == [("Roles", ["Head", "Tribe Lead (TBL)", "Team Lead (TL)"], None)]
    tribe = level(document, "Tribe Lead (TBL)")
    assert tribe["summary"] == "Leads a tribe." and tribe["aliases"] == ["TBL"]
    assert tribe["expectations"] == {"set_the_vision": "C"}


def test_tracks_that_share_only_titles_or_only_codes_stay_apart(tmp_path):
    design = csv_file(
        tmp_path / "design.csv", [["Competency", "Consultant", "Senior Consultant"], ["Craft", "Draws", "Leads design"]]
    )
    build = csv_file(
        tmp_path / "build.csv", [["Competency", "Consultant", "Senior Consultant"], ["Craft", "Codes", "Leads code"]]
    )
    document, _ = imported(design, build)
    assert [name for name, _levels, _after in tracks(document)] == ["Design", "Build"]
    writers = csv_file(tmp_path / "writers.csv", [["Competency", "Level 1: Writer I", "Level 2: Writer II"], ["Craft", "a", "b"]])
    analysts = csv_file(
        tmp_path / "analysts.csv", [["Competency", "Level 1: Analyst I", "Level 2: Analyst II"], ["Craft", "c", "d"]]
    )
    document, _ = imported(writers, analysts)
    assert len(document["tracks"]) == 2


def test_a_file_of_prose_only_adds_its_sections_to_the_ladder_of_the_others(tmp_path):
    ladder = csv_file(tmp_path / "ladder.csv", [["Competency", "Junior", "Senior"], ["Craft", "Builds", "Designs"]])
    notes = csv_file(
        tmp_path / "promotions.csv",
        [["How promotions work"], ["Promotions are decided twice a year by a panel of leads."]],
    )
    document, draft = imported(ladder, notes)
    assert tracks(document) == [("Ladder", ["Junior", "Senior"], None)]
    assert any("twice a year" in s["text"] for s in document["sections"])
    assert not draft.ledger.unplaced


# -- names within the file's limits ---------------------------------------------------------------


def test_names_over_the_limit_are_shortened_with_the_whole_text_kept_and_said():
    long_name = "Owns the delivery of features. " + "Works with product and design on every detail of it " * 6
    draft = Draft(name="Acme")
    track = draft.track("Engineering")
    junior = draft.level(track, "Junior " + "with a very long explanation of what it means " * 6, Where("a.csv", "A2"))
    draft.add_expectation(track, junior, long_name, Piece("Ships small features.", Where("a.csv", "B2")))
    draft.add_section(
        "Notes " + "on how to read this ladder and what each column means " * 5, "other", Piece("Read it.", Where("a.csv", "A9"))
    )
    text = draft.yaml()
    check = check_framework_text(text, "long.yaml")
    assert not check.errors, check.lines()
    document = yaml.safe_load(text)
    competency = document["competencies"][0]
    assert competency["name"] == "Owns the delivery of features"
    assert competency["description"] == " ".join(long_name.split())
    title = document["tracks"][0]["levels"][0]["title"]
    assert len(title) <= 80 and title.endswith("…") and title.startswith("Junior with a very long")
    assert document["tracks"][0]["levels"][0]["summary"].startswith("Junior with a very long explanation")
    assert len(document["sections"][0]["title"]) <= 80 and document["sections"][0]["text"].endswith("Read it.")
    assert sum("longer than a name may be" in d for d in draft.decisions) == 3


# -- what is not placed, once per reason ----------------------------------------------------------


def test_a_forms_answers_are_listed_once_per_reason_with_their_places_as_ranges(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("Delivery", "Craft"):
        sheet = book.create_sheet(name)
        sheet.append(["Junior", None, "Senior", None])
        for i in range(6):
            sheet.append([f"You ship change {i} of {name} with care.", "No", f"You lead work {i} of {name} for others.", "Yes"])
        sheet.append(["Result", "Not yet", "Result", "Not yet"])
    path = tmp_path / "assessment.xlsx"
    book.save(path)
    _document, draft = imported(path)
    assert len(draft.ledger.unplaced) == 2 * (6 * 2 + 4)
    header = [line for line in draft.yaml().splitlines() if line.startswith("# - ") and str(path) in line]
    answers = next(line for line in header if "a form's answer" in line)
    assert answers.startswith(f"# - {path}:Delivery!B2:B8, D2:D8; Craft!B2:B8, D2:D8: No | Yes | Not yet (")
    assert len([line for line in header if "not the ladder's" in line]) == 2


def test_places_compact_into_ranges():
    assert compact_places(["S!C7", "S!F7", "S!C8", "S!F8", "S!C9", "T!A1"]) == "S!C7:C9, F7:F8; T!A1"
    assert compact_places(["A2", "B2", "A3", "B3", "A5"]) == "A2:B3, A5"
    assert compact_places(["171", "175", "176-178", "12", "Overview"]) == "12, 171, 175-178; Overview"


_PLACE = re.compile(r"^(?:(.*)!)?([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _expanded(compact: str) -> set[str]:
    """Every place a compacted list stands for, back as single cells ("S!1,2") and lines ("12")."""
    found: set[str] = set()
    for group in compact.split("; "):
        sheet = group.split("!", 1)[0] if "!" in group else ""
        items = group.split("!", 1)[1] if "!" in group else group
        for item in items.split(", "):
            cells = _PLACE.match(item)
            if cells:
                left, top = _column(cells.group(2)), int(cells.group(3))
                right, bottom = (_column(cells.group(4)), int(cells.group(5))) if cells.group(4) else (left, top)
                found |= {f"{sheet}!{c},{r}" for c in range(left, right + 1) for r in range(top, bottom + 1)}
            else:
                first, _, last = item.partition("-")
                found |= {str(n) for n in range(int(first), int(last or first) + 1)}
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(["S", "Know-how"]), st.integers(1, 30), st.integers(1, 12)).map(
                lambda t: f"{t[0]}!{chr(64 + t[1]) if t[1] <= 26 else 'A' + chr(64 + t[1] - 26)}{t[2]}"
            ),
            st.integers(1, 60).map(str),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_compacted_places_stand_for_exactly_the_places_given(places):
    def single(place: str) -> str:
        if "!" not in place:
            return place
        sheet, cell = place.split("!")
        letters = cell.rstrip("0123456789")
        return f"{sheet}!{_column(letters)},{int(cell[len(letters) :])}"

    assert _expanded(compact_places(places)) == {single(p) for p in places}


def test_numbered_levels_keep_their_numbers_as_titles_when_no_column_names_them(tmp_path):
    path = csv_file(
        tmp_path / "ladder.csv",
        [
            ["Level", "Scope", "Craft"],
            ["1", "Team", "Writes code."],
            ["2", "Group", "Designs systems."],
            ["3", "Org", "Sets direction."],
        ],
    )
    document, _ = imported(path)
    assert tracks(document) == [("Main", ["1", "2", "3"], None)]
    assert level(document, "2")["scope"] == "Group" and level(document, "2")["expectations"] == {"craft": "Designs systems."}


def test_a_row_per_level_with_one_short_responsibility_each_is_not_a_long_table(tmp_path):
    path = csv_file(
        tmp_path / "roles.csv",
        [["Title", "Responsibility", "Scope"], ["Junior", "Fixes bugs", "A task"], ["Senior", "Leads projects", "A team"]],
    )
    document, _ = imported(path)
    assert [c["name"] for c in document["competencies"]] == ["Responsibility"]
    assert level(document, "Senior")["expectations"] == {"responsibility": "Leads projects"}


def test_an_overview_table_with_a_column_per_track_names_equivalents_row_by_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    overview = book.create_sheet("Overview")
    for row in [
        ["How the families line up"],
        ["Band", "Engineers", "Managers"],
        ["B3", "E3 Senior Engineer", "M1 Team Lead"],
        ["B4", "E4 Staff Engineer", "Engineering Manager"],
        ["B5", "", "M3 Director"],
    ]:
        overview.append(row)
    engineers = book.create_sheet("Engineers")
    engineers.append([None, "E2", "E3", "E4"])
    engineers.append(["Competency", "Engineer", "Senior Engineer", "Staff Engineer"])
    engineers.append(["Typical time in role", "1-2 years", "2-3 years", "3+ years"])
    engineers.append(["Craft", "Builds", "Designs", "Sets direction"])
    managers = book.create_sheet("Managers")
    managers.append([None, "M1", "M2", "M3"])
    managers.append(["Competency", "Team Lead", "Engineering Manager", "Director"])
    managers.append(["People", "Coaches", "Hires", "Grows managers"])
    path = tmp_path / "ladder.xlsx"
    book.save(path)
    document, draft = imported(path)
    assert level(document, "Senior Engineer")["equivalent"] == "team_lead"
    assert level(document, "Staff Engineer")["equivalent"] == "engineering_manager"
    assert "equivalent" not in level(document, "Director")
    assert level(document, "Engineer")["typical_time_in_level"] == "1-2 years"
    assert any("line their levels up" in shape for shape in draft.shapes)
    assert not any("the files name none" in d for d in draft.decisions)
    # the table is a section under its own heading, its columns in place (an empty cell kept empty)
    assert any(s["title"] == "How the families line up" and "B5 |  | M3 Director" in s["text"] for s in document["sections"])


def test_a_german_locale_export_with_bilingual_headings_families_and_letter_bands(tmp_path):
    """Excel in a German locale: semicolons, a byte order mark, headings in two languages ("Titel / Title"), a Job
    Family column, a Band column repeating "Band A"… in each family, and titles opening with their band: each title
    is the level ("Band B – Analyst" is Analyst, also called Band B), the bands are aliases (not tiers shared by
    levels), and a bilingual competency heading stays one competency."""
    path = tmp_path / "architecture.csv"
    rows = [
        ["Job Family", "Band", "Titel / Title", "Wirkung (Impact)"],
        ["Data", "Band A", "Band A – Junior Analyst", "Answers questions for one team."],
        ["Data", "Band B", "Band B – Analyst", "Changes decisions in one team."],
        ["People", "Band A", "Band A – People Associate", "Pflegt Mitarbeiterdaten."],
        ["People", "Band B", "Band B – People Partner", "Berät Führungskräfte."],
    ]
    path.write_text("\ufeff" + "\r\n".join(";".join(r) for r in rows) + "\r\n", encoding="utf-8")
    document, draft = imported(path)
    assert [(t["name"], t["family"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Data", "Data", ["Junior Analyst", "Analyst"]),  # no track column: each family's track is named after it
        ("People", "People", ["People Associate", "People Partner"]),
    ]
    assert "Band B" in level(document, "Analyst")["aliases"]
    assert "Band B" in level(document, "People Partner")["aliases"]
    assert [c["name"] for c in document["competencies"]] == ["Wirkung (Impact)"]
    assert level(document, "People Partner")["expectations"] == {"wirkung_impact": "Berät Führungskräfte."}
    assert not document.get("sections")  # the bands are no tier section
    assert draft.ledger.unplaced == []


def test_a_code_row_and_a_title_row_under_merged_track_headers_with_equivalents_in_a_note(tmp_path):
    """A Google Sheets export: merged track names over the level columns, a row of codes ("Level code": P1 … M4)
    above a row labelled Title, category rows, and a merged note under the table naming equivalents ("P2 = M2"):
    the titles are the levels, the codes their aliases, the note's pairs equivalents, every cell placed once."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    sheet["B1"], sheet["D1"] = "Professional track", "People management track"
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:E1")
    for column, (code, title) in enumerate(
        [("P1", "Analyst"), ("P2", "Senior Analyst"), ("M2", "Finance Manager"), ("M3", "Head of Finance")], start=2
    ):
        sheet.cell(2, column, code)
        sheet.cell(3, column, title)
        sheet.cell(5, column, f"Reports as {title}.")
    sheet["A2"], sheet["A3"], sheet["A4"], sheet["A5"] = "Level code", "Title", "TECHNICAL", "Reporting"
    sheet.merge_cells("A4:E4")
    sheet["A7"] = "Equivalent levels: P2 = M2. Moving between the tracks is a sideways move."
    sheet.merge_cells("A7:E7")
    path = tmp_path / "matrix.xlsx"
    book.save(path)
    document, draft = imported(path)
    assert [(t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Professional", ["Analyst", "Senior Analyst"]),
        ("People management", ["Finance Manager", "Head of Finance"]),
    ]
    assert level(document, "Senior Analyst")["aliases"] == ["P2"]
    assert level(document, "Senior Analyst")["expectations"] == {"reporting": "Reports as Senior Analyst."}
    assert not any(c["name"] == "Title" for c in document["competencies"])
    assert level(document, "Senior Analyst")["equivalent"] == level(document, "Finance Manager")["id"]
    places = [e.piece.where.place for e in draft.ledger.entries]
    assert len(places) == len(set(places)) and draft.ledger.unplaced == []


def test_field_headings_in_two_languages_and_a_family_column_named_in_german(tmp_path):
    """ "Beschreibung / Description" fills the summary (levels as rows or as columns), and "Jobfamilie" is the
    family column: a track per family."""
    rows = [
        ["Jobfamilie", "Bezeichnung / Title", "Beschreibung / Description", "Kommunikation (Communication)"],
        ["Sales", "Level 1 - Sales Associate", "Sells small deals.", "Writes clear emails."],
        ["Sales", "Level 2 - Account Executive", "Owns a territory.", "Runs customer meetings."],
        ["Marketing", "Level 1 - Marketing Associate", "Runs campaigns.", "Writes copy."],
        ["Marketing", "Level 2 - Marketing Manager", "Owns a channel.", "Presents results."],
    ]
    document, _draft = imported(csv_file(tmp_path / "rows.csv", rows))
    assert [t["family"] for t in document["tracks"]] == ["Sales", "Marketing"]
    assert level(document, "Account Executive")["summary"] == "Owns a territory."
    assert "Level 2" in level(document, "Account Executive")["aliases"]
    assert [c["name"] for c in document["competencies"]] == ["Kommunikation (Communication)"]
    columns = [
        ["Kompetenz / Competency", "Junior Analyst", "Senior Analyst"],
        ["Beschreibung / Description", "Learns the tools.", "Leads analyses."],
        ["Kommunikation (Communication)", "Writes clear notes.", "Presents to leaders."],
    ]
    document, _draft = imported(csv_file(tmp_path / "columns.csv", columns))
    assert level(document, "Senior Analyst")["summary"] == "Leads analyses."


def test_a_next_column_gives_the_order_and_a_fork_named_by_code_and_title(tmp_path):
    path = csv_file(
        tmp_path / "bands.csv",
        [
            ["Grade", "Job title", "Care", "Next step"],
            ["G2", "Helper", "Helps.", "G3"],
            ["G3", "Carer", "Cares.", "G4 Lead Carer or G4 Care Specialist"],
            ["G4", "Lead Carer", "Leads a shift.", ""],
            ["G4", "Care Specialist", "Advises on complex care.", ""],
        ],
    )
    document, draft = imported(path)
    assert tracks(document) == [
        ("Main", ["Helper", "Carer", "Lead Carer"], None),
        ("Care Specialist", ["Care Specialist"], "carer"),
    ]
    assert "Next step" not in {c["name"] for c in document["competencies"]}
    assert not draft.ledger.unplaced


def test_a_next_column_naming_no_level_of_the_table_stays_the_levels_text(tmp_path):
    path = csv_file(
        tmp_path / "support.csv",
        [
            ["Grade", "Job title", "Care", "Progresses to"],
            ["G2", "Helper", "Helps.", "G3"],
            ["G3", "Carer", "Cares.", "Nurse (in the nursing family)"],
        ],
    )
    document, draft = imported(path)
    assert tracks(document) == [("Main", ["Helper", "Carer"], None)]
    assert "Nurse (in the nursing family)" in str(level(document, "Carer"))
    assert not draft.ledger.unplaced


def test_a_long_table_in_dutch_keeps_each_levels_code_and_next_level_once_and_forks(tmp_path):
    rows = [["Functiecode", "Functietitel", "Competentie", "Gedragsindicatoren", "Doorgroei naar", "Laatst gewijzigd"]]
    for code, title, after, day in [
        ("A1", "Medewerker", "A2", "01-01-2026"),
        ("A2", "Senior Medewerker", "A3 of B3", "02-01-2026"),
        ("A3", "Teamleider", "A4", "03-01-2026"),
        ("B3", "Specialist", "A4", "04-01-2026"),
        ("A4", "Manager", "", "05-01-2026"),
    ]:
        rows += [[code, title, skill, f"{title} doet {skill.lower()}.", after, day] for skill in ("Samenwerken", "Coachen")]
    document, draft = imported(csv_file(tmp_path / "export.csv", rows))
    assert tracks(document) == [
        ("Main", ["Medewerker", "Senior Medewerker", "Teamleider", "Manager"], None),
        ("Specialist", ["Specialist"], "senior_medewerker"),
    ]
    assert "A2" in level(document, "Senior Medewerker")["aliases"]
    assert {c["name"] for c in document["competencies"]} == {"Samenwerken", "Coachen", "Laatst gewijzigd", "Doorgroei naar"}
    assert str(level(document, "Teamleider")).count("03-01-2026") == 1
    # the branch leads back to the trunk's next level: the order keeps the first, the branch says it in its own words
    assert "A4" in str(level(document, "Specialist")["expectations"])
    assert not draft.ledger.unplaced


def test_a_header_block_labelled_family_track_code_and_title_over_level_columns(tmp_path):
    """A job architecture matrix: rows labelled Family, Track, Level and Job title over the level columns (family and
    track merged over their runs), then an Equivalent row and dimension rows: the titles are the levels, one track
    per family and track, the codes their aliases, every cell placed once."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    columns = [
        ("Finance", "Professional", "F-1", "Accountant", ""),
        ("Finance", "Professional", "F-2", "Senior Accountant", "Finance Manager"),
        ("Finance", "Management", "G-2", "Finance Manager", "F-2"),
        ("Legal", "Professional", "Grade 7", "Paralegal", ""),
        ("Legal", "Professional", "Grade 8", "Lawyer", ""),
    ]
    for row, label in enumerate(["Family", "Track", "Level", "Job title", "Equivalent level", "Scope"], start=1):
        sheet.cell(row, 1, label)
    for column, (family, track, code, title, equivalent) in enumerate(columns, start=2):
        for row, value in enumerate([family, track, code, title, equivalent, f"What a {title} owns."], start=1):
            if value:
                sheet.cell(row, column, value)
    for cell in ("C1", "D1", "F1", "C2", "F2"):  # merged runs keep their first value only
        sheet[cell] = None
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("E1:F1")
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("E2:F2")
    path = tmp_path / "architecture.xlsx"
    book.save(path)
    document, draft = imported(path)
    assert [(t["name"], t.get("family"), [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Professional", "Finance", ["Accountant", "Senior Accountant"]),
        ("Management", "Finance", ["Finance Manager"]),
        ("Professional", "Legal", ["Paralegal", "Lawyer"]),
    ]
    assert level(document, "Lawyer")["aliases"] == ["Grade 8"]
    assert level(document, "Senior Accountant")["equivalent"] == level(document, "Finance Manager")["id"]
    assert level(document, "Lawyer")["scope"] == "What a Lawyer owns."
    places = [e.piece.where.place for e in draft.ledger.entries]
    assert len(places) == len(set(places)) and draft.ledger.unplaced == []


def test_an_overview_row_per_level_sheet_gives_titles_tracks_and_equivalents(tmp_path):
    """An overview sheet (Code | Title | Track | Next level | Comparable to) then one sheet per level named by its
    code: the levels go on the tracks the overview names, in its order, its titles become their other names and
    its comparable levels their equivalents; the overview stays a section."""
    import openpyxl

    book = openpyxl.Workbook()
    overview = book.active
    overview.title = "Overview"
    for row in [
        ["Code", "Title", "Track", "Next level", "Comparable to"],
        ["B1", "Buyer", "Buying", "B2", ""],
        ["B2", "Senior Buyer", "Buying", "", "P1"],
        ["P1", "Planner", "Planning", "", "B2"],
    ]:
        overview.append(row)
    for code in ("B1", "B2", "P1"):
        sheet = book.create_sheet(code)
        sheet.append(["Theme", "Competency", "Expectation"])
        sheet.append(["Supply", "Sourcing", f"Sources as {code} does."])
        sheet.append(["Supply", "Contracts", f"Signs what {code} may sign."])
    path = tmp_path / "levels.xlsx"
    book.save(path)
    document, draft = imported(path)
    assert [(t["name"], [lv["title"] for lv in t["levels"]]) for t in document["tracks"]] == [
        ("Buying", ["B1", "B2"]),
        ("Planning", ["P1"]),
    ]
    assert "Senior Buyer" in level(document, "B2")["aliases"]
    assert level(document, "P1")["equivalent"] == level(document, "B2")["id"]
    assert any(s["title"] == "Overview" for s in document["sections"])
    assert not draft.ledger.unplaced


def test_a_notes_sheet_of_topic_and_note_rows_is_a_section_per_row(tmp_path):
    """A notes sheet with a "Topic | Note" table beside the ladder: each row its own section, titled by its topic and
    of the kind the topic says (moving between families is about switching), not one section holding the table."""
    import openpyxl

    book = openpyxl.Workbook()
    ladder = book.active
    ladder.title = "Ladder"
    for row in [
        ["Level", "Craft", "Impact"],
        ["Junior Baker", "Bakes bread from a recipe.", "Fills the morning shelves."],
        ["Senior Baker", "Creates new recipes.", "Runs the bakery's busiest shift."],
    ]:
        ladder.append(row)
    notes = book.create_sheet("Notes")
    for row in [
        ["Topic", "Note"],
        ["Moving between families", "Bakers who qualify as pastry chefs move into the Pastry family at its first level."],
        ["Probation", "Every new baker completes a three-month probation before any promotion."],
    ]:
        notes.append(row)
    path = tmp_path / "bakery.xlsx"
    book.save(path)
    document, draft = imported(path)
    sections = {s["title"]: s for s in document["sections"]}
    assert sections["Moving between families"]["kind"] == "switching"
    assert "Pastry family" in sections["Moving between families"]["text"]
    assert "three-month probation" in sections["Probation"]["text"] and "Topic" not in str(sections)
    assert not draft.ledger.unplaced
