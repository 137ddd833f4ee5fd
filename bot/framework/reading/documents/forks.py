"""Tracks that continue from a level of another track (a trunk that forks), from what the pages say and draw.

Three signs, each read the same way whatever the ladder:

- a diagram (a Mermaid or Graphviz flowchart, an SVG drawing) whose arrow leads from a level to the first level of
  another track: that track starts after it. Where one level leads to two levels of its own track (a "Y" drawn over one
  list of positions), or to one of them by an arrow that names a track ("-- Specialist Path -->") while another arrow
  leads away to another track, the track is cut there: what follows each arrow becomes a track of its own, continuing
  from that level, and the trunk keeps the levels up to it;
- a sentence that names the track (or is its own description) and says where it starts: "This path begins after
  Senior Surveyor", "The Leadership Track branches off from Analyst III";
- the same levels at the start of two tracks' paths (titles listed on both, without text of their own): they are
  one trunk, kept on the first track, and the other continues from its last shared level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.framework.names import name_key, normalize
from bot.framework.reading.diagrams import Diagram
from bot.framework.reading.documents.pages import Page
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.documents.said_forks import said_fork
from bot.framework.reading.draft import DraftLevel, DraftTrack, Entry, Piece
from bot.framework.reading.outline import Markup, iter_markup, iter_texts, where
from bot.framework.reading.titles import common_name, is_code, reads_like_a_name, track_name, without_dot_code

_FORK_WORDS = (
    r"start|starts|started|begin|begins|continue|continues|branch|branches|branching|fork|forks|split|splits"
    r"|diverge|diverges|open|opens|available"
)
_STARTS_AFTER = re.compile(rf"\b(?:{_FORK_WORDS})\b(?:\s+\w+){{0,3}}?\s+(?:after|from|off(?:\s+from)?)\s+(.{{2,80}})", re.I)
_AFTER_THEN = re.compile(rf"\b(?:after|from|beyond)\s+(.{{2,80}}?),?\s+(?:\w+\s+){{0,6}}?(?:{_FORK_WORDS})\b", re.I)
_AFTER_KEYS = ("starts_after", "start_after", "after", "follows", "previous", "prev", "previous_level", "branches_from")
"""Front matter keys by which a track's first page names the level before it."""
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_LEADING_CODE = re.compile(r"^\s*(\w{1,6})\s*(?:[·:|–—-]|\s)\s*\w")
_TRACK_WORDS = re.compile(r"\b(track|path|ladder|branch|route|career)\b", re.I)


@dataclass(frozen=True)
class _Link:
    """Two levels a diagram joins (from ``low`` to ``high`` when it draws a head; else ``directed`` is False)."""

    low: DraftLevel
    high: DraftLevel
    label: str
    directed: bool


