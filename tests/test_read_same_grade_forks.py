"""Two levels with one grade code at a track's end are alternatives, not one above the other."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.framework.reading.documents.forks import _grade_code
from bot.framework.reading.draft import Draft, DraftLevel
from bot.framework.reading.markdown import read_markdown


def _read(tmp_path: Path, text: str) -> Draft:
    path = tmp_path / "ladder.md"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    draft = Draft()
    read_markdown(path, draft)
    draft.finish()
    return draft


def _ladder(last_two: tuple[str, str]) -> str:
    levels = ["GX1 · Junior Gardener", "GX2 · Middle Gardener", "GX3 · Senior Gardener", *last_two]
    duties = ["waters seedlings", "mows the lawns", "plans the borders", "runs the nursery", "designs new beds"]
    parts = ["# Gardening Ladder\n"]
    for title, duty in zip(levels, duties, strict=True):
        parts.append(
            f"### {title}\n\n| Area | Expectation |\n| --- | --- |\n| Care | {duty.capitalize()} every week. |\n"
            f"| Teamwork | Tells the team what {duty} needs. |\n"
        )
    return "\n".join(parts)


def test_two_last_levels_of_one_grade_become_two_tracks_after_the_level_before(tmp_path: Path) -> None:
    draft = _read(tmp_path, _ladder(("GX4 · Head Gardener", "GX4 · Lead Gardener")))
    by_title = {lv.title: t for t in draft.tracks for lv in t.levels}
    trunk = by_title["GX3 · Senior Gardener"]
    assert [lv.title for lv in trunk.levels] == ["GX1 · Junior Gardener", "GX2 · Middle Gardener", "GX3 · Senior Gardener"]
    head, designer = by_title["GX4 · Head Gardener"], by_title["GX4 · Lead Gardener"]
    assert head is not designer and head is not trunk and designer is not trunk
    for branch in (head, designer):
        assert isinstance(branch.starts_after, DraftLevel) and branch.starts_after.title == "GX3 · Senior Gardener"
    assert any("GX3 · Senior Gardener" in d and "GX4" in d for d in draft.decisions)


def test_levels_of_different_grades_stay_one_track(tmp_path: Path) -> None:
    draft = _read(tmp_path, _ladder(("GX4 · Head Gardener", "GX5 · Garden Director")))
    assert len(draft.tracks) == 1 and len(draft.tracks[0].levels) == 5
    assert not any("forks" in d for d in draft.decisions)


def test_grade_code_is_read_only_from_a_leading_code() -> None:
    assert _grade_code("CS4 · Principal") == "cs4"
    assert _grade_code("L5: Staff") == "l5"
    assert _grade_code("Senior Engineer") is None
    assert _grade_code("Engineer 2") is None


def test_a_level_that_says_only_its_path_names_its_track(tmp_path: Path) -> None:
    text = _ladder(("GX4 · Head Gardener", "GX4 · Lead Gardener"))
    text = text.replace("### GX4 · Head Gardener\n", "### GX4 · Head Gardener\n\nEstate Care path.\n")
    text = text.replace("### GX4 · Lead Gardener\n", "### GX4 · Lead Gardener\n\nCrew Leadership path.\n")
    draft = _read(tmp_path, text)
    by_title = {lv.title: t.name for t in draft.tracks for lv in t.levels}
    assert by_title["GX4 · Head Gardener"] == "Estate Care"
    assert by_title["GX4 · Lead Gardener"] == "Crew Leadership"
