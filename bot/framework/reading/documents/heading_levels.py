"""Levels read from headings: a heading per level (siblings whose titles read like levels), and the rank headings of
a page per competency ("Level 1" … "Level 6"), the levels of the one ladder such pages share."""

from __future__ import annotations

from bot.framework.names import normalize
from bot.framework.reading.documents.pages import LIST_KEYS, Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftLevel, DraftTrack, Piece
from bot.framework.reading.outline import Section, Text, where
from bot.framework.reading.titles import common_name, from_file_name, number_of, rank_of, split_title, track_name


class HeadingLevels(Placing):
    """Step 2a: the levels a page's headings name."""

    def _make_heading_levels(self, doc: Page) -> None:
        for parent, levels in doc.groups:
            name = self._group_track_name(doc, parent, levels)
            track = self.draft.track(name)
            self.group_track[id(parent)] = track
            if len(doc.groups) == 1 and "title" in doc.document.front and doc.title_piece is not None:
                doc.used_front.add("title")
                self.draft.ledger.placed(doc.title_piece, f"track {track.name} (its page's title)")
            titles = [split_title(s.title) for s in levels]
            counts: dict[str, int] = {}
            for title in titles:
                counts[normalize(title.title)] = counts.get(normalize(title.title), 0) + 1
            for index, (section, title) in enumerate(zip(levels, titles, strict=False)):
                clash = counts[normalize(title.title)] > 1  # "Level 5: Senior Writer", "Level 6: Senior Writer"
                shown = " ".join(section.title.split()) if clash else title.title
                level = self._level(track, shown, section.heading.text if section.heading else None, doc)
                level.aliases += [a for a in title.aliases if normalize(a) != normalize(shown)]
                level.order = float(index)
                self.level_of_section[id(section)] = (track, level)
            front = next((doc.document.front[k] for k in LIST_KEYS if k in doc.document.front), None)
            if front and isinstance(front.value, list) and len(doc.groups) == 1 and len(front.value) == len(levels):
                for section, alias in zip(levels, front.value, strict=False):
                    if isinstance(alias, str) and alias.strip() and number_of(alias.strip().lower()) is None:
                        self.level_of_section[id(section)][1].aliases.append(alias.strip())  # "I", "II" alone name no level
                key = next(k for k in LIST_KEYS if k in doc.document.front)
                doc.used_front.add(key)
                self.draft.ledger.placed(
                    Piece(", ".join(map(str, front.value)), where(doc.file, front.first, front.last)),
                    f"{track.name} › other names of its levels",
                )

    def _group_track_name(self, doc: Page, parent: Section, levels: list[Section]) -> str:
        """The page's own title names its one ladder; else the heading above the levels; else what their titles share."""
        if len(doc.groups) == 1 and "title" in doc.document.front and doc.title_piece is not None:
            return track_name(doc.title)
        if parent.heading is not None:
            return track_name(parent.title)
        if len(doc.groups) == 1 and doc.title_piece is not None:
            return track_name(doc.title)
        shared = common_name([s.title for s in levels])
        return shared or track_name(from_file_name(doc.path.stem))

    def _level(self, track: DraftTrack, title: str, heading: Text | None, doc: Page) -> DraftLevel:
        place = where(doc.file, heading.first, heading.last) if heading else where(doc.file, 1, 1)
        level = self.draft.level(track, title, place)
        if heading is not None:
            self._placed(heading, doc, f"{track.name} › {level.title} (title)")
        return level

    def _make_rank_levels(self, doc: Page) -> None:
        """A page per competency: its rank headings are levels of the one ladder every such page shares."""
        track = self._shared_track()
        for parent, levels in doc.groups:
            for section in levels:
                title = split_title(section.title)
                shown = rank_of(section.title) or " ".join(section.title.split())
                level = self._level(track, shown, section.heading.text if section.heading else None, doc)
                if normalize(title.title) != normalize(shown) and title.title not in level.aliases:
                    level.aliases.append(title.title)  # "Level 2 JUNIOR": Junior is another name of Level 2
                if level.order is None and title.number is not None:
                    level.order = title.number
                self.level_of_section[id(section)] = (track, level)
            self.group_track[id(parent)] = track

    def _shared_track(self) -> DraftTrack:
        if len(self.draft.tracks) == 1:
            return self.draft.tracks[0]
        index = next((d for d in self.docs if d.is_index and d.kind == "prose"), None)
        return self.draft.track(track_name(index.title) if index else "Levels")
