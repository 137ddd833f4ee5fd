"""Toggle lists: a level per top bullet, its text in the bullets nested under it (Notion exports a toggle list so).

``- **Level 3 — Payroll Analyst**`` with nested ``- **Accuracy:** …`` bullets reads as the heading
``Level 3 — Payroll Analyst`` over a list of labelled bullets, the shape a heading per level already has.
"""

from __future__ import annotations

from bot.framework.reading.outline import Block, Heading, Item, ItemList
from bot.framework.reading.titles import level_marker, reads_like_a_title, section_kind

_BELOW_ANY_HEADING = 7
"""Depth of the headings made from toggles: below any real heading, as bold paragraphs read as headings are."""


def toggle_headings(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each toggle list of levels turned into a heading per level over the bullets nested in it."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ItemList) and _is_toggle_list(block):
            for item in block.items:
                assert item.text is not None
                out.append(Heading(_BELOW_ANY_HEADING, item.text))
                out.extend(item.blocks)
        else:
            out.append(block)
    return out


def _is_toggle_list(block: ItemList) -> bool:
    """Every bullet reads like a level's title, and at least two hold bullets that are mostly labelled."""
    if len(block.items) < 2 or not all(_level_title(item) for item in block.items):
        return False
    return sum(_holds_labelled_bullets(item) for item in block.items) >= 2


def _level_title(item: Item) -> bool:
    text = item.text
    if text is None or text.label is not None or text.lead is not None:
        return False  # "**Label:** text" is a labelled bullet, not a title
    title = text.text
    return reads_like_a_title(title) and level_marker(title) and section_kind(title) == "other"


def _holds_labelled_bullets(item: Item) -> bool:
    nested = [i for b in item.blocks if isinstance(b, ItemList) for i in b.items]
    labelled = [i for i in nested if i.text is not None and i.text.label is not None]
    return bool(nested) and 2 * len(labelled) > len(nested)