class Forks(Placing):
    """Step 5b: where each track starts, when it continues from another track's level."""

    # -- diagrams: read once the levels are known, applied once they are in order ----------------------------

    def _read_diagrams(self) -> None:
        """Every diagram whose boxes are levels: its links kept for :meth:`_starts_after`, its markup placed."""
        self.diagram_links: list[_Link] = []
        for doc in self.docs:
            for markup in iter_markup(doc.document.blocks):
                if markup.diagram is None or id(markup) in self.done:
                    continue
                links = self._diagram_links(doc, markup.diagram)
                if links:
                    self.diagram_links += links
                    self._diagram_placed(doc, markup, len(links))

    def _diagram_placed(self, doc: Page, markup: Markup, links: int) -> None:
        self.done.add(id(markup))
        self.draft.ledger.placed(
            Piece(markup.text, where(doc.file, markup.first, markup.last)),
            f"the ladder's shape ({links} link(s) between levels, drawn as a diagram)",
        )

    def _diagram_links(self, doc: Page, diagram: Diagram) -> list[_Link]:
        """The links between levels a diagram draws, through boxes that are no level (a spacer box joins what it
        joins); each box's own words for its level are another name of it."""
        levels: dict[str, DraftLevel] = {}
        for key, node in diagram.nodes.items():
            found = self._diagram_level(doc, key if diagram.keys_named else "", node.label, node.link)
            if found is not None:
                levels[key] = found
        if len(levels) < 2:
            return []
        onward: dict[str, list[tuple[str, str, bool]]] = {}
        for edge in diagram.edges:
            onward.setdefault(edge.source, []).append((edge.target, edge.label, edge.directed))
            if not edge.directed:
                onward.setdefault(edge.target, []).append((edge.source, edge.label, False))
        links: list[_Link] = []
        seen: set[tuple[int, int]] = set()
        for key, level in levels.items():
            for target, label, directed in onward.get(key, []):
                for reached, through_label, through_directed in self._reach(target, onward, levels, key):
                    high = levels[reached]
                    pair = (id(level), id(high))
                    if high is level or pair in seen or (not (directed and through_directed) and (id(high), id(level)) in seen):
                        continue
                    seen.add(pair)
                    links.append(_Link(level, high, label or through_label, directed and through_directed))
        return links

    def _reach(
        self, start: str, onward: dict[str, list[tuple[str, str, bool]]], levels: dict[str, DraftLevel], came_from: str
    ) -> list[tuple[str, str, bool]]:
        """The level boxes ``start`` is or leads to through boxes that are no level."""
        if start in levels:
            return [(start, "", True)]
        found: list[tuple[str, str, bool]] = []
        visited = {came_from, start}
        frontier = [(start, "", True)]
        while frontier and len(visited) <= len(onward) + 1:
            key, label, directed = frontier.pop()
            for target, edge_label, edge_directed in onward.get(key, []):
                if target in visited:
                    continue
                visited.add(target)
                step = (target, label or edge_label, directed and edge_directed)
                (found if target in levels else frontier).append(step)
        return found

    def _diagram_level(self, doc: Page, key: str, label: str, link: str) -> DraftLevel | None:
        level: DraftLevel | None = None
        page = self._page_at(doc, link) if link else None
        if page is not None and page.level is not None:
            level = page.level
        else:
            found = {id(lv): lv for _t, lv in self._levels_named(label)} if label else {}
            level = next(iter(found.values())) if len(found) == 1 else None
        if level is None:
            return None
        for name in (label, key if key and is_code(key) else ""):
            named = {id(lv) for _t, lv in self._levels_named(name)} if name else set()
            known = {name_key(level.title)} | {name_key(a) for a in level.aliases}
            if name and reads_like_a_name(name) and named <= {id(level)} and name_key(name) not in known:
                level.aliases.append(name)  # "Finance Director" for "Director of Finance", "FN4"
        return level

    def _diagram_forks(self) -> None:
        tracks = {id(level): track for track in self.draft.tracks for level in track.levels}
        steps: dict[int, list[tuple[DraftLevel, str]]] = {}
        for link in getattr(self, "diagram_links", []):
            low, high = self._oriented(link, tracks)
            if low is None or high is None:
                continue
            steps.setdefault(id(low), []).append((high, link.label))
            high_track = tracks[id(high)]
            if high_track is not tracks[id(low)] and high_track.levels and high_track.levels[0] is high:
                high_track.starts_after = high_track.starts_after or low
        for track in list(self.draft.tracks):
            for level in list(track.levels):
                if tracks.get(id(level)) is track:
                    self._cut_at(track, level, steps.get(id(level), []), tracks, steps)

    def _oriented(self, link: _Link, tracks: dict[int, DraftTrack]) -> tuple[DraftLevel | None, DraftLevel | None]:
        """A link's lower and higher level: as drawn when it has a head; else by their order on one track, or towards
        the first level of a track."""
        low_track, high_track = tracks.get(id(link.low)), tracks.get(id(link.high))
        if low_track is None or high_track is None:
            return None, None
        if link.directed:
            return link.low, link.high
        if low_track is high_track:
            ordered = sorted((link.low, link.high), key=low_track.levels.index)
            return ordered[0], ordered[1]
        if high_track.levels[0] is link.high and low_track.levels[0] is not link.low:
            return link.low, link.high
        if low_track.levels[0] is link.low and high_track.levels[0] is not link.high:
            return link.high, link.low
        return None, None

    def _cut_at(
        self,
        track: DraftTrack,
        level: DraftLevel,
        following: list[tuple[DraftLevel, str]],
        tracks: dict[int, DraftTrack],
        steps: dict[int, list[tuple[DraftLevel, str]]],
        shown: str = "as a diagram draws it",
    ) -> None:
        """Where ``level`` leads to two levels of its own track (or to one by an arrow naming a track, while another
        leads away to another track), what follows each is a track of its own, continuing from ``level``."""
        place = track.levels.index(level)
        own = [(high, label) for high, label in following if tracks.get(id(high)) is track and track.levels.index(high) > place]
        away = [high for high, _label in following if tracks.get(id(high)) is not track]
        named = [label for _high, label in own if _names_a_track(label)]
        if not (len(own) >= 2 or (len(own) == 1 and away and named)):
            return
        branches: list[tuple[list[DraftLevel], str]] = []
        taken: set[int] = set()
        for high, label in own:
            chain = [high]
            while True:
                nxt = [h for h, _l in steps.get(id(chain[-1]), []) if tracks.get(id(h)) is track and id(h) not in taken]
                if len(nxt) != 1 or nxt[0] in chain or nxt[0] is level:
                    break
                chain.append(nxt[0])
            if any(id(lv) in taken for lv in chain):
                return
            taken |= {id(lv) for lv in chain}
            branches.append((chain, label))
        rest = track.levels[place + 1 :]
        if {id(lv) for lv in rest} != taken:
            return  # the track goes on past the fork in a way the diagram does not account for: left as it is
        for chain, label in branches:
            name = track_name(label) if _names_a_track(label) else common_name([lv.title for lv in chain]) or chain[0].title
            if normalize(name) in {normalize(t.name) for t in self.draft.tracks}:
                name = f"{name} ({chain[0].title})" if normalize(name) != normalize(chain[0].title) else f"{track.name}: {name}"
            branch = self.draft.track(name, track.family)
            branch.starts_after = level
            self._move_levels(chain, track, branch)
            for lv in chain:
                tracks[id(lv)] = branch
        branched = ", ".join(f"track {tracks[id(chain[0])].name} (from {chain[0].title})" for chain, _l in branches)
        self.draft.decisions.append(
            f"Track {track.name} forks after {level.title}, {shown}: {branched} "
            + ("continues" if len(branches) == 1 else "continue")
            + " from it; check the tracks' names"
        )

    def _move_levels(self, levels: list[DraftLevel], old: DraftTrack, new: DraftTrack) -> None:
        """Levels moved to another track, with the pages on them and what the ledger says of where their text went."""
        moving = {id(lv) for lv in levels}
        old.levels[:] = [lv for lv in old.levels if id(lv) not in moving]
        new.levels += levels
        for doc in self.docs:
            if doc.level is not None and id(doc.level) in moving:
                doc.track = new
        for key, (_track, level) in list(self.level_of_section.items()):
            if id(level) in moving:
                self.level_of_section[key] = (new, level)
        prefixes = {f"{old.name} › {lv.title}": f"{new.name} › {lv.title}" for lv in levels}
        entries = self.draft.ledger.entries
        for k, entry in enumerate(entries):
            at = entry.placed_at or ""
            for before, after in prefixes.items():
                if at == before or at.startswith(before + " "):
                    entries[k] = Entry(entry.piece, after + at[len(before) :], entry.reason)
                    break

    # -- where each track starts -------------------------------------------------------------------------------

    def _starts_after(self) -> None:
        """Forks drawn in diagrams, then forks said in words, then trunks two tracks' paths share."""
        self._diagram_forks()
        self._said_forks()
        self._same_grade_ends()
        self._tracks_named_in_titles()
        for track in self.draft.tracks:
            if not track.starts_after and track.levels:
                self._starts_after_in_front_matter(track)
            if not track.starts_after and track.levels:
                self._starts_after_said(track)
        self._shared_trunks()
        self._branches_after_their_trunks()

    def _said_forks(self) -> None:
        """A sentence naming two levels of one track as the alternatives after a third ("after Senior, Specialist or
        Coordinator"): what follows each is a track of its own, continuing from that level."""
        texts = [p.text for p in self.draft.description] + [p.text for s in self.draft.sections for p in s.pieces]
        texts += [p.text for t in self.draft.tracks for p in t.description]
        texts += [p.text for t in self.draft.tracks for lv in t.levels for ps in lv.fields.values() for p in ps]
        for text in texts:
            for sentence in _SENTENCES.split(text):
                for track in list(self.draft.tracks):
                    titles = {normalize(lv.title): lv for lv in track.levels}
                    if len(titles) != len(track.levels):
                        continue  # a title twice on one track: which one a sentence means is unknown
                    titles.update(_codes_of(track, titles))
                    fork = said_fork(sentence, list(titles))
                    if fork is not None:
                        self._fork_said(track, *(titles[key] for key in fork))

    def _fork_said(self, track: DraftTrack, level: DraftLevel, one: DraftLevel, other: DraftLevel) -> None:
        """Cut ``track`` after ``level`` when the first of the alternatives follows it: each runs up to the next."""
        place = track.levels.index(level)
        first, second = sorted((one, other), key=track.levels.index)
        if track.levels.index(first) != place + 1:
            return
        cut = track.levels.index(second)
        chains = [track.levels[place + 1 : cut], track.levels[cut:]]
        steps: dict[int, list[tuple[DraftLevel, str]]] = {id(level): [(chain[0], "") for chain in chains]}
        for chain in chains:
            for low, high in zip(chain, chain[1:], strict=False):
                steps[id(low)] = [(high, "")]
        tracks = {id(lv): t for t in self.draft.tracks for lv in t.levels}
        self._cut_at(track, level, steps[id(level)], tracks, steps, "as the text says")

    def _same_grade_ends(self) -> None:
        """A track ending in two levels with one grade code ("CS4 · Principal", "CS4 · Team Lead"): two levels of one
        grade are never one above the other, so each is a track of its own, continuing from the level before them."""
        tracks = {id(lv): t for t in self.draft.tracks for lv in t.levels}
        for track in list(self.draft.tracks):
            if len(track.levels) < 3:
                continue
            before, one, other = track.levels[-3:]
            code = _grade_code(one.title)
            if code is None or code != _grade_code(other.title) or code == _grade_code(before.title):
                continue
            steps: dict[int, list[tuple[DraftLevel, str]]] = {id(before): [(one, _path_said(one)), (other, _path_said(other))]}
            shown = f"as its last two levels both carry grade {code.upper()}, so neither is above the other"
            self._cut_at(track, before, steps[id(before)], tracks, steps, shown)

    def _tracks_named_in_titles(self) -> None:
        """Levels whose titles end naming a track ("Staff Engineer (technical path)", "Engineering Manager
        (management path)"), in runs of one track each after the levels that name none: each run is a track of its own, continuing
        from the last level before the runs (a trunk that forks), or, with no level before them, starting on its own.
        The title without the bracket becomes another name of the level."""
        for track in list(self.draft.tracks):
            said = [_track_in_title(lv.title) for lv in track.levels]
            first = next((k for k, name in enumerate(said) if name), None)
            if first is None or not all(said[first:]):
                continue
            runs: list[tuple[str, list[DraftLevel]]] = []
            for level, name in zip(track.levels[first:], said[first:], strict=True):
                if runs and normalize(runs[-1][0]) == normalize(name):
                    runs[-1][1].append(level)
                elif any(normalize(n) == normalize(name) for n, _levels in runs):
                    runs = []  # a track named again after another: not runs of one track each
                    break
                else:
                    runs.append((name, [level]))
            if len(runs) < 2:
                continue
            trunk = track.levels[first - 1] if first else None
            for name, levels in runs:
                for level in levels:
                    bare = without_dot_code(_TRACK_BRACKET.sub("", level.title).strip())
                    if bare and normalize(bare) not in {normalize(a) for a in level.aliases}:
                        level.aliases.append(bare)
                branch = self.draft.track(_capitalised(track_name(name)), track.family)
                branch.starts_after = trunk
                self._move_levels(levels, track, branch)
            names = ", ".join(f"track {_capitalised(track_name(name))} (from {levels[0].title})" for name, levels in runs)
            where_from = f"forks after {trunk.title}" if trunk else "holds several tracks"
            self.draft.decisions.append(
                f"Track {track.name} {where_from}, as the levels' titles name their tracks: {names}; check the tracks' names"
            )
            if trunk is None:
                self.draft.tracks.remove(track)

    def _branches_after_their_trunks(self) -> None:
        """Tracks in reading order, except that a track continuing from another's level comes after that track."""
        tracks = self.draft.tracks
        on = {id(level): track for track in tracks for level in track.levels}
        parent = {
            id(t): on[id(t.starts_after)]
            for t in tracks
            if isinstance(t.starts_after, DraftLevel) and id(t.starts_after) in on and on[id(t.starts_after)] is not t
        }
        ordered: list[DraftTrack] = []

        def add(track: DraftTrack) -> None:
            if any(track is t for t in ordered):
                return
            ordered.append(track)
            for child in tracks:
                if parent.get(id(child)) is track:
                    add(child)

        for track in tracks:
            if id(track) not in parent:
                add(track)
        for track in tracks:
            add(track)  # a circle of tracks each continuing from another: kept in reading order
        tracks[:] = ordered

    def _starts_after_in_front_matter(self, track: DraftTrack) -> None:
        """The page of a track's first level naming, in its front matter, the level it follows (``starts_after:``,
        ``after:``, ``previous:``) when that level is on another track."""
        for doc in self.docs:
            if doc.level is not track.levels[0] or doc.track is not track:
                continue
            for key in _AFTER_KEYS:
                value = doc.document.front.get(key)
                if value is None or not isinstance(value.value, str):
                    continue
                hit = self._level_named_at_start(value.value, track)
                if hit is not None and normalize(value.value) == hit:
                    doc.used_front.add(key)
                    self.draft.ledger.placed(
                        Piece(value.value, where(doc.file, value.first, value.last)), f"track {track.name} › starts after"
                    )
                    self._continue_from(track, hit)
                    return

    def _starts_after_said(self, track: DraftTrack) -> None:
        """A sentence in the track's description, or one that names the track elsewhere, that says which level of
        another track it starts after ("This path begins after Senior Surveyor")."""
        beside = any(lv.equivalents for lv in track.levels)  # levels named as equivalent may run beside another track
        own = [p.text for p in track.description]
        named = re.compile(rf"\b{re.escape(normalize(track.name))}\b") if normalize(track.name) else None
        elsewhere = [p.text for p in self.draft.description] + [p.text for s in self.draft.sections for p in s.pieces]
        candidates = [(s, True) for text in own for s in _SENTENCES.split(text)]
        if named is not None:
            candidates += [
                (s, False)
                for text in elsewhere
                for s in _SENTENCES.split(text)
                if named.search(normalize(s)) and _TRACK_WORDS.search(s)
            ]
        for sentence, is_own in candidates:
            if beside and not is_own:
                continue  # only the track's own words say it continues from a level, when it has equivalents
            for match in (_STARTS_AFTER.search(sentence), _AFTER_THEN.search(sentence)):
                if match is None:
                    continue
                hit = self._level_named_at_start(match.group(1), track)
                if hit is not None and not self._equivalent_to_first(track, hit):
                    self._continue_from(track, hit)
                    return

    def _equivalent_to_first(self, track: DraftTrack, title_key: str) -> bool:
        """Whether the level a sentence names is named as the same level as the track's first one (beside it, not
        before it)."""
        first = track.levels[0]
        said = {name_key(e) if isinstance(e, str) else id(e) for e in first.equivalents}
        for other in self.draft.tracks:
            for level in other.levels:
                if normalize(level.title) == title_key and (id(level) in said or name_key(level.title) in said):
                    return True
                if normalize(level.title) == title_key and any(e is first for e in level.equivalents):
                    return True
        return False

    def _level_named_at_start(self, tail: str, track: DraftTrack) -> str | None:
        """The normalised title of a level on another track that ``tail`` opens with (the longest such title)."""
        key = normalize(tail)
        names = sorted(
            {normalize(level.title) for other in self.draft.tracks if other is not track for level in other.levels},
            key=len,
            reverse=True,
        )
        return next((name for name in names if name and (key == name or key.startswith(name + " "))), None)

    def _continue_from(self, track: DraftTrack, title_key: str) -> None:
        candidates = [
            (other, level)
            for other in self.draft.tracks
            if other is not track
            for level in other.levels
            if normalize(level.title) == title_key
        ]
        linking = self._tracks_linking_to(track)
        preferred = [c for c in candidates if id(c[0]) in linking] or candidates
        track.starts_after = preferred[0][1] if len(preferred) == 1 else preferred[0][1].title

    def _tracks_linking_to(self, track: DraftTrack) -> set[int]:
        """The tracks whose pages link to a page of ``track``."""
        pages = [d for d in self.docs if d.track is track or any(self.group_track.get(id(p)) is track for p, _ in d.groups)]
        linking: set[int] = set()
        for doc in self.docs:
            tracks = (
                {id(doc.track)}
                if doc.track
                else {id(self.group_track[id(p)]) for p, _ in doc.groups if id(p) in self.group_track}
            )
            for text in iter_texts(doc.document.blocks):
                if any(self._page_at(doc, target) in pages for _label, target in text.links if self._page_at(doc, target)):
                    linking |= tracks
        return linking

    # -- one trunk listed on several paths ---------------------------------------------------------------------

    def _shared_trunks(self) -> None:
        """Two tracks that open with the same levels (the same titles, listed without any text of their own) and then
        go separate ways share a trunk: it stays on the first, and the second continues from its last shared level.
        Levels with text are the track's own, even when the text is the same (a stack's Junior copied from another's)."""
        for first in list(self.draft.tracks):
            for second in list(self.draft.tracks):
                if first is second or second.starts_after or first.starts_after or not first.levels:
                    continue
                shared = 0
                for a, b in zip(first.levels, second.levels, strict=False):
                    if normalize(a.title) != normalize(b.title) or _content(a) or _content(b):
                        break
                    shared += 1
                if not shared or shared >= len(second.levels) or shared >= len(first.levels):
                    continue
                if self.draft.tracks.index(second) < self.draft.tracks.index(first):
                    continue
                trunk = second.levels[:shared]
                for kept, dropped in zip(first.levels, trunk, strict=False):
                    kept.aliases += [a for a in dropped.aliases if a not in kept.aliases]
                self._merge_into(trunk, first.levels[:shared], second, first)
                second.levels[:] = second.levels[shared:]
                second.starts_after = first.levels[shared - 1]

    def _merge_into(self, dropped: list[DraftLevel], kept: list[DraftLevel], old: DraftTrack, new: DraftTrack) -> None:
        """The ledger's entries for levels folded into the same levels of another track now say that track."""
        prefixes = {f"{old.name} › {d.title}": f"{new.name} › {k.title}" for d, k in zip(dropped, kept, strict=False)}
        same = {id(d): k for d, k in zip(dropped, kept, strict=False)}
        for doc in self.docs:
            if doc.level is not None and id(doc.level) in same:
                doc.track, doc.level = new, same[id(doc.level)]
        entries = self.draft.ledger.entries
        for k, entry in enumerate(entries):
            at = entry.placed_at or ""
            for before, after in prefixes.items():
                if at == before or at.startswith(before + " "):
                    entries[k] = Entry(entry.piece, after + at[len(before) :], entry.reason)
                    break


