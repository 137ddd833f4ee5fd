"""Levels read from pages: one page per level (pages in one folder make one track, named by the folder or its index
page), a page whose sub-headings are the ones level pages use, and companion pages that add to a level (a job
description beside the level's page)."""

from __future__ import annotations

from pathlib import Path

from bot.framework.names import name_key, normalize
from bot.framework.reading.documents.pages import LEVEL_NUMBER_KEYS, NUMBER_KEYS, TRACK_KEYS, Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import Piece
from bot.framework.reading.outline import iter_texts, where
from bot.framework.reading.titles import (
    from_file_name,
    is_bare_rank,
    level_marker,
    reads_like_a_name,
    section_kind,
    split_title,
    track_name,
    words,
)

_MANAGEMENT = {"manager", "mgr", "director", "dir", "head", "vp", "chief", "cto", "cio", "ceo", "president", "executive"}


class PageLevels(Placing):
    """Step 2b: the level each level's page is, and the track it is on."""

    def _pages_like_level_pages(self) -> None:
        """A page whose sub-headings are the ones level pages use is a level page too ("Engineer" beside "Senior
        Engineer", both with Core Competencies and Broad Indicators)."""
        used: set[str] = set()
        for doc in self.docs:
            if doc.kind == "level":
                used |= {normalize(section.title) for section in doc.body[1]}
        for doc in self.docs:
            if doc.kind == "prose" and not doc.is_index and section_kind(doc.title) == "other":
                names = {normalize(section.title) for section in doc.body[1]}
                if len(names & used) >= 2 and len(names & used) * 2 >= len(names):
                    doc.kind = "level"

    def _make_page_levels(self) -> None:
        pages = [d for d in self.docs if d.kind == "level"]
        incoming = self._incoming_links(pages)
        companions = self._companions(pages)
        pages_of_tracks = [d for d in pages if id(d) not in companions]
        by_file_name: dict[str, Page] = {}  # "grade-3.md" in several folders: one level, each folder an aspect of it
        for doc in pages:
            if doc.title_piece is None and is_bare_rank(doc.title):
                first = by_file_name.setdefault(normalize(doc.title), doc)
                if first is not doc:
                    companions[id(doc)] = first
        for doc in pages:
            if id(doc) in companions:
                continue
            track = self.draft.track(*self._page_track(doc, pages_of_tracks))
            title = split_title(doc.title)
            shown = title.title
            if any(normalize(lv.title) == normalize(shown) for lv in track.levels):
                others = [t for t in incoming.get(id(doc), []) if level_marker(t) and normalize(t) != normalize(shown)]
                named = split_title(others[0] if others else from_file_name(doc.path.stem)).title
                if all(normalize(lv.title) != normalize(named) for lv in track.levels):
                    self.draft.decisions.append(
                        f"{doc.file} is titled '{shown}' like another page of track {track.name}; "
                        f"read as a level of its own, titled '{named}' from "
                        + ("the links to it" if others else "its file name")
                        + ": check its title"
                    )
                    shown = named
            level = self.draft.level(track, shown, doc.title_piece.where if doc.title_piece else where(doc.file, 1, 1))
            level.aliases += list(title.aliases) + _slash_names(shown) + _page_names(doc, shown)
            doc.track, doc.level = track, level
            number = doc.number if doc.number is not None else title.number
            if number is not None and level.order is None:
                level.order = number
            if doc.title_piece is not None:
                self.draft.ledger.placed(doc.title_piece, f"{track.name} › {level.title} (title)")
                if doc.title_section is not None and doc.title_section.heading is not None:
                    self.done.add(id(doc.title_section.heading.text))
                if "title" in doc.document.front:
                    doc.used_front.add("title")
                    if doc.title_section is not None and doc.title_section.heading is not None:
                        heading = doc.title_section.heading.text
                        if normalize(heading.text) == normalize(doc.title):
                            self._placed(heading, doc, f"{track.name} › {level.title} (title)")
            for key in NUMBER_KEYS:
                if key in doc.document.front and doc.number is not None:
                    doc.used_front.add(key)
                    value = doc.document.front[key]
                    self.draft.ledger.placed(
                        Piece(str(value.value), where(doc.file, value.first, value.last)), f"{track.name} › {level.title} (order)"
                    )
                    break
        for doc in pages:  # a companion page (a job description beside the level's page) adds to the same level
            primary = companions.get(id(doc))
            if primary is None or primary.level is None or primary.track is None:
                continue
            doc.track, doc.level = primary.track, primary.level
            self._shape_notes.setdefault(id(doc), f"more of {primary.file}'s level")
            if doc.title_piece is not None:
                self.draft.ledger.placed(doc.title_piece, f"{doc.track.name} › {doc.level.title} (title of a companion page)")
                doc.used_front.add("title")
                if doc.title_section is not None and doc.title_section.heading is not None:
                    self.done.add(id(doc.title_section.heading.text))
            self._shape_notes.setdefault(id(doc), f"a companion page of {primary.file}")

    def _incoming_links(self, pages: list[Page]) -> dict[int, list[str]]:
        """The words other pages link to each level page with."""
        found: dict[int, list[str]] = {}
        for doc in self.docs:
            for text in iter_texts(doc.document.blocks):
                for label, target in text.links:
                    page = self._page_at(doc, target, pages)
                    if page is not None and page is not doc:
                        found.setdefault(id(page), []).append(label)
        return found

    def _companions(self, pages: list[Page]) -> dict[int, Page]:
        """Pages of one level in two folders that link to each other by what they are ("Job Description", "Progression
        Document"), not by a level's name: the page deeper in the folders adds to the other's level."""
        titles = {id(d): _name_keys(split_title(d.title).title) for d in pages}
        found: dict[int, Page] = {}
        for doc in pages:
            for text in iter_texts(doc.document.blocks):
                for label, target in text.links:
                    other = self._page_at(doc, target, pages)
                    if (
                        other is None
                        or other is doc
                        or other.path.parent == doc.path.parent
                        or not titles[id(other)] & titles[id(doc)]
                    ):
                        continue
                    if level_marker(label) or self._levels_named(label):
                        continue
                    deeper, shallower = (doc, other) if len(doc.path.parts) > len(other.path.parts) else (other, doc)
                    if len(deeper.path.parts) != len(shallower.path.parts) and id(shallower) not in found:
                        found[id(deeper)] = shallower
        return found

    def _page_track(self, doc: Page, pages: list[Page]) -> tuple[str, str | None]:
        """The track of a level's page: named in its front matter, else its folder (by the folder's index page, or its
        name); a folder mixing managers' pages with others' makes a management track beside the other."""
        for key in TRACK_KEYS:
            value = doc.document.front.get(key)
            if value is not None and isinstance(value.value, str) and value.value.strip():
                doc.used_front.add(key)
                return value.value.strip(), None
        named = self._page_meta_track(doc)
        if named:
            return named, None
        folder = doc.path.parent
        siblings = [d for d in pages if d.path.parent == folder]
        ladders = [d for d in self.docs if d.path.parent == folder and d.kind == "levels"]
        if len(siblings) == 1 and ladders:
            return track_name(doc.title), None  # a one-level ladder beside pages that are ladders of their own
        name = self._folder_name(folder)
        managers = [d for d in siblings if _management(d.title)]
        if managers and len(managers) < len(siblings) and _management(doc.title):
            splitting = {d.path.parent for d in pages if _management(d.title)} - {
                d.path.parent for d in pages if all(_management(o.title) for o in pages if o.path.parent == d.path.parent)
            }
            return ("Management" if len(splitting) == 1 else f"{name} management"), None
        return name, None

    def _folder_name(self, folder: Path) -> str:
        for doc in self.docs:
            if doc.kind != "prose":
                continue
            beside = doc.path.parent == folder.parent and doc.path.stem == folder.name
            inside = doc.path.parent == folder and doc.path.stem.lower() == "_index"
            if (beside or inside) and doc.title:
                return track_name(doc.title)
        return track_name(from_file_name(folder.name)) if folder.name not in {"", "."} else "Levels"


