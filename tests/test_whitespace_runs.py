"""Long runs of spaces in names and lines are read in time growing with their length, and the patterns rewritten to
be so split and strip exactly as the ones they replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.names import name_words
from bot.framework.reading.meta_lines import meta_pairs
from bot.framework.reading.page_chrome import without_export_id
from bot.framework.spoken_names import _NAME_PARTS

_OLD_NAME_PARTS = re.compile(r"\s*(?:&|\+|/|,|;)\s*|\s+(?:and|und|et|e|y|и)\s+", re.IGNORECASE)
_OLD_TRAILING_ID = re.compile(r"\s+(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.I)
_PIECES = st.lists(
    st.sampled_from(["a", "Ops", "and", "e", "y", "&", "/", ",", ";", "+", " ", "  ", "\n", "4f2a9c1e0b7d4e8f9a1b2c3d4e5f6a7b"]),
    max_size=12,
).map("".join)


def _parts(pattern: re.Pattern[str], name: str) -> list[tuple[str, ...]]:
    return [name_words(p) for p in pattern.split(name) if p and p.strip()]


@settings(max_examples=2000)
@given(_PIECES)
def test_a_name_splits_into_the_same_words_as_before(name: str) -> None:
    assert _parts(_NAME_PARTS, name) == _parts(_OLD_NAME_PARTS, name)


@settings(max_examples=2000)
@given(_PIECES)
def test_an_export_id_is_stripped_as_before(name: str) -> None:
    assert without_export_id(name) == (_OLD_TRAILING_ID.sub("", name).strip() or name)


def test_a_metadata_line_still_reads() -> None:
    pairs = meta_pairs("**Track:** Specialist · **Grade:** 6")
    assert pairs is not None and [(p.label, p.value, p.role) for p in pairs] == [
        ("Track", "Specialist", "track"),
        ("Grade", "6", "band"),
    ]