def _codes_of(track: DraftTrack, titles: dict[str, DraftLevel]) -> dict[str, DraftLevel]:
    """Each alias (a code read from a title, "A3") naming one level of ``track`` and no title: a sentence may name
    the levels by their codes."""
    named: dict[str, list[DraftLevel]] = {}
    for level in track.levels:
        for alias in level.aliases:
            named.setdefault(normalize(alias), []).append(level)
    return {key: levels[0] for key, levels in named.items() if key and len(levels) == 1 and key not in titles}


def _grade_code(title: str) -> str | None:
    """The grade code a title starts with ("CS4 · Principal" → "cs4"), when it has one."""
    found = _LEADING_CODE.match(title)
    return found.group(1).casefold() if found and is_code(found.group(1)) else None


def _path_said(level: DraftLevel) -> str:
    """The track a level's summary names when that is all it says ("Account Management path."), else ""."""
    summary = " ".join(p.text for p in level.fields.get("summary", [])).strip().rstrip(".").strip()
    return summary if _names_a_track(summary) else ""


def _capitalised(name: str) -> str:
    """ "technical" -> "Technical" (a name taken from inside a title's bracket); a name with capitals as written."""
    return name[:1].upper() + name[1:] if name.islower() else name


_TRACK_BRACKET = re.compile(r"\s*[(\[]([^()\[\]]{1,40})[)\]]\s*$")


def _track_in_title(title: str) -> str:
    """The track a title's closing bracket names ("Staff Engineer (technical path)" -> "technical path"), else ""."""
    found = _TRACK_BRACKET.search(title)
    return found.group(1).strip() if found and _names_a_track(found.group(1).strip()) else ""


def _names_a_track(label: str) -> bool:
    """An arrow's words that name a track ("Specialist Path", "Leadership route"), not a condition or a time."""
    return bool(label) and bool(_TRACK_WORDS.search(label)) and reads_like_a_name(label) and len(label.split()) <= 5


def _content(level: DraftLevel) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a level says (its fields and expectations, as text), to tell one level listed twice from two levels."""
    said = [(f"field {k}", tuple(p.text for p in v)) for k, v in level.fields.items()]
    said += [(f"expects {k}", tuple(p.text for p in v)) for k, v in level.expectations.items()]
    return tuple(sorted(said))
