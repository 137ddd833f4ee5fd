"""Sheets of one workbook that describe the same levels (a sheet of level rows, a matrix of competencies with a column
per level) read as one track; sheets per track that share codes or titles stay apart; "What it looks like" is a
level's summary. All data here is made up."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.reading.files import import_files
from bot.framework.reading.labels import field_for

LEVELS = [
    ("Q1", "Garden Helper", "Waters the beds on the rota", "One greenhouse", "1-2 years"),
    ("Q2", "Gardener", "Plans a season of planting", "A walled garden", "2-3 years"),
    ("Q3", "Senior Gardener", "Redesigns borders and trains helpers", "Several gardens", "3-5 years"),
]
SKILLS = {
    "Soil care": ["Mixes compost by the recipe", "Tests the soil each spring", "Sets the soil plan for the estate"],
    "Pruning": ["Deadheads roses", "Prunes fruit trees in winter", "Teaches pruning to the team"],
    "Planting out": ["Plants seedlings where marked", "Chooses what to plant where", "Plans planting across the estate"],
}


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def level_rows(heading: str = "What it looks like") -> list[list[str]]:
    return [["Code", "Title", heading, "Scope", "Typical time in level"], *[list(level) for level in LEVELS]]


def matrix(header: list[str]) -> list[list[str]]:
    return [["Competency", *header], *[[skill, *cells] for skill, cells in SKILLS.items()]]


def imported(path: Path) -> dict:
    text = import_files([path]).yaml()
    check = check_framework_text(text, "imported.yaml")
    assert not check.errors, check.lines()
    return yaml.safe_load(text)


def test_level_rows_and_a_matrix_headed_code_and_title_are_one_track(tmp_path: Path) -> None:
    header = [f"{code} {title}" for code, title, *_ in LEVELS]
    path = workbook(tmp_path / "garden.xlsx", {"Levels": level_rows(), "Skills": matrix(header)})
    document = imported(path)
    assert len(document["tracks"]) == 1
    levels = document["tracks"][0]["levels"]
    assert [lv["title"] for lv in levels] == ["Garden Helper", "Gardener", "Senior Gardener"]
    gardener = levels[1]
    assert "Q2" in gardener["aliases"]
    assert len(gardener["aliases"]) == len({a.lower() for a in gardener["aliases"]})
    assert gardener["summary"] == "Plans a season of planting"
    assert gardener["scope"] == "A walled garden"
    text = yaml.safe_dump(gardener)
    assert "Prunes fruit trees in winter" in text and "Tests the soil each spring" in text


def test_matrix_first_still_takes_titles_from_the_level_rows(tmp_path: Path) -> None:
    header = [f"{code} {title}" for code, title, *_ in LEVELS]
    path = workbook(tmp_path / "garden.xlsx", {"Skills": matrix(header), "Levels": level_rows()})
    document = imported(path)
    assert len(document["tracks"]) == 1
    assert [lv["title"] for lv in document["tracks"][0]["levels"]] == ["Garden Helper", "Gardener", "Senior Gardener"]


def test_matrix_headed_by_codes_joins_the_level_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "garden.xlsx", {"Levels": level_rows(), "Skills": matrix([c for c, *_ in LEVELS])})
    document = imported(path)
    assert len(document["tracks"]) == 1
    senior = document["tracks"][0]["levels"][2]
    assert senior["title"] == "Senior Gardener"
    assert "Teaches pruning to the team" in yaml.safe_dump(senior)


def test_sheets_per_track_with_the_same_codes_stay_apart(tmp_path: Path) -> None:
    def track(titles: list[str]) -> list[list[str]]:
        return [
            ["Code", "Title", "Summary"],
            *[[f"L{i}", title, f"Works as a {title.lower()} every day"] for i, title in enumerate(titles, start=1)],
        ]

    path = workbook(
        tmp_path / "two.xlsx",
        {
            "Growers": track(["Grower", "Lead Grower", "Head Grower"]),
            "Florists": track(["Florist", "Lead Florist", "Head Florist"]),
        },
    )
    assert len(imported(path)["tracks"]) == 2


def test_matrices_with_the_same_titles_on_two_sheets_stay_apart(tmp_path: Path) -> None:
    header = ["Apprentice", "Journeyman", "Master"]
    path = workbook(tmp_path / "two.xlsx", {"Carpentry": matrix(header), "Masonry": matrix(header)})
    assert len(imported(path)["tracks"]) == 2


def test_what_it_looks_like_is_a_summary() -> None:
    for heading in ("What it looks like", "What it means", "Looks like"):
        assert field_for(heading) == "summary", heading


@settings(max_examples=25, deadline=None)
@given(st.permutations([0, 1, 2]))
def test_join_keeps_the_level_rows_order_whatever_the_matrix_order(tmp_path_factory, order: list[int]) -> None:
    header = [f"{LEVELS[i][0]} {LEVELS[i][1]}" for i in order]
    rows = [["Competency", *header], *[[skill, *[cells[i] for i in order]] for skill, cells in SKILLS.items()]]
    path = workbook(tmp_path_factory.mktemp("wb") / "garden.xlsx", {"Levels": level_rows(), "Skills": rows})
    document = imported(path)
    assert len(document["tracks"]) == 1
    levels = document["tracks"][0]["levels"]
    assert [lv["title"] for lv in levels] == ["Garden Helper", "Gardener", "Senior Gardener"]
    for lv, index in zip(levels, range(3), strict=True):
        assert SKILLS["Pruning"][index] in yaml.safe_dump(lv)
