"""A sheet mapping levels defined on other sheets onto one another (equivalents, never a track of copies), codes in
level titles as aliases, "X track" naming the X track, a time word over durations as the typical time in level, and
a framework named from its file in the file's own spelling. All data here is made up."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft, DraftLevel, DraftTrack, Where
from bot.framework.reading.files import _title, import_files
from bot.framework.reading.grids import Grid
from bot.framework.reading.labels import about_time, field_for, is_duration, is_no_value
from bot.framework.reading.level_maps import names_levels_elsewhere, place_level_map, read_level_map
from bot.framework.reading.sheets import Sheet

# -- helpers ------------------------------------------------------------------------------------------


def imported(*paths: Path) -> tuple[dict, Draft]:
    draft = import_files(list(paths))
    text = draft.yaml()
    check = check_framework_text(text, "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(text), draft


def level(document: dict, title: str) -> dict:
    return next(lv for track in document["tracks"] for lv in track["levels"] if lv["title"] == title)


def ladder_rows() -> list[list[str | None]]:
    """A transposed ladder: a title row merged across, a split corner, a merged row naming each track, codes opening
    the titles, a Scope column, a note below."""
    return [
        ["Garden Crew Ladder 2031", None, None, None],
        ["Level / Skill", "Planting", "Pruning", "Scope"],
        ["Grower track", None, None, None],
        ["G1 Seedling Grower", "Plants rows that others laid out.", "Trims hedges with a guide beside them.", "One bed."],
        ["G2 Grower", "Lays out the rows of a bed and plants them.", "Prunes shrubs alone after a first season.", "A bed."],
        ["G3 Senior Grower", "Plans the planting of a whole plot.", "Shapes young trees for the years to come.", "A plot."],
        [
            "G4 Master Grower",
            "Sets the planting calendar of the estate.",
            "Decides how the old trees are cut back.",
            "All plots.",
        ],
        ["Keeper track", None, None, None],
        ["K1 Plot Keeper", "Reviews the crew's planting each week.", "Books the pruning rounds of the plot.", "A crew."],
        ["K2 Head Keeper", "Owns the planting budget of the estate.", "Sets the pruning rules for every crew.", "The crews."],
        [None, None, None, None],
        ["How promotions work", None, None, None],
        ["Promotions are decided at the spring gathering by two keepers and one master grower.", None, None, None],
    ]


def garden_workbook(path: Path, second: dict[str, list[list[str | None]]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ladder"
    for row in ladder_rows():
        sheet.append(row)
    for row in (1, 3, 8):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for name, rows in second.items():
        other = book.create_sheet(name)
        for row in rows:
            other.append(row)
    book.save(path)
    return path


MAP_WITH_NOTES = [
    ["Grower", "Keeper", "Notes"],
    ["G3 Senior Grower", "K1 Plot Keeper", "The usual point to move across: a G3 can become K1 and back."],
    ["G4 Master Grower", "K2 Head Keeper", "Moving here needs an open post."],
]


# -- a map of levels ------------------------------------------------------------------------------------


def test_a_sheet_of_level_names_is_a_map_of_equivalents_with_its_notes_a_section_never_a_track(tmp_path):
    document, draft = imported(garden_workbook(tmp_path / "garden.xlsx", {"Grower to keeper": MAP_WITH_NOTES}))
    assert [(t["name"], len(t["levels"])) for t in document["tracks"]] == [("Grower", 4), ("Keeper", 2)]
    assert {c["name"] for c in document["competencies"]} == {"Planting", "Pruning"}
    assert level(document, "G3 Senior Grower")["equivalent"] == level(document, "K1 Plot Keeper")["id"]
    assert level(document, "G4 Master Grower")["equivalent"] == level(document, "K2 Head Keeper")["id"]
    assert "equivalent" not in level(document, "G2 Grower")
    section = next(s for s in document["sections"] if s["title"] == "Grower to keeper")
    assert section["kind"] == "switching"
    assert "a G3 can become K1 and back" in section["text"] and "Moving here needs an open post." in section["text"]
    assert set(section["about"]) == {
        level(document, t)["id"] for t in ("G3 Senior Grower", "K1 Plot Keeper", "G4 Master Grower", "K2 Head Keeper")
    }
    assert not draft.ledger.unplaced
    places = [e.piece.where.place for e in draft.ledger.entries if e.piece.where.place.startswith("Grower to keeper!")]
    assert sorted(places) == sorted(f"Grower to keeper!{c}{r}" for r in (1, 2, 3) for c in "ABC")
    assert any("a map of levels read from other sheets" in shape for shape in draft.shapes)


def test_a_map_with_a_row_per_track_pairs_levels_column_by_column(tmp_path):
    by_columns = [["Grower", "G3", "G4"], ["Keeper", "K1", "K2"]]
    document, draft = imported(garden_workbook(tmp_path / "garden.xlsx", {"Across": by_columns}))
    assert len(document["tracks"]) == 2
    assert level(document, "G3 Senior Grower")["equivalent"] == level(document, "K1 Plot Keeper")["id"]
    assert level(document, "G4 Master Grower")["equivalent"] == level(document, "K2 Head Keeper")["id"]
    assert not any(s["title"] == "Across" for s in document.get("sections", []))  # names and headings only
    assert not draft.ledger.unplaced


def test_a_map_naming_each_level_by_code_and_title_pairs_the_two_levels(tmp_path):
    both = [["Code", "Grower", "Code", "Keeper"], ["G3", "G3 Senior Grower", "K1", "K1 Plot Keeper"]]
    document, draft = imported(garden_workbook(tmp_path / "garden.xlsx", {"Codes": both}))
    assert level(document, "G3 Senior Grower")["equivalent"] == level(document, "K1 Plot Keeper")["id"]
    assert len(document["tracks"]) == 2 and not draft.ledger.unplaced


def test_a_sheet_pairing_levels_of_one_track_names_no_equivalent(tmp_path):
    steps = [["From", "To"], ["G1 Seedling Grower", "G2 Grower"], ["G2 Grower", "G3 Senior Grower"]]
    document, _draft = imported(garden_workbook(tmp_path / "garden.xlsx", {"Steps": steps}))
    assert not any("equivalent" in lv for track in document["tracks"] for lv in track["levels"])


def test_a_sheet_that_is_mostly_prose_beside_level_names_is_no_map():
    sheet = Sheet(
        "Growth",
        {
            (1, 1): "G3 Senior Grower",
            (1, 2): "Plans the planting of a whole plot and teaches it to the crew.",
            (1, 3): "Shapes young trees for the years to come, with care.",
            (2, 1): "K1 Plot Keeper",
            (2, 2): "Reviews the crew's planting each week and writes it down.",
            (2, 3): "Books the pruning rounds of the plot for the season.",
        },
    )
    known = {"g3 senior grower", "g3", "k1 plot keeper", "k1"}
    assert not names_levels_elsewhere(sheet, known)


def test_the_transposed_ladder_reads_its_title_row_tracks_and_codes(tmp_path):
    document, _draft = imported(garden_workbook(tmp_path / "garden.xlsx", {"Grower to keeper": MAP_WITH_NOTES}))
    assert document["name"] == "Garden Crew Ladder 2031"
    assert [t["name"] for t in document["tracks"]] == ["Grower", "Keeper"]  # not "Grower track" (answers add "track")
    assert level(document, "G2 Grower")["aliases"] == ["G2"]
    assert level(document, "K2 Head Keeper")["scope"] == "The crews."
    assert next(s for s in document["sections"] if s["title"] == "How promotions work")["kind"] == "promotion"


def _track(name: str, titles: list[str]) -> DraftTrack:
    return DraftTrack(name, levels=[DraftLevel(t, Where("f")) for t in titles])


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 5), st.integers(1, 4)),
        st.sampled_from(["A1 Sower", "A2 Reaper", "B1 Steward", "B2 Warden", "A1", "B2", "", "Note: ask first.", "—"]),
        max_size=16,
    )
)
def test_any_small_sheet_is_a_map_only_without_two_levels_of_one_track_in_a_group_and_each_cell_is_recorded_once(cells):
    sheet = Sheet("Map", {p: t for p, t in cells.items() if t})
    tracks = [_track("A", ["A1 Sower", "A2 Reaper"]), _track("B", ["B1 Steward", "B2 Warden"])]
    level_map = read_level_map(sheet, tracks)
    if level_map is None:
        return
    for group in level_map.groups:
        levels = {id(lv): id(track) for _p, track, lv in group}  # one level may be named twice (code and title)
        assert len(set(levels.values())) == len(levels)
    draft = Draft(tracks=tracks)
    place_level_map(Grid(sheet, "f.xlsx", True), level_map, draft)
    assert sorted(e.piece.where.place for e in draft.ledger.entries) == sorted(f"Map!{'ABCD'[c - 1]}{r}" for r, c in sheet.cells)


# -- the typical time in level ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Durée typique", "Typical duration", "Tiempo típico", "Durata tipica", "Срок", "Time"])
def test_a_time_word_over_durations_is_the_time_in_level(label):
    assert about_time(label)
    assert field_for(label, ["12 à 18 mois", "2-3 ans", "—", "3 ans et plus"]) == "typical_time_in_level"
    assert field_for(label, ["Owns the roadmap.", "2-3 ans"]) is None


@pytest.mark.parametrize(
    "text", ["12 à 18 mois", "2-3 ans", "3 ans et plus", "18 months - 2 years", "3+ years", "more than 5 years", "plus de 3 ans"]
)
def test_durations_people_write(text):
    assert is_duration(text)


@pytest.mark.parametrize("text", ["—", "-", "n/a", "TBD"])
def test_a_dash_or_n_a_is_no_value(text):
    assert is_no_value(text) and not is_duration(text)


def test_a_french_csv_with_a_typical_duration_column_fills_the_time_in_level(tmp_path):
    path = tmp_path / "grille.csv"
    path.write_bytes(
        "\ufeffNiveau;Intitulé;Missions;Durée typique\r\n"
        "A1;Jardinier débutant;Plante les rangs tracés par un autre.;12 à 18 mois\r\n"
        "A2;Jardinier;Trace et plante les rangs d'une planche.;2-3 ans\r\n"
        "A3;Chef jardinier;Organise le travail de l'équipe.;—\r\n".encode()
    )
    document, draft = imported(path)
    assert level(document, "Jardinier débutant")["typical_time_in_level"] == "12 à 18 mois"
    assert level(document, "Jardinier")["typical_time_in_level"] == "2-3 ans"
    assert "typical_time_in_level" not in level(document, "Chef jardinier")
    assert [c["name"] for c in document["competencies"]] == ["Missions"]
    assert [(e.piece.text, e.piece.where.place) for e in draft.ledger.unplaced] == [("—", "D4")]


# -- the framework's name from its file ------------------------------------------------------------------


def test_a_file_name_keeps_its_spelling_whatever_its_unicode_form(tmp_path):
    for form in ("NFC", "NFD"):
        assert _title(Path(unicodedata.normalize(form, "grille-carrière-data.csv"))) == "Grille Carrière Data"
    assert _title(Path("iOS-API-guide.md")) == "iOS API Guide"
    assert _title(Path("l'équipe-data.csv")) == "L'équipe Data"
