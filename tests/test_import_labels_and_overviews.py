"""Issue #17, round 3 of the spreadsheet import: level fields from one label classifier (in several languages, each
field once per level), the framework's name from a title cell, numbered levels beside their names, files Ladder does
not read named for what they are, and an overview sheet read as its tables and notes. Every ladder here is made up."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft, DraftLevel, Where
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.files import _title, import_files
from bot.framework.reading.labels import FieldClaims, field_for, field_named, is_duration, label_key

# -- helpers ------------------------------------------------------------------------------------------


def imported(*paths: Path, name: str | None = None) -> tuple[dict, Draft]:
    draft = import_files(list(paths), name)
    text = draft.yaml()
    check = check_framework_text(text, "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(text), draft


def check_warnings(document: dict) -> list[str]:
    check = check_framework_text(yaml.safe_dump(document, allow_unicode=True), "f.yaml")
    assert not check.errors, check.lines()
    return [w.message for w in check.warnings]


def level(document: dict, title: str) -> dict:
    return next(lv for track in document["tracks"] for lv in track["levels"] if lv["title"] == title)


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        import_files([path])
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


# -- 1. the level fields' labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Summary", "summary"),
        ("Overview", "summary"),
        ("Beschreibung", "summary"),
        ("Descrição", "summary"),
        ("Descripción", "summary"),
        ("Résumé", "summary"),
        ("Описание", "summary"),
        ("Scope:", "scope"),
        ("Wirkungsbereich", "scope"),
        ("Escopo", "scope"),
        ("Périmètre", "scope"),
        ("Зона ответственности", "scope"),
        ("Decision rights", "decision_rights"),
        ("Entscheidungsbefugnisse", "decision_rights"),
        ("Poder de decisión", "decision_rights"),
        ("In one sentence", "summary"),
        ("One-liner", "summary"),
        ("At a glance", "summary"),
        ("Typical time in level", "typical_time_in_level"),
        ("Typical time at level (months)", "typical_time_in_level"),
        ("Time in role", "typical_time_in_level"),
        ("Typical tenure", "typical_time_in_level"),
        ("Years in role", "typical_time_in_level"),
        ("Typische Verweildauer", "typical_time_in_level"),
        ("Zeit auf der Stufe", "typical_time_in_level"),
        ("Tempo no nível", "typical_time_in_level"),
        ("Tempo típico no cargo", "typical_time_in_level"),
        ("Tiempo en el puesto", "typical_time_in_level"),
        ("Permanencia típica", "typical_time_in_level"),
        ("Durée typique au niveau", "typical_time_in_level"),
        ("Время на уровне", "typical_time_in_level"),
        ("Типичный срок пребывания в грейде", "typical_time_in_level"),
    ],
)
def test_a_label_names_a_field_by_its_whole_text_in_several_languages(label, field):
    assert field_named(label) == field


@pytest.mark.parametrize(
    "label",
    [
        "Impact",
        "Decision making",
        "Scope & impact",
        "Scope of influence",
        "Years of experience",
        "Berufserfahrung",
        "Anos de experiência",
        "Tenure",
        "Time management",
        "Typical quota",
        "Summary of impact",
        "",
    ],
)
def test_any_other_label_is_a_competency_of_its_own(label):
    assert field_named(label) is None


def test_a_label_about_tenure_is_the_time_in_level_only_over_durations():
    assert field_for("Tenure", ["1-2 years", "~3 yrs", ""]) == "typical_time_in_level"
    assert field_for("Verweildauer", ["1–2 Jahre", "2 bis 3 Jahre"]) == "typical_time_in_level"
    assert field_for("Tenure", ["1-2 years", "Long enough to lead a project."]) is None
    assert field_for("Experience", ["1-2 years"]) is None
    assert is_duration("от 1 до 2 лет") and is_duration("2 a 3 anos") and not is_duration("12+")


def test_each_field_is_claimed_once_per_level_and_the_same_label_joins():
    junior, senior = DraftLevel("Junior", Where("f")), DraftLevel("Senior", Where("f"))
    claims = FieldClaims()
    assert claims.claim([junior, senior], "Summary") == "summary"
    assert claims.claim([junior], "Description") is None  # a second claimant: a competency of its own
    assert claims.claim([senior], "summary:") == "summary"  # the same label again: its text is joined
    assert claims.claim([junior], "Scope") == "scope"
    assert claims.claim([junior], "Scope", only="summary") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_label_is_classified_without_error_and_its_key_is_stable(label):
    key = label_key(label)
    assert label_key(key) == key
    assert field_named(label) in (None, "summary", "scope", "decision_rights", "typical_time_in_level")
    assert field_named(label) == field_named(key)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["Scope", "Typische Verweildauer", "Tempo no nível", "Decision rights"]), st.data())
def test_case_spacing_and_a_trailing_colon_do_not_matter(label, data):
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in label)
    spaced = data.draw(st.sampled_from(["", " ", "  "])) + cased.replace(" ", data.draw(st.sampled_from([" ", "  ", "_"])))
    assert field_named(spaced + data.draw(st.sampled_from(["", ":", " :"]))) == field_named(label)


def test_a_german_table_fills_each_field_once_and_keeps_years_of_experience_a_competency(tmp_path):
    path = csv_file(
        tmp_path / "stufen.csv",
        "Stufe;Titel;Beschreibung;Zusammenfassung;Typische Verweildauer;Years of experience\n"
        "1;Junior Entwickler;Lernt die Codebasis kennen.;Kleine Aufgaben.;1–2 Jahre;0–2\n"
        "2;Entwickler;Setzt Features selbstständig um.;Features.;2–3 Jahre;2–5\n"
        "3;Senior Entwickler;Trifft technische Entscheidungen.;Entscheidungen.;;5+\n",
    )
    document, draft = imported(path)
    junior = level(document, "Junior Entwickler")
    assert junior["summary"] == "Lernt die Codebasis kennen."
    assert junior["typical_time_in_level"] == "1–2 Jahre"
    names = {c["id"]: c["name"] for c in document["competencies"]}
    # a second label for the summary is a competency of its own; years of experience is an entry requirement
    assert names[next(k for k in junior["expectations"] if names[k] == "Zusammenfassung")] == "Zusammenfassung"
    assert junior["expectations"][next(k for k, n in names.items() if n == "Years of experience")] == "0–2"
    assert "typical_time_in_level" not in level(document, "Senior Entwickler")
    assert not draft.ledger.unplaced


def test_rows_of_a_matrix_claim_each_field_once_and_a_tenure_row_of_durations_is_the_time(tmp_path):
    path = workbook(
        tmp_path / "ladder.xlsx",
        {
            "Ladder": [
                ["Competency", "Analyst", "Senior Analyst"],
                ["Overview", "Runs analyses.", "Leads analyses."],
                ["Description", "Answers questions.", "Asks the questions."],
                ["Tenure", "1-2 years", "2-4 years"],
                ["Âmbito", "A team", "A department"],
            ]
        },
    )
    document, _draft = imported(path)
    analyst = level(document, "Analyst")
    assert analyst["summary"] == "Runs analyses." and analyst["scope"] == "A team"
    assert analyst["typical_time_in_level"] == "1-2 years"
    assert [c["name"] for c in document["competencies"]] == ["Description"]
    assert analyst["expectations"] == {"description": "Answers questions."}


# -- 2. the framework's name ----------------------------------------------------------------------------


def overview_workbook(path: Path, top: str = "Acme Support Career Framework") -> Path:
    return workbook(
        path,
        {
            "Overview": [
                [top],
                [],
                ["This workbook describes how people grow in support at Acme. Each family has its own sheet."],
                [],
                ["How the families line up"],
                ["Band", "Agents", "Leads"],
                ["B2", "A2 Senior Agent", "L1 Team Lead"],
                ["B3", "", "L2 Support Manager"],
                [],
                ["Moving into management"],
                ["Senior agents may apply for an open Team Lead role after shadowing a lead for a month."],
                [],
                ["Promotions"],
                ["Promotions are decided twice a year by the support managers."],
            ],
            "Agents": [
                [None, "A1", "A2"],
                ["Competency", "Agent", "Senior Agent"],
                ["Summary", "Answers tickets.", "Handles escalations."],
                ["Product knowledge", "Knows the main features.", "Knows every feature."],
            ],
            "Leads": [
                [None, "L1", "L2"],
                ["Competency", "Team Lead", "Support Manager"],
                ["Summary", "Leads a pod of agents.", "Leads the support team."],
                ["Coaching", "Coaches each agent weekly.", "Coaches the leads."],
            ],
        },
    )


def test_the_title_cell_of_an_overview_names_the_framework_not_the_file(tmp_path):
    document, draft = imported(overview_workbook(tmp_path / "support_ladder_v3.xlsx"))
    assert document["name"] == "Acme Support Career Framework"
    assert document["description"].startswith("This workbook describes how people grow in support")
    assert any("title cell names the framework" in shape for shape in draft.shapes)
    assert import_files([overview_workbook(tmp_path / "b.xlsx")], name="Given").name == "Given"


@pytest.mark.parametrize("top", ["How to read this workbook", "Overview", "Contents", "Senior Agent"])
def test_an_instruction_or_a_heading_at_the_top_is_no_name(tmp_path, top):
    document, _draft = imported(overview_workbook(tmp_path / "support-ladder.xlsx", top))
    assert document["name"] == "Support Ladder"


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("Engineering Levels 4f2a9c1e0b7d4e8f9a1b2c3d4e5f6a7b.html", "Engineering Levels"),
        ("Ladder 3f2a9c1e-0b7d-4e8f-9a1b-2c3d4e5f6a7b.csv", "Ladder"),
        ("export_1712345678901.csv", "Export"),
        ("eng-ladder_2024.xlsx", "Eng Ladder 2024"),
        ("4f2a9c1e0b7d4e8f9a1b2c3d4e5f6a7b.md", ""),
    ],
)
def test_a_file_name_gives_no_id_an_app_generated(file, name):
    assert _title(Path(file)) == name


def test_a_file_named_only_by_an_id_gives_the_default_name(tmp_path):
    path = csv_file(
        tmp_path / "9b1c2d3e4f5a4b6c8d7e9f0a1b2c3d4e.csv", "Title,Summary\nEngineer,Builds.\nSenior Engineer,Leads.\n"
    )
    assert imported(path)[0]["name"] == "Imported ladder"


# -- 3. numbered levels beside their names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "alias"),
    [
        ("Stufe;Titel;Beschreibung", "Stufe"),
        ("Nivel;Título;Descripción", "Nivel"),
        ("Level;Titel;Beschreibung", "Level"),
        ("Nr;Rolle;Beschreibung", None),  # a row number orders the levels and is no name of theirs
        ("#;Title;Summary", None),
    ],
)
def test_a_number_column_beside_a_title_column_orders_and_aliases_the_levels(tmp_path, header, alias):
    path = csv_file(
        tmp_path / "levels.csv",
        f"{header}\n1;Junior Analyst;Learns the basics.\n2;Analyst;Works alone.\n3;Senior Analyst;Leads the work.\n",
    )
    document, _draft = imported(path)
    titles = [lv["title"] for lv in document["tracks"][0]["levels"]]
    assert titles == ["Junior Analyst", "Analyst", "Senior Analyst"]
    assert level(document, "Analyst").get("aliases") == ([f"{alias} 2"] if alias else None)
    assert level(document, "Analyst")["summary"] == "Works alone."
    assert "competencies" not in document


def test_check_warns_when_level_titles_are_numbers_beside_a_competency_of_names():
    document = {
        "name": "Numbers",
        "competencies": [{"id": "titel", "name": "Titel"}, {"id": "tasks", "name": "Tasks"}],
        "tracks": [
            {
                "id": "main",
                "name": "Main",
                "levels": [
                    {"id": f"l{n}", "title": str(n), "expectations": {"titel": name, "tasks": f"Does task {n}."}}
                    for n, name in [(1, "Junior Developer"), (2, "Developer"), (3, "Senior Developer")]
                ],
            }
        ],
    }
    warnings = check_warnings(document)
    assert any("bare numbers while competency 'Titel' names each level" in w for w in warnings), warnings
    for lv in document["tracks"][0]["levels"]:
        lv["expectations"]["titel"] = "Writes code every day."  # the same sentence on every level: no names
    assert not any("bare numbers" in w for w in check_warnings(document))


# -- 4. files Ladder does not read ------------------------------------------------------------------------


def zipped(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("name", "parts", "says"),
    [
        ("ladder.docx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}, "is a Word document;"),
        ("ladder.md", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}, "(named .md)"),
        ("deck.pptx", {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}, "is a PowerPoint presentation;"),
        ("deck.key", {"Index/Document.iwa": "x"}, "is an Apple Keynote presentation;"),
        ("table.numbers", {"Index/Document.iwa": "x"}, "export it (File › Export To › Excel, or CSV)"),
    ],
)
def test_a_document_or_slides_in_a_zip_are_named_with_how_to_export_them(tmp_path, name, parts, says):
    message = refusal(zipped(tmp_path / name, parts))
    assert says in message
    assert "not a readable .xlsx" not in message and "first row" not in message


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("ladder.pdf", b"%PDF-1.7\n...", "is a PDF;"),
        ("ladder.md", b"%PDF-1.4\n\xe2\xe3", "is a PDF (named .md);"),
        ("ladder.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "WordDocument".encode("utf-16-le"), "Word"),
        ("ladder.rtf", b"{\\rtf1\\ansi Ladder}", "is a Rich Text document;"),
        ("slides.ppt", b"", "is a PowerPoint presentation;"),
    ],
)
def test_a_foreign_file_is_named_for_what_it_is_by_content_first(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    message = refusal(path)
    assert says in message and message.endswith("and import that") or "import the .xlsx or .csv" in message


def test_a_keynote_package_folder_is_named(tmp_path):
    (tmp_path / "deck.key").mkdir()
    assert "is an Apple Keynote presentation" in refusal(tmp_path / "deck.key")


def test_a_workbook_named_like_a_document_is_read_as_a_workbook(tmp_path):
    source = workbook(tmp_path / "a.xlsx", {"Ladder": [["Competency", "Engineer"], ["Summary", "Builds."]]})
    renamed = tmp_path / "ladder.md"
    renamed.write_bytes(source.read_bytes())
    assert imported(renamed)[0]["tracks"][0]["levels"][0]["summary"] == "Builds."


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf\r\n"])
def test_an_empty_page_is_called_empty(tmp_path, content):
    path = tmp_path / "ladder.md"
    path.write_bytes(content)
    assert refusal(path).endswith("is empty")


def test_a_page_with_a_title_only_says_what_ladder_looks_for_in_a_document(tmp_path):
    path = tmp_path / "ladder.md"
    path.write_text("# Platform Ladder\n", encoding="utf-8")
    message = refusal(path)
    assert "found no levels" in message and "'Platform Ladder'" in message
    assert "a heading per level" in message
    assert "first row" not in message and "column" not in message.split("table")[0]


def test_a_header_row_only_is_said_in_the_files_own_terms(tmp_path):
    path = csv_file(tmp_path / "levels.csv", "Level,Title,Summary\n")
    message = refusal(path)
    assert "has one row ('Level', 'Title', 'Summary') and nothing under it" in message


# -- 5. an overview sheet: its tables and notes ------------------------------------------------------------


def test_an_overview_is_read_as_a_table_and_notes_each_a_section_of_its_own(tmp_path):
    document, draft = imported(overview_workbook(tmp_path / "ladder.xlsx"))
    sections = {s["title"]: s for s in document["sections"]}
    assert list(sections) == ["How the families line up", "Moving into management", "Promotions"]
    assert sections["How the families line up"]["text"].splitlines() == [
        "Band | Agents | Leads",
        "B2 | A2 Senior Agent | L1 Team Lead",
        "B3 |  | L2 Support Manager",
    ]
    assert sections["Moving into management"].get("kind") == "switching"
    assert sections["Promotions"]["kind"] == "promotion"
    assert sections["Promotions"]["text"] == "Promotions are decided twice a year by the support managers."
    assert level(document, "Senior Agent")["equivalent"] == "team_lead"  # the table's rows name equivalents
    assert not draft.ledger.unplaced
    assert sum(1 for e in draft.ledger.entries if e.piece.where.place.startswith("Overview!")) == 15


def test_the_promotion_answer_quotes_the_promotion_note_not_the_whole_overview(tmp_path):
    from bench.bench_ladders import Asker
    from bot.framework.loader import check_framework_text as check

    _document, draft = imported(overview_workbook(tmp_path / "ladder.xlsx"))
    framework = check(draft.yaml(), "f.yaml").framework
    _answer, text = Asker(framework).ask("when are promotions decided")
    assert "Promotions are decided twice a year by the support managers." in text
    assert "Senior agents may apply" not in text and "B2 | A2 Senior Agent" not in text


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([".md", ".html", ".csv", ".xlsx", ".docx", ".pdf", ".key", ".txt", ""]),
    st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1", b"# Title\n"]),
    st.binary(max_size=300),
)
def test_any_file_is_imported_or_refused_in_one_line(tmp_path_factory, suffix, start, rest):
    path = tmp_path_factory.mktemp("any") / f"file{suffix}"
    path.write_bytes(start + rest)
    try:
        import_files([path])
    except UnreadableFile as exc:
        assert "\n" not in str(exc).strip()
