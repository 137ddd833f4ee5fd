"""HTML tables whose first row groups the level columns by track (merged cells over the titles, a corner spanning
both header rows), as word processors export them."""

from __future__ import annotations

from pathlib import Path

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft
from bot.framework.reading.html import read_html

GROUPED = """<html><body>
<p class="c8 title"><span class="c10">Warehouse Career Ladder</span></p>
<table class="c13">
<tr><td rowspan="2"><p class="c5"><span class="c4">Skill</span></p></td>
    <td colspan="2"><p><span>Picker</span></p></td><td colspan="2"><p><span>Floor Leadership</span></p></td></tr>
<tr><td><p><span>Picker</span></p></td><td><p><span>Senior Picker</span></p></td>
    <td><p><span>Shift Lead</span></p></td><td><p><span>Floor Manager</span></p></td></tr>
<tr><td><p><span>Safety</span></p></td><td><p><span>Follows the rules.</span></p></td>
    <td><p><span>Spots hazards.</span></p></td><td><p><span>Runs drills.</span></p></td>
    <td><p><span>Owns the safety plan.</span></p></td></tr>
<tr><td><p><span>Accuracy</span></p></td><td colspan="2"><p><span>Picks the right item.</span></p></td>
    <td><p><span>Audits picks.</span></p></td><td><p><span>Sets targets.</span></p></td></tr>
</table>
</body></html>
"""


def read(tmp_path: Path, html: str) -> Draft:
    path = tmp_path / "ladder.html"
    path.write_text(html, encoding="utf-8")
    draft = Draft()
    read_html(path, draft)
    draft.finish()
    return draft


def test_a_row_of_merged_cells_over_the_titles_names_each_groups_track(tmp_path: Path) -> None:
    draft = read(tmp_path, GROUPED)
    assert [(t.name, [lv.title for lv in t.levels]) for t in draft.tracks] == [
        ("Picker", ["Picker", "Senior Picker"]),
        ("Floor Leadership", ["Shift Lead", "Floor Manager"]),
    ]
    shift_lead = draft.tracks[1].levels[0]
    assert [p.text for p in shift_lead.expectations["safety"]] == ["Runs drills."]
    senior = draft.tracks[0].levels[1]
    assert [p.text for p in senior.expectations["accuracy"]] == ["Picks the right item."]  # a merged cell: both levels
    assert draft.ledger.unplaced == []
    assert check_framework_text(draft.yaml(), "ladder.yaml").errors == []


def test_a_merged_row_over_words_that_are_not_levels_is_no_track_row(tmp_path: Path) -> None:
    html = GROUPED.replace("Senior Picker", "Speed").replace("Shift Lead", "Care").replace("Floor Manager", "Tools")
    html = html.replace("<span>Picker</span></p></td><td><p>", "<span>Reach</span></p></td><td><p>")
    draft = read(tmp_path, html)
    assert not any(t.name == "Floor Leadership" for t in draft.tracks)


def test_a_dash_in_a_level_cell_is_listed_not_made_the_levels_text(tmp_path: Path) -> None:
    draft = read(tmp_path, GROUPED.replace("<span>Sets targets.</span>", "<span>—</span>"))
    manager = draft.tracks[1].levels[1]
    assert "accuracy" not in manager.expectations
    assert [e.piece.text for e in draft.ledger.unplaced] == ["—"]