def _management(title: str) -> bool:
    """A manager's title ("Engineering Manager", "Director of Engineering"); one naming two roles ("Engineer IV /
    Platform Manager") only when both are."""
    return all(any(w in _MANAGEMENT for w in words(part)) for part in title.split("/") if part.strip())


def _page_names(doc: Page, shown: str) -> list[str]:
    """Names a level's page gives it beside its title: a level number in its front matter ("level: 2" is "Level 2"),
    and its file's name where that is another name of the level ("intermediate-analyst.md" for "Data Analyst",
    sharing a word with it; "grade-3.md", a rank)."""
    names = []
    for key in LEVEL_NUMBER_KEYS:
        value = doc.document.front.get(key)
        if value is not None and isinstance(value.value, (int, str)) and str(value.value).strip().isdecimal():
            names.append(f"{key.capitalize()} {str(value.value).strip()}")
    if doc.title_piece is not None:
        named = from_file_name(doc.path.stem)
        keys, title_words = name_key(named), set(name_key(shown).split())
        if keys and keys != name_key(shown) and (set(keys.split()) & title_words or is_bare_rank(named)):
            names.append(named)
    return names


def _slash_names(title: str) -> list[str]:
    """ "Software Engineer IV / Platform Manager" names two roles: each is another name of the level."""
    parts = [p.strip() for p in title.split(" / ")]
    return [p for p in parts if p and len(parts) > 1 and reads_like_a_name(p)]


def _name_keys(title: str) -> set[str]:
    """A title's name, and each of the names a title joins with "/" ("Engineer IV / Platform Manager")."""
    return {name_key(title)} | {name_key(part) for part in title.split("/") if part.strip()}
