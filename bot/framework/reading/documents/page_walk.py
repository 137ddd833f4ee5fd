"""Walking a page's sections: a level's section to its level, a heading over levels to its track, a track's text to its
description, an item naming a level to that level, links to level pages as navigation, anything else to prose."""

from __future__ import annotations

from typing import Any

from bot.framework.names import name_key
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import NAVIGATION, Placing
from bot.framework.reading.draft import DraftLevel, DraftTrack
from bot.framework.reading.outline import Block, Markup, Section, Table, Text, iter_markup
from bot.framework.reading.page_shapes import has_text, note, texts_with_nesting
from bot.framework.reading.titles import section_kind, split_title


class PageWalk(Placing):
    """Step 4: every page's sections, each to the step that places it."""

    def _place_doc(self, doc: Page) -> None:
        for block in doc.root.blocks:
            if isinstance(block, Markup):
                self._markup(block, doc)
        if doc.kind == "level" and doc.track and doc.level:
            blocks, children = doc.body
            track, level = doc.track, doc.level
            self._front_description(doc, lambda p: self.draft.add_field(track, level, "summary", p))
            if doc.title_section is not None and doc.title_section.heading is not None:
                self._placed(doc.title_section.heading.text, doc, f"{doc.track.name} › {doc.level.title} (title)")
            self._level_body(doc, doc.track, doc.level, [b for b in blocks if not isinstance(b, Markup)], children)
            return
        self._walk(doc, doc.root, None, top=True)

    def _walk(self, doc: Page, section: Section, track: DraftTrack | None, top: bool = False) -> None:
        """Place a section of a page with levels in it, or of a prose page."""
        if id(section) in self.level_of_section:
            level_track, level = self.level_of_section[id(section)]
            heading = section.heading.text if section.heading else None
            if heading is not None:
                self._placed(heading, doc, f"{level_track.name} › {level.title} (title)")
            if doc.kind == "competency":
                self._rank_body(doc, level_track, level, section)
            else:
                self._level_body(doc, level_track, level, section.blocks, section.children)
            return
        own_track = self.group_track.get(id(section)) or (track if not top else None)
        if not self._holds_levels(section):
            kind = section_kind(section.title, *[s.title for s in section.walk()][1:], doc.title)
            if section.heading is None and top:
                self._place_page_prose(doc, section, own_track)
            else:
                self.deferred_prose.append((doc, section, section.blocks, section.children, own_track, kind))
            return
        tracks = self._tracks_of_subtree(section)
        if id(section) not in self.group_track:
            own_track = tracks[0] if len(tracks) == 1 else None
        heads_page = top or section is doc.title_section
        if heads_page and own_track is None:
            self._front_description(doc, self.draft.add_description)
            if "title" in doc.document.front and doc.title_piece is not None and "title" not in doc.used_front:
                doc.used_front.add("title")
                self._name_or_description(doc.title_piece)
        if section.heading is not None:
            if own_track is not None:
                self._placed(section.heading.text, doc, f"track {own_track.name} (a heading over its levels)")
            elif heads_page:
                self._put(section.heading.text, doc, self._name_or_description)
            else:
                prose = [b for b in section.blocks if not (isinstance(b, Table) and self._is_level_table(b))]
                if has_text(prose):  # its own text is a section, its tables place their levels
                    kind = section_kind(section.title)
                    self.deferred_prose.append((doc, Section(section.heading, prose, []), prose, [], None, kind))
                    for block in section.blocks:
                        if not any(block is b for b in prose):
                            self._describe(doc, block, None)
                    for child in section.children:
                        self._walk(doc, child, own_track)
                    return
                self._placed(section.heading.text, doc, "a heading over levels of several tracks")
        if doc.kind == "competency" and id(section) in self.group_track:
            competency = self._competency_name(doc, section)
            for block in section.blocks:
                self._texts_to(block, doc, lambda p, c=competency: self.draft.add_competency_text(c, p))
        else:
            for block in section.blocks:
                self._describe(doc, block, own_track)
        for child in section.children:
            self._walk(doc, child, own_track)

    def _holds_levels(self, section: Section) -> bool:
        for sub in section.walk():
            if id(sub) in self.level_of_section or id(sub) in self.group_track:
                return True
            if any(isinstance(b, Table) and self._is_level_table(b) for b in sub.blocks):
                return True
        return False

    def _tracks_of_subtree(self, section: Section) -> list[DraftTrack]:
        """The tracks whose levels a section holds (headings or tables), in the order met."""
        found: dict[int, DraftTrack] = {}
        for sub in section.walk():
            if id(sub) in self.group_track:
                found.setdefault(id(self.group_track[id(sub)]), self.group_track[id(sub)])
            if id(sub) in self.level_of_section:
                track = self.level_of_section[id(sub)][0]
                found.setdefault(id(track), track)
            for block in sub.blocks:
                if isinstance(block, Table) and self._is_level_table(block):
                    for hit in self.table_levels.get(id(block), []):
                        if hit:
                            found.setdefault(id(hit[0]), hit[0])
        return list(found.values())

    def _describe(self, doc: Page, block: Block, track: DraftTrack | None) -> None:
        """A block of a track's page: level tables placed, level-labelled items to their level, the rest describes
        the track (or the framework, when no track is known)."""
        if isinstance(block, Table) and self._is_level_table(block):
            self._place_level_table(doc, block)
            return
        if isinstance(block, Markup):
            self._markup(block, doc)
            return
        if self._meta_line(block, doc):
            return
        if note(block):
            self._note_section(doc, block, track)
            return
        if isinstance(block, Table):
            self._prose_table(doc, block, self._describer(track))
            return
        for text, nested in texts_with_nesting(block):
            if self._to_named_level(doc, text, nested):
                continue
            if text.navigation and self._navigation(doc, text):
                self._nested_navigation(doc, nested, self._describer(track))
                continue
            if self._run_in_section(doc, text, nested, track):
                continue
            add = self._describer(track)
            self._put(text, doc, add)
            for inner in nested:
                self._put(inner, doc, add)
        for markup in iter_markup([block]):
            self._markup(markup, doc)

    def _run_in_section(self, doc: Page, text: Text, nested: list[Text], track: DraftTrack | None) -> bool:
        """A paragraph opening with a bold sentence that says what it is about ("**Changing to the people
        track.** Anyone who…", a callout) is a section of its own, titled by that sentence, when the sentence
        names a kind of prose (switching, promotion, expectations of all levels)."""
        if text.lead is None or id(text) in self.done:
            return False
        title = text.lead.rstrip(".!? ")
        kind = section_kind(title)
        if kind in {"other", "competencies"}:
            return False
        about = [track.name] if track is not None else []
        self._put(text, doc, lambda p: self.draft.add_section(title, kind, p, about))
        for inner in nested:
            self._put(inner, doc, lambda p: self.draft.add_section(title, kind, p, about))
        return True

    def _to_named_level(self, doc: Page, text: Text, nested: list[Text]) -> bool:
        """ "Engineer 1 (IC2): Focuses on…" — an item that names a level is that level's summary."""
        if id(text) in self.done:
            return True
        run_in = _run_in_name(text)
        label = text.label or _plain_label(text.text) or run_in
        if not label:
            return False
        found = self._levels_named(label)
        if len(found) == 1 and label == run_in:
            self._title_for_code(label, found[0][1])
        if len(found) != 1 or not wholly_named(label, found[0][1]):
            return False  # "R7 and R8 are seldom reached: …" says more than a name: kept whole where the paragraph goes
        track, level = found[0]
        if text.label:
            rest = text.rest
        elif label == run_in and text.lead is not None:
            rest = text.text[len(text.lead) :].strip()
        else:
            rest = text.text.split(":", 1)[1].strip()
        self._put(text, doc, lambda p: self.draft.add_field(track, level, "summary", p), rest or text.text)
        for inner in nested:
            self._put(inner, doc, lambda p: self.draft.add_field(track, level, "summary", p))
        return True

    def _title_for_code(self, label: str, level: DraftLevel) -> None:
        """ "Band 2 – Shop Supervisor." run in before a paragraph, where the level was known by its code alone (a
        table's header "Band 2"): the level takes that title, its code kept as another name, unless another level
        has the title (as a heading "A2 – Associate" names its level)."""
        title = split_title(label)
        if name_key(level.title) not in {name_key(a) for a in title.aliases} or not name_key(title.title):
            return
        if self._levels_named(title.title):
            return
        level.aliases = [*dict.fromkeys([*title.aliases, *level.aliases])]
        level.title = title.title

    def _nested_navigation(self, doc: Page, nested: list[Text], add: Any) -> None:
        """The items nested under a link that was navigation (a table of contents' sub-entries): navigation too when
        they are links, else placed with ``add``."""
        for inner in nested:
            if not (inner.navigation and self._navigation(doc, inner)):
                self._put(inner, doc, add)

    def _navigation(self, doc: Page, text: Text) -> bool:
        """Links to level pages: their order orders the levels (and their words are the levels' titles); links to
        other pages, and a page's own table of contents (links to places in the page), are listed as navigation."""
        found = [self._linked_level(doc, label, target) for label, target in text.links]
        if found and all(found):
            names = ", ".join(f"{hit[0].name} › {hit[1].title}" for hit in found if hit)
            self._placed(text, doc, f"{names} (a link to its page)")
            self.navigation.add(id(text))  # a table of contents' entry too: its heading is no section of prose
            return True
        to_pages = all(self._page_at(doc, target) is not None for _label, target in text.links)
        if any(found) or to_pages or (text.links and all(target.startswith("#") for _label, target in text.links)):
            self._not_placed(text, doc, NAVIGATION)
            self.navigation.add(id(text))
            return True
        return False


def wholly_named(label: str, level: DraftLevel) -> bool:
    """Whether a label is nothing but a name of the level ("Engineer 1 (IC2)", "IC2"), so it can be left out of the
    text placed under that level without a word lost."""
    names = {name_key(level.title)} | {name_key(alias) for alias in level.aliases}
    title = split_title(label)
    return name_key(label) in names or (name_key(title.title) in names and all(name_key(a) in names for a in title.aliases))


def _run_in_name(text: Text) -> str | None:
    """ "**Band 2 – Shop Supervisor.** Opens the shop…" -> "Band 2 – Shop Supervisor": a run-in title that is a code
    and a title, which may name a level."""
    if text.lead is None:
        return None
    name = text.lead.strip().rstrip(".!? ").strip()
    return name if name and split_title(name).aliases and len(name.split()) <= 8 else None


def _plain_label(text: str) -> str | None:
    """ "Engineer 1 (IC2): Focuses on…" -> "Engineer 1 (IC2)"."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and 0 < len(head.split()) <= 8 and "\n" not in head:
        return head.strip()
    return None
