"""What every reader builds: a framework in the making, and a ledger of where each piece of the input went.

Readers (spreadsheets, Markdown, HTML) find tracks, levels, competencies and prose in their files and hand each
non-empty cell or paragraph to a :class:`Draft`, as a :class:`Piece` that knows its place in the input. The draft
places it (a level's field, an expectation, a competency's description, a section) or the reader records it as not
placed; the :class:`Ledger` keeps both, so nothing is lost silently. Two pieces that land in one field are joined,
never overwritten. Several files read into one draft make one framework.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

import yaml

from bot.framework.names import make_id, normalize
from bot.framework.reading.errors import UnreadableFile

LevelField = Literal["summary", "scope", "decision_rights", "typical_time_in_level"]
LEVEL_FIELDS: tuple[LevelField, ...] = ("summary", "scope", "decision_rights", "typical_time_in_level")
SectionKind = Literal["switching", "promotion", "competencies", "all_levels", "other"]
MAX_LEVELS = 2_000
"""Levels one import may make (a 200-level ladder is large); past it the input is refused in one line, so that finding a
level by its title stays cheap."""
MAX_TRACKS = 500
PROSE_LIMIT = 20_000
"""The framework file's limit on one text; a longer field is listed as a decision to make, not cut."""
SHORT_LIMIT = 200
"""Titles, names and one-line fields (typical time in level)."""
MAX_ALIAS = 100
"""The framework file's limit on another name (bot.framework.spec.MAX_ALIAS)."""


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the input: ``file`` and a ``place`` in it ("Levels!B4" for a cell, "12" or "12-14" for lines)."""

    file: str
    place: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.place}" if self.place else self.file


@dataclass(frozen=True, slots=True)
class Piece:
    """One non-empty cell or paragraph of the input, with its place."""

    text: str
    where: Where


@dataclass(frozen=True, slots=True)
class Entry:
    piece: Piece
    placed_at: str | None
    """Where it went, as a path in the framework ("Staff Engineer › Technical depth"); None when not placed."""
    reason: str = ""


@dataclass
class Ledger:
    """Every piece of the input, placed or not, in the order it was read."""

    entries: list[Entry] = field(default_factory=list)

    def placed(self, piece: Piece, at: str) -> None:
        self.entries.append(Entry(piece, at))

    def not_placed(self, piece: Piece, reason: str) -> None:
        self.entries.append(Entry(piece, None, reason))

    @property
    def unplaced(self) -> list[Entry]:
        return [e for e in self.entries if e.placed_at is None]

    def unplaced_by_reason(self) -> list[tuple[str, str, str, list[str]]]:
        """What was not placed, once per file and reason, in the order read: (file, reason, its places compacted
        ("Delivery!C7:C12, F7:F12; Know-how!C7:C11", "171-183, 202"), its distinct texts)."""
        groups: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.unplaced:
            groups.setdefault((entry.piece.where.file, entry.reason), []).append(entry)
        return [
            (
                file,
                reason,
                compact_places([e.piece.where.place for e in entries]),
                list(dict.fromkeys(e.piece.text for e in entries)),
            )
            for (file, reason), entries in groups.items()
        ]

    def explain(self) -> list[str]:
        """One line per piece: its place, and where it went or why not."""
        return [
            f"{e.piece.where}: {_one_line(e.piece.text, 50)!r} -> {e.placed_at or 'NOT PLACED (' + e.reason + ')'}"
            for e in self.entries
        ]


@dataclass
class DraftLevel:
    title: str
    where: Where
    aliases: list[str] = field(default_factory=list)
    fields: dict[str, list[Piece]] = field(default_factory=dict)
    expectations: dict[str, list[Piece]] = field(default_factory=dict)
    """Competency key (normalised name) -> what is expected, in the order read."""
    equivalents: list[str | DraftLevel] = field(default_factory=list)
    """Titles, codes or ids of levels on other tracks named as equivalent (or the levels themselves, when their titles
    are on several tracks)."""
    order: float | None = None
    """A number the input gives the level (front matter ``level: 3``, "Level 3"), to sort a track lowest first."""


@dataclass
class DraftTrack:
    name: str
    family: str | None = None
    description: list[Piece] = field(default_factory=list)
    starts_after: str | DraftLevel | None = None
    """The level on another track this track continues from: its title (or code), or the level itself when its title
    is not unique."""
    levels: list[DraftLevel] = field(default_factory=list)


@dataclass
class DraftCompetency:
    name: str
    description: list[Piece] = field(default_factory=list)
    group: str | None = None
    aliases: list[str] = field(default_factory=list)
    """Other names for it: a code written above or beside its name ("Dex" for "Technical Skill")."""
    scale: list[tuple[str, list[Piece]]] = field(default_factory=list)
    """Its own proficiency scale, lowest first: (label, description)."""


@dataclass
class DraftSection:
    title: str
    kind: SectionKind
    pieces: list[Piece] = field(default_factory=list)
    about: list[str | DraftLevel] = field(default_factory=list)
    """Names of tracks, levels or competencies it concerns, or levels themselves (written as ``about``, by their ids)."""


@dataclass
class Draft:
    """A framework in the making. Readers call the ``add_…`` methods; :meth:`document` and :meth:`yaml` write it out."""

    name: str = ""
    description: list[Piece] = field(default_factory=list)
    tracks: list[DraftTrack] = field(default_factory=list)
    competencies: dict[str, DraftCompetency] = field(default_factory=dict)
    sections: list[DraftSection] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    """What each input was read as, one line per file or sheet ("a.md: a heading per level, bullets per competency")."""
    decisions: list[str] = field(default_factory=list)
    """What a person must still decide or check before using the file."""
    ledger: Ledger = field(default_factory=Ledger)
    _levels_made: int = field(default=0, repr=False)
    _overflow: list[tuple[str, str]] = field(default_factory=list, repr=False)
    finishing: list[Callable[[], None]] = field(default_factory=list)
    """Work a reader defers until every file is read (documents that name one another's levels are placed together);
    :meth:`finish` runs it once, and :meth:`summary`, :meth:`document` and :meth:`yaml` call :meth:`finish` first."""

    # -- building ---------------------------------------------------------------------------------

    def track(self, name: str, family: str | None = None) -> DraftTrack:
        key = (normalize(name), normalize(family or ""))
        for track in self.tracks:
            if (_key_of(track.name), _key_of(track.family or "")) == key:
                return track
        if len(self.tracks) >= MAX_TRACKS:
            raise UnreadableFile(f"the input names more than {MAX_TRACKS:,} tracks; a career framework has a few dozen at most")
        track = DraftTrack(name.strip(), family)
        self.tracks.append(track)
        return track

    def level(self, track: DraftTrack, title: str, where: Where) -> DraftLevel:
        """The level titled ``title`` on ``track``, made on first mention."""
        key = normalize(title)
        for level in track.levels:
            if _key_of(level.title) == key:
                return level
        self._levels_made += 1
        if self._levels_made > MAX_LEVELS:
            raise UnreadableFile(
                f"{where.file} makes more than {MAX_LEVELS:,} levels; a career framework has a few hundred at most"
            )
        level = DraftLevel(title.strip(), where)
        track.levels.append(level)
        return level

    def competency(self, name: str, group: str | None = None) -> DraftCompetency:
        key = normalize(name)
        if key not in self.competencies:
            self.competencies[key] = DraftCompetency(name.strip(), group=group)
        elif group and not self.competencies[key].group:
            self.competencies[key].group = group
        return self.competencies[key]

    def add_field(self, track: DraftTrack, level: DraftLevel, name: LevelField, piece: Piece) -> None:
        level.fields.setdefault(name, []).append(piece)
        self.ledger.placed(piece, f"{track.name} › {level.title} › {name}")

    def add_expectation(self, track: DraftTrack, level: DraftLevel, competency: str, piece: Piece) -> None:
        found = self.competency(competency)
        level.expectations.setdefault(normalize(competency), []).append(piece)
        self.ledger.placed(piece, f"{track.name} › {level.title} › {found.name}")

    def add_competency_text(self, competency: str, piece: Piece) -> None:
        found = self.competency(competency)
        found.description.append(piece)
        self.ledger.placed(piece, f"competency {found.name} › description")

    def add_section(
        self, title: str, kind: SectionKind, piece: Piece, about: list[str] | list[str | DraftLevel] | None = None
    ) -> None:
        for section in self.sections:
            if normalize(section.title) == normalize(title) and section.kind == kind:
                break
        else:
            section = DraftSection(title.strip(), kind)
            self.sections.append(section)
        section.pieces.append(piece)
        section.about += [a for a in about or () if not any(a is b or a == b and isinstance(a, str) for b in section.about)]
        self.ledger.placed(piece, f"section {section.title}")

    def add_section_table(self, title: str, kind: SectionKind, rows: list[list[Piece | None]]) -> None:
        """A table (an overview sheet, a table of figures) as one text of a section: a line per row, its cells joined
        by " | " (an empty cell between two is kept empty, so the columns stay in place); each cell recorded in the
        ledger."""
        rows = [_without_trailing_gaps(row) for row in rows]
        rows = [row for row in rows if row]
        if not rows:
            return
        text = "\n".join(" | ".join(p.text if p is not None else "" for p in row) for row in rows)
        first = next(p for row in rows for p in row if p is not None)
        self.add_section(title, kind, Piece(text, first.where))
        self.ledger.entries.pop()  # the table as a whole is not an input piece: its cells are
        at = f"section {next(s.title for s in self.sections if normalize(s.title) == normalize(title) and s.kind == kind)}"
        for row in rows:
            for piece in row:
                if piece is not None:
                    self.ledger.placed(piece, at)

    def add_description(self, piece: Piece) -> None:
        self.description.append(piece)
        self.ledger.placed(piece, "framework › description")

    def not_placed(self, piece: Piece, reason: str) -> None:
        self.ledger.not_placed(piece, reason)

    def finish(self) -> None:
        """Run the work readers deferred; call it before reading :attr:`ledger` or the tracks directly."""
        while self.finishing:
            self.finishing.pop(0)()

    # -- writing ----------------------------------------------------------------------------------

    def summary(self) -> list[str]:
        """What the import found, for a person to check at a glance."""
        self.finish()
        levels = sum(len(t.levels) for t in self.tracks)
        lines = [
            f"{len(self.tracks)} track(s), {levels} level(s), {len(self.competencies)} competenc{'y' if len(self.competencies) == 1 else 'ies'}, "
            f"{len(self.sections)} section(s) of prose"
        ]
        for track in self.tracks:
            family = f" ({track.family})" if track.family and normalize(track.family) != normalize(track.name) else ""
            after = track.starts_after.title if isinstance(track.starts_after, DraftLevel) else track.starts_after
            after = f", continuing from {after}" if after else ""
            lines.append(f"track {track.name}{family}{after}: " + ", ".join(level.title for level in track.levels))
        placed = sum(1 for e in self.ledger.entries if e.placed_at)
        lines.append(f"{placed} piece(s) of text placed, {len(self.ledger.unplaced)} not placed")
        return lines

    def document(self) -> dict[str, Any]:
        """The framework file as a dict, with ids made from names (unique, in any script)."""
        self.finish()
        self._overflow = []
        taken: set[str] = set()
        competency_ids = {key: make_id(_shortened(c.name), taken, "competency") for key, c in self.competencies.items()}
        level_ids: dict[int, str] = {}
        track_ids: dict[int, str] = {}
        names_to_level: dict[str, list[str]] = {}
        for track in self.tracks:
            track_ids[id(track)] = make_id(
                _shortened(track.name if not track.family else f"{track.family} {track.name}"), taken, "track"
            )
            for level in track.levels:
                level_ids[id(level)] = make_id(_shortened(level.title), taken, "level")
                for name in (level.title, *level.aliases):
                    names_to_level.setdefault(normalize(name), []).append(level_ids[id(level)])
        self._level_ids = level_ids  # equivalents given as levels are written by their ids
        self._names_to_level = names_to_level
        used_by: dict[str, list[str]] = {}
        tracks = []
        for track in self.tracks:
            name, whole = self._name(track.name, f"track {track.name}")
            entry: dict[str, Any] = {"id": track_ids[id(track)], "name": name}
            if track.family:
                entry["family"] = self._name(track.family, f"track {track.name}'s family")[0]
            if track.description or whole:
                entry["description"] = self._text(whole + track.description, f"track {name}")
            if isinstance(track.starts_after, DraftLevel):
                after = level_ids.get(id(track.starts_after))
                if after:
                    entry["starts_after"] = after
            elif track.starts_after:
                after = self._reference(track.starts_after, names_to_level, f"track {track.name} continues from")
                if after:
                    entry["starts_after"] = after
            entry["levels"] = []
            for level in track.levels:
                entry["levels"].append(self._level(track, level, level_ids[id(level)], competency_ids, names_to_level))
                for key in level.expectations:
                    used_by.setdefault(competency_ids[key], [])
                    if entry["id"] not in used_by[competency_ids[key]]:
                        used_by[competency_ids[key]].append(entry["id"])
            tracks.append(entry)
        name, whole = self._name(self.name or "Imported ladder", "the framework's name")
        document: dict[str, Any] = {"name": name}
        if self.description or whole:
            document["description"] = self._text(whole + self.description, "the framework's description")
        document["competencies"] = [
            self._competency(c, competency_ids[key], used_by, len(tracks)) for key, c in self.competencies.items()
        ]
        document["tracks"] = tracks
        sections = [self._section(s) for s in self.sections]
        sections += self._continued()
        if sections:
            document["sections"] = sections
        if not document["competencies"]:
            del document["competencies"]
        return document

    def _level(
        self,
        track: DraftTrack,
        level: DraftLevel,
        level_id: str,
        competency_ids: dict[str, str],
        names_to_level: dict[str, list[str]],
    ) -> dict[str, Any]:
        title, whole = self._name(level.title, f"{track.name} › level '{_one_line(level.title, 60)}'")
        entry: dict[str, Any] = {"id": level_id, "title": title}
        where = f"{track.name} › {title}"
        aliases = self._aliases(level.aliases, level.title, where)
        if aliases:
            entry["aliases"] = aliases
        fields = dict(level.fields)
        if whole:
            fields["summary"] = whole + fields.get("summary", [])
        time = "\n\n".join(dict.fromkeys(p.text.strip() for p in fields.get("typical_time_in_level", []) if p.text.strip()))
        if len(time) > SHORT_LIMIT:  # a paragraph about time in level is the level's text, not its one-line field
            fields["summary"] = fields.get("summary", []) + fields.pop("typical_time_in_level")
            self.decisions.append(f"{where}'s typical time in level is longer than {SHORT_LIMIT} characters: kept in its summary")
        for name in ("summary", "scope", "decision_rights", "typical_time_in_level"):
            if fields.get(name):
                entry[name] = self._text(fields[name], f"{where} › {name}")
        if level.expectations:
            entry["expectations"] = {
                competency_ids[key]: self._text(pieces, f"{where} › {self.competencies[key].name}")
                for key, pieces in level.expectations.items()
            }
        equivalents = [
            e
            for e in (
                self._level_ids.get(id(name))
                if isinstance(name, DraftLevel)
                else self._reference(name, names_to_level, f"{where} equivalent")
                for name in level.equivalents
            )
            if e
        ]
        equivalents = [e for e in dict.fromkeys(equivalents) if e != level_id]
        if equivalents:
            entry["equivalent"] = equivalents[0] if len(equivalents) == 1 else equivalents
        return entry

    def _competency(
        self, competency: DraftCompetency, competency_id: str, used_by: dict[str, list[str]], tracks: int
    ) -> dict[str, Any]:
        name, whole = self._name(competency.name, f"competency '{_one_line(competency.name, 60)}'")
        entry: dict[str, Any] = {"id": competency_id, "name": name}
        aliases = self._aliases(competency.aliases, competency.name, f"competency {competency.name}")
        if aliases:
            entry["aliases"] = aliases
        if competency.group:
            entry["group"] = self._name(competency.group, f"competency {name}'s group")[0]
        if competency.description or whole:
            entry["description"] = self._text(whole + competency.description, f"competency {name}")
        if competency.scale:
            entry["scale"] = [
                {
                    "label": self._name(label, f"competency {name}'s scale step")[0],
                    **({"description": self._text(pieces, f"competency {competency.name} › {label}")} if pieces else {}),
                }
                for label, pieces in competency.scale
            ]
        if tracks > 1 and used_by.get(competency_id) and len(used_by[competency_id]) < tracks:
            entry["tracks"] = used_by[competency_id]
        return entry

    def _section(self, section: DraftSection) -> dict[str, Any]:
        title, whole = self._name(section.title, f"section '{_one_line(section.title, 60)}'")
        entry: dict[str, Any] = {"title": title, "text": self._text(whole + section.pieces, f"section {title}")}
        if section.kind != "other":
            entry["kind"] = section.kind
        about = [self._id_of(a) for a in section.about if isinstance(a, DraftLevel)]
        if any(about):
            entry["about"] = list(dict.fromkeys(a for a in about if a))
        return entry

    def _id_of(self, level: DraftLevel) -> str | None:
        """A level's id, or, for a level since joined into another (files describing the same levels), the id of the
        one level its title now names."""
        found = self._level_ids.get(id(level))
        named = list(dict.fromkeys(self._names_to_level.get(normalize(level.title), [])))
        return found or (named[0] if len(named) == 1 else None)

    def _name(self, text: str, where: str) -> tuple[str, list[Piece]]:
        """A name within the file's limit: one longer is shortened (its first sentence, else its first words) and
        the whole text returned as a piece to keep in the description, and said in the decisions."""
        name = " ".join(text.split())
        if len(name) <= SHORT_LIMIT:
            return text.strip(), []
        short = _shortened(name)
        self.decisions.append(
            f"{where} is {len(name):,} characters, longer than a name may be ({SHORT_LIMIT}): named '{short}', "
            "the whole text kept as its description; give it a name"
        )
        return short, [Piece(text.strip(), Where("", ""))]

    def _aliases(self, names: list[str], title: str, where: str) -> list[str]:
        """The other names, once each (as first written; "Grade 1" and "grade 1" are one), without the title itself;
        one longer than the file allows is left out and said."""
        aliases = []
        unique: dict[str, str] = {}
        for a in names:
            if a.strip() and normalize(a) != normalize(title):
                unique.setdefault(normalize(a) or a.strip(), a.strip())
        for name in unique.values():
            if len(name) > MAX_ALIAS:
                self.decisions.append(
                    f"{where} has another name longer than {MAX_ALIAS} characters, left out: '{_one_line(name, 60)}'"
                )
            else:
                aliases.append(name)
        return aliases

    def _text(self, pieces: list[Piece], where: str, limit: int = PROSE_LIMIT) -> str:
        text = "\n\n".join(dict.fromkeys(p.text.strip() for p in pieces if p.text.strip()))
        if len(text) <= limit:
            return text
        kept, rest = _cut(text, limit)
        self._overflow.append((where, rest))
        self.decisions.append(
            f"{where} is {len(text):,} characters, over the file's limit of {limit:,}: the rest is in the section "
            f"'{_continued_title(where)}'; shorten or split it"
        )
        return kept

    def _continued(self) -> list[dict[str, Any]]:
        """What did not fit in its field, as sections of its own (the file's limit applies to each), so it is not lost."""
        sections = []
        for where, rest in self._overflow:
            while rest:
                chunk, rest = _cut(rest, PROSE_LIMIT)
                sections.append({"title": _continued_title(where), "text": chunk})
        return sections

    def _reference(self, name: str, names_to_level: dict[str, list[str]], what: str) -> str | None:
        found = names_to_level.get(normalize(name), [])
        if len(found) == 1:
            return found[0]
        self.decisions.append(
            f"{what} '{name}': " + ("names several levels; say which" if found else "is not a level in the file")
        )
        return None

    def yaml(self) -> str:
        body = yaml.dump(
            self.document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )
        header = ["# Imported by `ladder framework import`. The wording is the input's own."]
        header += ["# Read as:"] + [f"# - {shape}" for shape in self.shapes]
        header += ["#", "# Found:"] + [f"# - {line}" for line in self.summary()]
        if self.decisions:
            header += ["#", "# TO DECIDE before you use it:"] + [f"# - {line}" for line in dict.fromkeys(self.decisions)]
        if self.ledger.unplaced:
            header += ["#", "# Not placed (add by hand where it belongs, or leave out), once per reason:"]
            for file, reason, places, texts in self.ledger.unplaced_by_reason():
                where = f"{file}:{places}" if places else file
                shown = _one_line(" | ".join(texts), 120 if len(texts) > 1 else 80)
                header.append(f"# - {where}: {shown} ({reason})")
        header += ["#", "# Then: ladder framework check THIS_FILE", ""]
        return "\n".join(header) + body


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml's dumper where built: a base chosen at run time
    """libyaml's emitter when PyYAML has it (several times faster), with multi-line text as literal blocks."""


def _text_block(dumper: Any, value: str) -> yaml.Node:
    lines = value.split("\n")
    if len(lines) > 1 and not any(line != line.rstrip() or "\t" in line for line in lines):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")  # line breaks and bullets, exactly
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text_block)


_CELL = re.compile(r"^(?:(?P<sheet>.*)!)?(?P<column>[A-Z]{1,3})(?P<row>\d+)$")
_LINES = re.compile(r"^(?P<first>\d+)(?:-(?P<last>\d+))?$")


def compact_places(places: list[str]) -> str:
    """Places as ranges: cells of one sheet by rectangles ("Delivery!C7:C12, F7:F12"), lines by runs ("12-20, 31");
    anything else as it is. Sheets and kinds keep the order they are first met in."""
    cells: dict[str, dict[int, set[int]]] = {}  # sheet -> column -> rows
    lines: list[tuple[int, int]] = []
    order: list[str] = []  # "cells:SHEET", "lines", or a place as it is
    for place in places:
        cell, run = _CELL.match(place), _LINES.match(place)
        if cell:
            key = f"cells:{cell.group('sheet') or ''}"
            column = _column_number(cell.group("column"))
            cells.setdefault(key[6:], {}).setdefault(column, set()).add(int(cell.group("row")))
        elif run:
            key = "lines"
            lines.append((int(run.group("first")), int(run.group("last") or run.group("first"))))
        else:
            key = place
        if key not in order:
            order.append(key)
    out = []
    for key in order:
        if key == "lines":
            out.append(", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in _runs_of(lines)))
        elif key.startswith("cells:"):
            sheet = key[6:]
            out.append((f"{sheet}!" if sheet else "") + ", ".join(_rectangles(cells[sheet])))
        else:
            out.append(key)
    return "; ".join(out)


def _runs_of(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _rectangles(columns: dict[int, set[int]]) -> list[str]:
    """Each column's runs of rows, and neighbouring columns with the same run as one rectangle, column by column."""
    runs = {c: _runs_of([(r, r) for r in rows]) for c, rows in columns.items()}
    out: list[str] = []
    done: set[tuple[int, int, int]] = set()
    for c in sorted(runs):
        for top, bottom in runs[c]:
            if (c, top, bottom) in done:
                continue
            right = c
            while (top, bottom) in runs.get(right + 1, []):
                right += 1
                done.add((right, top, bottom))
            first, last = f"{column_letter(c)}{top}", f"{column_letter(right)}{bottom}"
            out.append(first if first == last else f"{first}:{last}")
    return out


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(column: int) -> str:
    """A spreadsheet's letters for a column: 1 -> A, 28 -> AB."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shortened(text: str, limit: int = 80) -> str:
    """A name from a text too long to be one: its first sentence or line when that is short enough, else its first
    words, marked as cut. A name within the file's limit is returned whole."""
    flat = " ".join(text.split())
    if len(flat) <= SHORT_LIMIT:
        return flat
    first = re.split(r"(?<=[.!?;:])\s|\n", text.strip(), maxsplit=1)[0].strip().rstrip(".;:")
    first = " ".join(first.split())
    if 3 <= len(first) <= limit:
        return first
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return f"{cut}…"


def _without_trailing_gaps(row: list[Piece | None]) -> list[Piece | None]:
    """A table row without the empty cells after its last (those before it keep the columns in place)."""
    cells = list(row)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@functools.lru_cache(maxsize=8192)
def _key_of(name: str) -> str:
    """A name's normal form, remembered: a level is looked up by title once per piece of text placed under it."""
    return normalize(name)


def _cut(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut to at most ``limit`` characters at the last paragraph, line or sentence end before it, and the rest."""
    if len(text) <= limit:
        return text, ""
    head = text[:limit]
    at = max(head.rfind("\n\n"), head.rfind("\n"), head.rfind(". ") + 1)
    at = at if at > limit // 2 else limit
    return text[:at].rstrip(), text[at:].strip()


def _continued_title(where: str) -> str:
    return _shortened_title(f"{where} (continued)")


def _shortened_title(title: str) -> str:
    return title if len(title) <= SHORT_LIMIT else "…" + title[-(SHORT_LIMIT - 1) :]
