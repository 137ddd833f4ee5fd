"""Pages and sections about moving from one level to the next ("expectations-2-to-3.md", "From Mid to Senior",
"Progressing from A → B"): what changes between two levels, kept as one promotion section about those two levels.

The two levels are found by the numbers in the file's name (a level whose title or other name is that rank: "Grade 2",
"2", "L2"), else by the names in the title (titles or other names, with or without an article: "Steady Builder"
for "The Steady Builder"), on one track, preferring the tracks the pages themselves make. A page whose two names
are not two levels of one track is prose like any other. A page found by its ranks whose title calls the two levels
by other names gives them those names (aliases).
"""

from __future__ import annotations

import re

from bot.framework.names import name_key
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftLevel, DraftTrack
from bot.framework.reading.titles import is_bare_rank, number_of, reads_like_a_name, words

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


class Transitions(Placing):
    """Step 4d: what changes between two levels, a section about them."""

    def _levels_between(self, pairs: list[tuple[str, str]]) -> list[DraftLevel]:
        """The two levels (lower named first) the first of ``pairs`` that names two levels of one track names."""
        tracks = self._tracks_pages_make() + [t for t in self.draft.tracks if t not in self._tracks_pages_make()]
        for first, second in pairs:
            lower, higher = self._levels_called(first), self._levels_called(second)
            for track in tracks:
                on_lower = [lv for t, lv in lower if t is track]
                on_higher = [lv for t, lv in higher if t is track]
                if len(on_lower) == 1 and len(on_higher) == 1 and on_lower[0] is not on_higher[0]:
                    return [on_lower[0], on_higher[0]]
        return []

    def _tracks_pages_make(self) -> list[DraftTrack]:
        found: dict[int, DraftTrack] = {}
        for doc in self.docs:
            if doc.track is not None:
                found.setdefault(id(doc.track), doc.track)
            for parent, _levels in doc.groups:
                if id(parent) in self.group_track:
                    found.setdefault(id(self.group_track[id(parent)]), self.group_track[id(parent)])
        return list(found.values())

    def _levels_called(self, name: str) -> list[tuple[DraftTrack, DraftLevel]]:
        """The levels ``name`` is: a rank number ("2": "Grade 2", "L2", "2"), or a title or other name."""
        name = name.strip()
        if name.isdigit():
            number = int(name)
            return [
                (track, level)
                for track in self.draft.tracks
                for level in track.levels
                if any(_rank_number(text) == number for text in (level.title, *level.aliases))
            ]
        found = self._levels_named(name)
        if found:
            return found
        key = name_key(_ARTICLE.sub("", name))
        return [
            (track, level)
            for track in self.draft.tracks
            for level in track.levels
            if key and key in {name_key(_ARTICLE.sub("", text)) for text in (level.title, *level.aliases)}
        ]

    def _names_for(self, levels: list[DraftLevel], names: tuple[str, str]) -> None:
        """A page found by its file's ranks that calls its two levels by other names ("Progressing from Curious
        Contributor → Independent Problem-Solver"): those are names of the levels, kept as aliases."""
        for level, name in zip(levels, names, strict=True):
            if name.isdigit() or not reads_like_a_name(name):
                continue
            known = {name_key(text) for text in (level.title, *level.aliases)}
            others = {id(lv) for _t, lv in self._levels_called(name)}  # a name some level answers to already is left
            if name_key(name) not in known and not others - {id(level)}:
                level.aliases.append(name)

    def _transition_page(self, doc: Page) -> bool:
        """A page about moving between two levels: one section (its title, its text, its sub-headings as lines),
        about those two levels, kept for placing with the other prose."""
        levels = self._levels_between(doc.between) if doc.between and not doc.is_index else []
        if not levels:
            return False
        for pair in doc.between:
            self._names_for(levels, pair)
        blocks, children = doc.body
        section = doc.title_section or doc.root
        self.section_about[id(section)] = levels
        self.deferred_prose.append((doc, section, blocks, children, None, "promotion"))
        self._shape_notes[id(doc)] = f"what changes from {levels[0].title} to {levels[1].title}"
        return True


def _rank_number(text: str) -> int | None:
    """The number a title that is only a rank gives ("Grade 2", "L2", "2"), else None."""
    if not is_bare_rank(text):
        return None
    for word in reversed(words(text)):
        number = number_of(word)
        if number is not None:
            return number
    digits = re.search(r"\d+", text)
    return int(digits.group()) if digits else None
