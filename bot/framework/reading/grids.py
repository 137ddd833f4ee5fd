"""Placing spreadsheet grids into a :class:`~bot.framework.reading.draft.Draft`, with the layout read from the content.

Each sheet is read every way it could be and the reading that fits its content best is kept: level titles are short,
title-like cells that form a sequence (numbers, roman numerals, codes such as L3, rank words such as Senior), and the
cells they head hold prose, so the axis that holds them is the level axis, whatever a corner cell says. The layouts:

- a matrix, levels as columns (competencies as rows) or as rows (competencies as columns), with a row of codes or of
  tracks (merged or repeated cells) above the titles, category rows, a column of competency descriptions or of
  groups, and rows or columns named exactly as a level's field (Summary, Scope, Decision rights, Typical time in level);
- one sheet per level: a table with a competency column (Theme | Competency | Proficiency | Evidence), the level
  named after the sheet;
- one sheet per competency: level titles across a row with the statements under each (the sheet is the competency);
- prose: a sheet of single cells, an overview or contents sheet, a table of figures, notes below a table — sections.

Every cell with content ends in the draft's ledger exactly once: placed, used as a heading or a name, or not placed
with its reason and its place (sheet!cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

from bot.framework.names import normalize, spaced_camel_case
from bot.framework.reading.branches import fork_shape, split_branches
from bot.framework.reading.draft import (
    LEVEL_FIELDS,
    SHORT_LIMIT,
    Draft,
    DraftLevel,
    DraftTrack,
    Entry,
    LevelField,
    Piece,
    SectionKind,
    Where,
    column_letter,
)
from bot.framework.reading.labels import (
    FIELDS,  # noqa: F401 - the documents reader imports it from here
    FieldClaims,
    field_for,
    field_named,
    is_no_value,
)
from bot.framework.reading.level_maps import known_keys, names_levels_elsewhere, place_level_map, read_level_map
from bot.framework.reading.sheets import Sheet
from bot.framework.reading.titles import is_level_code, rank_prefix
from bot.framework.reading.titles import section_kind as shared_section_kind
from bot.framework.reading.titles import split_title as title_codes
from bot.framework.reading.titles import track_name as as_track_name

Position = tuple[int, int]

ALIAS_LABELS = {
    "alias", "aliases", "also called", "also known as", "aka", "other names", "nickname", "persona", "archetype", "code",
    "codes", "level code", "abbreviation", "short name", "id", "key", "slug", "identifier", "job code", "functiecode",
}  # fmt: skip
TRACK_LABELS = {
    "track", "tracks", "career track", "ladder", "path", "career path",
    "laufbahn", "karrierepfad", "trilha", "trayectoria", "filière", "parcours", "percorso", "трек",
}  # fmt: skip
FAMILY_LABELS = {
    "family", "job family", "families", "function", "job function",
    "jobfamilie", "functiefamilie", "berufsfamilie", "funktionsfamilie", "família", "família de cargos", "familia", "familia de puestos",
    "famille", "famille de métiers", "famiglia", "famiglia professionale", "семейство", "функция",
}  # fmt: skip
EQUIVALENT_LABELS = {
    "equivalent", "equivalents", "equivalent level", "equivalent to", "parallel level", "parallel", "pair", "paired with",
    "counterpart", "peer level", "same level as", "comparable", "comparable to", "comparable level", "comparable with",
    "equivalent in", "equivalente", "equivalent niveau", "vergelijkbaar met", "gelijkwaardig aan",
}  # fmt: skip
PARENT_LABELS = {
    "parent", "parent level", "previous", "previous level", "prior level", "preceded by", "comes after", "follows",
    "after", "promoted from", "from level",
}  # fmt: skip
"""A column naming the level each one comes after: the order, and where a track forks (two levels after one)."""
NEXT_LABELS = {
    "next", "next level", "next levels", "next role", "next roles", "next step", "next steps", "promotes to",
    "promotion to", "progresses to", "progression to", "leads to", "moves on to", "career step",
    "volgende niveau", "volgende functie", "doorgroei naar", "doorgroeimogelijkheden", "nachste stufe",
    "siguiente nivel", "proximo nivel", "niveau suivant", "livello successivo",
}  # fmt: skip
"""A column naming the level (or levels: "Band 7 or Band 7 Specialist") each one leads to: the order, and forks."""
STRUCTURE_LABELS = ALIAS_LABELS | TRACK_LABELS | FAMILY_LABELS | EQUIVALENT_LABELS | PARENT_LABELS | NEXT_LABELS
TITLE_HEADINGS = {
    "title", "titles", "job title", "level title", "role", "roles", "position", "positions", "level name", "name",
    "titel", "bezeichnung", "título", "titulo", "cargo", "puesto", "titre", "poste", "ruolo", "должность", "название",
    "rolle", "jobtitel", "stellenbezeichnung", "nome", "função", "nombre", "rol", "intitulé", "rôle", "роль",
    "наименование", "functietitel", "functienaam", "functie",
}  # fmt: skip
LEVEL_HEADINGS = {
    "level", "levels", "grade", "grades", "career level", "rank", "seniority", "band",
    "stufe", "nivel", "nível", "niveau", "livello", "уровень", "грейд", "functieniveau", "schaal", "trede",
}  # fmt: skip
LABEL_HEADINGS = {
    "competency", "competencies", "skill", "skills", "area", "areas", "dimension", "dimensions", "criteria", "criterion",
    "attribute", "attributes", "capability", "capabilities", "behaviour", "behaviours", "behavior", "behaviors",
    "topic", "topics", "focus area", "focus areas", "responsibility", "responsibilities", "trait", "traits",
    "competentie", "competenties", "vaardigheid", "vaardigheden", "kompetenz", "kompetenzen", "competencia",
    "competencias", "competência", "competências", "compétence", "compétences", "competenza", "competenze",
}  # fmt: skip
GROUP_HEADINGS = {
    "theme", "themes", "category", "categories", "group", "groups", "pillar", "pillars", "domain", "domains", "cluster",
    "competency group", "competency area", "competency category", "section",
}  # fmt: skip
TEXT_HEADINGS = {
    "proficiency", "proficiency level", "evidence", "examples", "example", "expectation", "expectations", "behaviours",
    "behaviors", "indicators", "outcomes", "what good looks like", "description", "details", "notes", "comments",
    "gedragsindicatoren", "gedragsindicator", "indicatoren", "omschrijving", "verwachting", "verwachtingen",
}  # fmt: skip
"""Headings of a per-level sheet's text columns (Theme | Competency | Proficiency | Evidence)."""
DESCRIPTION_HEADINGS = {"description", "descriptions", "definition", "definitions", "what it means", "about", "meaning"}
RANK_WORDS = {
    "intern", "trainee", "apprentice", "graduate", "entry", "junior", "jr", "associate", "intermediate", "mid", "middle",
    "medior", "regular", "pleno", "senior", "sr", "staff", "principal", "distinguished", "fellow", "lead", "head", "chief",
    "director", "vp", "manager", "mgr", "architect", "expert", "master", "novice", "beginner", "advanced", "proficient",
    "level", "grade", "band", "tier", "rank", "executive", "officer", "president", "partner", "specialist", "analyst",
}  # fmt: skip
"""Words level titles are made of, in most organisations (not one organisation's titles)."""
OVERVIEW_SHEETS = {
    "overview", "contents", "table of contents", "toc", "index", "readme", "read me", "about", "introduction", "intro",
    "cover", "instructions", "how to use", "how to read", "guide", "notes", "summary", "start here", "legend", "info",
}  # fmt: skip
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
_GENERIC_SHEET = re.compile(r"^(sheet|tabelle|feuil|hoja|foglio|planilha|blad|arkusz)\s*\d*$", re.IGNORECASE)
_CODE = re.compile(r"^[^\W\d_]{0,4} ?-?\d{1,2}[a-z]?$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[/.):-]\s*(?=\S*[^\W\d_])(.+)$")
_DURATION = re.compile(
    r"^(?P<title>.*?[^\W_].*?)[\s,;:(]+(?P<time>~?\s*\d+(?:[.,]\d+)?(?:\s*(?:[-–]|to)\s*\d+(?:[.,]\d+)?)?\s*\+?\s*"
    r"(?:mths?|months?|mos?|yrs?|years?)\.?)\)?$",
    re.IGNORECASE,
)
MAX_TITLE_WITH_TIME = 120
"""Longer cells are not read as "title, time in level": the pattern backtracks in proportion to a power of the length."""
NO_VALUE = "a mark for no value (a dash, n/a), not the level's text"
_BULLET = re.compile(r"^\s*([*•\-–]|\d+[.)])\s")


# -- what cells look like ---------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def is_prose(text: str) -> bool:
    """A sentence or more: what a matrix's cells hold, never a title or a heading."""
    words = _words(text)
    return words >= 12 or "\n" in text or (words >= 4 and text.rstrip().endswith((".", "!", "?")))


def levelish(text: str) -> bool:
    """Whether a cell reads like a level title: a rank word, a code (L3, IC 4, E0), an ordinal or a roman numeral."""
    if len(text) > 80 or _words(text) > 8:
        return False
    tokens = normalize(text).split()
    if not tokens:
        return False
    if any(t in RANK_WORDS for t in tokens) or _CODE.match(" ".join(tokens)):
        return True
    return any(_CODE.match(t) and any(ch.isdigit() for ch in t) for t in tokens) or (len(tokens) > 1 and tokens[-1] in ROMAN)


def number_of(text: str) -> int | None:
    """The number a level title carries (L3 -> 3, "Engineer II" -> 2, "1/ Junior" -> 1), if any."""
    tokens = normalize(text).split()
    for token in tokens:
        digits = re.search(r"\d{1,3}", token)
        if digits and len(token) <= 6:
            return int(digits.group())
    if len(tokens) > 1 and tokens[-1] in ROMAN:
        return ROMAN[tokens[-1]]
    return None


def axis_score(cells: list[str]) -> float:
    """How much a row or column of cells reads like a ladder's level titles: the share of title-like cells (prose
    counts against), and half a point more when their numbers run in sequence."""
    if not cells:
        return -1.0
    score = sum(1.0 if levelish(c) else (-1.0 if is_prose(c) else 0.0) for c in cells) / len(cells)
    numbers = [n for n in (number_of(c) for c in cells) if n is not None]
    if len(numbers) >= 2 and len(numbers) >= len(cells) - 1:
        pairs = list(zip(numbers, numbers[1:], strict=False))
        if all(a < b for a, b in pairs) or all(a > b for a, b in pairs):
            score += 0.5
    return score


def _heading(text: str) -> str:
    """A header cell as words: "roleLevel" -> "role level", "Job_Title" -> "job title"; a heading written in two
    languages ("Stellenbezeichnung / Job title", "Stufe (Level)") as its first part, when every part is a heading of one kind or a
    name of one level field."""
    whole = normalize(spaced_camel_case(text))
    parts = [normalize(spaced_camel_case(p)) for p in _BILINGUAL.split(text) if p.strip()]
    if len(parts) >= 2 and any(all(p in kind for p in parts) for kind in _HEADING_KINDS):
        return parts[0]
    if len(parts) >= 2 and len(fields := {field_named(p) for p in parts}) == 1 and None not in fields:
        return parts[0]  # "Descrição / Description": one field's names
    return whole


_BILINGUAL = re.compile(r"\s+/\s+|\s*[()]\s*")
"""Where a heading in two languages splits: "Stellenbezeichnung / Job title", "Stufe (Level)" (not "Level/Skill", a split corner)."""


_HEADING_KINDS = (
    TITLE_HEADINGS, LEVEL_HEADINGS, LABEL_HEADINGS, GROUP_HEADINGS, TEXT_HEADINGS, ALIAS_LABELS, TRACK_LABELS,
    FAMILY_LABELS, EQUIVALENT_LABELS, PARENT_LABELS, NEXT_LABELS, DESCRIPTION_HEADINGS,
)  # fmt: skip


def _corner_hint(text: str) -> str | None:
    """A split corner header ("Level/Skill", "Skill \\ Level"): the first word names the rows, the second the columns.
    "rows" when it says levels are rows, "columns" when they are columns, None otherwise."""
    parts = [normalize(p) for p in re.split(r"\s*(?:/|\\|\||\bx\b|\bvs\.?\b|→|↓)\s*", text) if p.strip()]
    if len(parts) != 2:
        return None
    level_words = LEVEL_HEADINGS | TITLE_HEADINGS
    if parts[0] in level_words and parts[1] in LABEL_HEADINGS:
        return "rows"
    if parts[0] in LABEL_HEADINGS and parts[1] in level_words:
        return "columns"
    return None


def split_title(text: str) -> tuple[str, str | None, int | None]:
    """A level title cell as (title, typical time in level, order): "E1, ~ 1 yr" -> ("E1", "~ 1 yr", 1),
    "1/ Junior" -> ("Junior", None, 1)."""
    title, time = text.strip(), None
    duration = _DURATION.match(title) if len(title) <= MAX_TITLE_WITH_TIME else None  # bounded backtracking
    if duration and len(duration.group("title").strip(" ,;:~-–")) >= 1:
        title, time = duration.group("title").strip(" ,;:~-–"), duration.group("time").strip()
    order = None
    numbered = _NUMBERED.match(title)
    if numbered:
        order, title = int(numbered.group(1)), numbered.group(2).strip()
    return title, time, order if order is not None else number_of(title)


# -- a sheet being read -----------------------------------------------------------------------


class Grid:
    """A sheet's cells by row, and which of them have gone into the draft's ledger (each exactly once)."""

    def __init__(self, sheet: Sheet, file: str, in_workbook: bool) -> None:
        self.sheet = sheet
        self.file = file
        self.prefix = f"{sheet.name}!" if in_workbook else ""
        self.rows: dict[int, dict[int, str]] = {}
        for (r, c), text in sorted(sheet.cells.items()):
            self.rows.setdefault(r, {})[c] = text
        self.done: set[Position] = set()

    def place(self, row: int, column: int) -> str:
        return f"{self.prefix}{column_letter(column)}{row}"

    def where(self, row: int, column: int) -> Where:
        return Where(self.file, self.place(row, column))

    def text(self, row: int, column: int) -> str:
        return self.sheet.get(row, column)

    def take(self, row: int, column: int) -> Piece | None:
        """The piece at (row, column) (a merged range's corner for a cell it covers), once: None when it has no text
        or has already gone into the ledger."""
        origin = self.sheet.origin(row, column)
        if origin in self.done or origin not in self.sheet.cells:
            return None
        self.done.add(origin)
        return Piece(self.sheet.cells[origin], self.where(*origin))

    def covered(self, row: int, columns: list[int]) -> dict[Position, list[int]]:
        """The cells with text in ``row`` among ``columns``, each with the columns its text shows in (a merged cell
        across two levels shows in both)."""
        found: dict[Position, list[int]] = {}
        for c in columns:
            origin = self.sheet.origin(row, c)
            if origin in self.sheet.cells:
                found.setdefault(origin, []).append(c)
        return found


@dataclass
class Table:
    captions: list[int]
    """Rows of one cell above the table: a title, a description."""
    body: list[int]
    """From the first row of two or more cells to the last."""
    footers: list[int]
    """Rows of one cell below the table: notes."""
    columns: list[int]
    """Columns with content in the body."""


def _table(grid: Grid) -> Table:
    rows = sorted(grid.rows)
    multi = [r for r in rows if len(grid.rows[r]) >= 2]
    if not multi:
        return Table(rows, [], [], [])
    first, last = multi[0], multi[-1]
    body = [r for r in rows if first <= r <= last]
    return Table(
        [r for r in rows if r < first],
        body,
        [r for r in rows if r > last],
        sorted({c for r in body for c in grid.rows[r]}),
    )


Kind = Literal["columns", "rows", "per_competency", "per_level", "competency_list", "prose"]


@dataclass
class Reading:
    """One way of reading a sheet, with what it found and how well it fits."""

    kind: Kind
    score: float = 0.0
    titles: list[str] = field(default_factory=list)
    title_row: int = 0
    upper_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    title_column: int = 0
    roles: dict[int, str] = field(default_factory=dict)
    """Column -> its role: label, group, description, code, level, track, family, equivalent, alias, field:NAME, text."""
    levels: list[int] = field(default_factory=list)
    """Columns (levels as columns) that start a level."""
    tracks_inside: bool = False
    """Whether the sheet names its own tracks (a track row, column or heading rows)."""
    upper_codes: bool = False
    """Whether the row above the titles holds their codes (else it names tracks)."""
    code_row: int | None = None
    """Levels as columns: a row of codes ("E1", "Band B") right above a row labelled Title holding the titles."""
    group_row: int | None = None
    """Levels as rows: a row of competency groups above the competency names (Craft over two columns)."""


def read_sheet(grid: Grid) -> Reading:
    """The reading that fits the sheet best."""
    table = _table(grid)
    if not table.body:
        return Reading("prose")
    for candidate in (_per_competency(grid, table), _competency_list(grid, table), _per_level(grid, table)):
        if candidate:
            return candidate
    by_columns, by_rows = _as_columns(grid, table), _as_rows(grid, table)
    return by_columns if by_columns.score >= by_rows.score else by_rows


def _per_competency(grid: Grid, table: Table) -> Reading | None:
    """Level titles across the table's first row from its first column on, prose under them: the sheet is one
    competency, described level by level (there is no column of row labels)."""
    top = table.body[0]
    cells = grid.rows[top]
    if len(cells) < 2 or min(cells) != table.columns[0] or len(table.body) < 2:
        return None
    titles = list(cells.values())
    if axis_score(titles) < 0.5:
        return None
    under = [grid.rows[r][table.columns[0]] for r in table.body[1:] if table.columns[0] in grid.rows[r]]
    if not under or sum(is_prose(t) for t in under) * 2 < len(under):
        return None
    return Reading("per_competency", 2.0, titles, title_row=top, levels=sorted(cells))


def _competency_list(grid: Grid, table: Table) -> Reading | None:
    """A row per competency and nothing about levels: its name and, beside it, only what describes a competency (a
    description, the group it belongs to and that group's id, a code or id of its own, links) — definitions, not a
    matrix. The name column is headed Competency (or Skill, …) on a sheet not named like a level, or Name when a
    group column says what kind of thing each row is."""
    top = table.body[0]
    if len(table.body) < 2 or len(grid.rows[top]) < 2:
        return None
    roles: dict[int, str] = {}
    for c, text in grid.rows[top].items():
        heading = _heading(text)
        outer, dot, inner = text.partition(".")
        if dot and _heading(outer) in GROUP_HEADINGS:  # "categories.name", "group.id": the group's own columns
            roles[c] = "group_id" if _heading(inner) in ALIAS_LABELS else "group"
        elif heading in LABEL_HEADINGS and "label" not in roles.values():
            roles[c] = "label"
        elif heading in {"name", "title"} and "label" not in roles.values():
            roles[c] = "name"
        elif heading in GROUP_HEADINGS:
            roles[c] = "group"
        elif heading in DESCRIPTION_HEADINGS:
            roles[c] = "description"
        elif heading in ALIAS_LABELS:
            roles[c] = "code"
        else:
            cells = [grid.rows[r][c] for r in table.body[1:] if c in grid.rows[r]]
            if not _all(cells, _is_link):
                return None  # a column of something else: a level's text, a matrix
            roles[c] = "links"
    name = next((c for c, role in roles.items() if role in ("label", "name")), None)
    if name is None or not {"description", "group"} & set(roles.values()):
        return None
    if roles[name] == "name" and "group" not in roles.values():
        return None  # "Name | Description" may as well be levels
    if roles[name] == "label" and levelish(grid.sheet.name):
        return None  # a sheet named like a level, a row per competency: that level's sheet
    names = [grid.rows[r][name] for r in table.body[1:] if name in grid.rows[r]]
    if not names or any(is_prose(n) for n in names) or axis_score(names) >= 0.5:
        return None
    roles[name] = "label"
    return Reading("competency_list", 1.5, [], title_row=top, title_column=name, roles=roles)


def _per_level(grid: Grid, table: Table) -> Reading | None:
    """A header row with a competency column and no level titles (Theme | Competency | Proficiency | Evidence): the
    sheet is one level (named after it), or, with a Level column as well, a long table of level × competency rows."""
    top = table.body[0]
    headings = {c: _heading(t) for c, t in grid.rows[top].items()}
    label = next((c for c, h in headings.items() if h in LABEL_HEADINGS), None)
    if label is None or len(table.body) < 2:
        return None
    level_column = next((c for c, h in headings.items() if h in LEVEL_HEADINGS | TITLE_HEADINGS), None)
    others = [grid.rows[top][c] for c, h in headings.items() if c != label and h not in _ROLE_HEADINGS]
    names = [grid.text(r, label) for r in table.body[1:] if grid.text(r, label)]
    if sum(map(is_prose, names)) * 2 > len(names):
        return None  # a column of lists headed "Responsibilities": content, not competency names
    if level_column is not None and len(names) > 1:
        levels = [grid.text(r, level_column) for r in table.body[1:] if grid.text(r, level_column)]
        if len(set(levels)) == len(levels) and len({normalize(n) for n in names}) == len(names):
            return None  # each level once, each "competency" once: a row per level, its columns the level's attributes
    if level_column is None and (axis_score(others) >= 0.5 or axis_score(names) >= 0.5):
        return None  # level titles across the top, or down the competency column: a matrix
    grouped = any(h in GROUP_HEADINGS for h in headings.values())
    if level_column is None and not grouped and not any(_heading(t) in TEXT_HEADINGS for t in others):
        return None  # "Competency | Explorer | Builder": titles of its own words, a matrix
    roles: dict[int, str] = {}
    for c, h in headings.items():
        if c == label:
            roles[c] = "label"
        elif c == level_column:
            roles[c] = "level"
        elif h in GROUP_HEADINGS:
            roles[c] = "group"
        elif h in ALIAS_LABELS:
            roles[c] = "code"
        elif h in TRACK_LABELS:
            roles[c] = "track"
        elif h in FAMILY_LABELS:
            roles[c] = "family"
        elif h in NEXT_LABELS and level_column is not None:
            roles[c] = "next"
        else:
            roles[c] = "text"
    return Reading("per_level", 1.5, [], title_row=top, roles=roles, tracks_inside="track" in roles.values())


def _per_level_columns(grid: Grid, table: Table, top: int, level_column: int) -> set[int]:
    """In a long table (a row per level and competency), the columns whose value is the same on every row of each
    level, and that some level has two rows of: the level's own (its code, the level it leads to, a date), not a
    competency's."""
    by_level: dict[str, dict[int, set[str]]] = {}
    rows: dict[str, int] = {}
    for r in [r for r in table.body if r > top]:
        level = normalize(grid.text(r, level_column))
        if not level:
            continue
        rows[level] = rows.get(level, 0) + 1
        for c in table.columns:
            by_level.setdefault(level, {}).setdefault(c, set()).add(normalize(grid.text(r, c)))
    if not rows or max(rows.values()) < 2:
        return set()
    return {
        c
        for c in table.columns
        if c != level_column
        and all(len(values.get(c, {""})) == 1 for values in by_level.values())
        and any(values.get(c, {""}) != {""} for values in by_level.values())
    }


_ROLE_HEADINGS = LABEL_HEADINGS | GROUP_HEADINGS | DESCRIPTION_HEADINGS | ALIAS_LABELS | TRACK_LABELS | FAMILY_LABELS


def _as_columns(grid: Grid, table: Table) -> Reading:
    """Levels as columns: titles across a header row (under a row of codes or tracks, if any), competencies down a
    label column, maybe with a group column and a description column beside it."""
    body, first_column = table.body, table.columns[0]
    title_row, upper = body[0], []
    labelled = _labelled_header(grid, body, first_column)
    if labelled is not None:
        title_row = labelled
    elif len(body) > 1:
        row0 = {c: t for c, t in grid.rows[body[0]].items() if c != first_column}
        row1 = {c: t for c, t in grid.rows[body[1]].items() if c != first_column}
        if len(row1) >= 2 and not any(is_prose(t) for t in row1.values()):
            codes = lambda row: bool(row) and all(_CODE.match(normalize(t)) for t in row.values())  # noqa: E731
            short0 = bool(row0) and not any(is_prose(t) for t in row0.values())
            tracks = short0 and len(row0) < len(row1) and min(row0) <= min(row1) + 1
            # the second row is the header when its first cell names the label column, or it reads far more like titles
            header1 = _heading(grid.text(body[1], first_column)) in LABEL_HEADINGS and not grid.text(body[0], first_column)
            better = axis_score(list(row1.values())) > axis_score(list(row0.values())) + 0.25
            # the first row is the header when its first cell names the label column and the second row's names a row
            below = grid.text(body[1], first_column)
            header0 = _heading(grid.text(body[0], first_column)) in LABEL_HEADINGS
            header0 = header0 and bool(below) and _heading(below) not in LABEL_HEADINGS
            if not header0 and (short0 and (tracks or header1 or better) or (codes(row0) and not codes(row1) and len(row0) >= 2)):
                title_row, upper = body[1], [body[0]]
    if not upper and table.captions and title_row - table.captions[-1] <= 2:
        last = table.captions[-1]
        covered = {c for (r, c) in grid.sheet.spans if r == last} | set(grid.rows[last])
        if len(covered) > 1 and first_column not in covered:
            upper = [last]  # one merged cell over the level titles (not over the labels): a single track's name
    code_row = _code_row_over_titles(grid, body, title_row, first_column)
    if code_row is not None:
        title_row = next(r for r in body if r > code_row)
    headings = {c: _heading(t) for c, t in grid.rows[title_row].items()}
    roles: dict[int, str] = {}
    for c, h in headings.items():
        if c == first_column:
            continue
        if h in DESCRIPTION_HEADINGS:
            roles[c] = "description"
        elif h in GROUP_HEADINGS:
            roles[c] = "group"
        elif h in LABEL_HEADINGS:
            roles[c] = "label"
        elif h in ALIAS_LABELS:
            roles[c] = "code"
        else:
            roles[c] = "level"
    levels = sorted(c for c, role in roles.items() if role == "level")
    first_level = levels[0] if levels else max(table.columns) + 1
    rows_below = [r for r in body if r > title_row]
    left = [c for c in table.columns if c < first_level and c not in roles]
    label = next((c for c, role in roles.items() if role == "label"), None)
    if label is None and left:
        short = [c for c in left if sum(not is_prose(grid.rows[r][c]) for r in rows_below if c in grid.rows[r]) > 0]
        label = max(short) if short else left[0]
        roles[label] = "label"
    for c in left:
        if c in roles:
            continue
        cells = [grid.rows[r][c] for r in rows_below if c in grid.rows[r]]
        prose = sum(map(is_prose, cells)) * 2 >= max(len(cells), 1)
        roles[c] = "description" if prose else ("group" if label is not None and c < label else "code")
    label = label if label is not None else first_column
    titles = [grid.rows[title_row][c] for c in levels]
    labels = [normalize(grid.rows[r][label]) for r in body if r != title_row and label in grid.rows[r]]
    corner = grid.text(title_row, label)
    score = axis_score(titles)
    score += 0.5 * (_heading(corner) in LABEL_HEADINGS) + 1.0 * any(field_named(x) or x in STRUCTURE_LABELS for x in labels)
    score += 0.5 * (_corner_hint(corner) == "columns") + 0.25 * bool(upper)
    upper_codes = bool(upper) and all(_CODE.match(normalize(t)) for t in grid.rows[upper[0]].values())
    tracks_inside = bool(upper and not upper_codes) or any(x in TRACK_LABELS for x in labels)
    return Reading(
        "columns", score, titles, title_row=title_row, upper_rows=upper, title_column=label, roles=roles, levels=levels,
        tracks_inside=tracks_inside, upper_codes=upper_codes, code_row=code_row,
    )  # fmt: skip


def _labelled_header(grid: Grid, body: list[int], label: int) -> int | None:
    """A header block labelled down the first column ("Family", "Track", "Level", then "Job title" over the
    levels): the row to read the titles from (the code row right above the titles, when there is one, which
    :func:`_code_row_over_titles` then reads), or None when the table's first rows are not labelled so. The rows
    above it name the levels' family and track, which the placer reads by their labels."""
    for i, r in enumerate(body[:6]):
        heading = _heading(grid.text(r, label))
        if heading not in TITLE_HEADINGS:
            continue
        cells = [t for c, t in grid.rows[r].items() if c != label]
        above = [_heading(grid.text(u, label)) for u in body[:i]]
        if len(cells) < 2 or any(is_prose(t) for t in cells) or not above:
            return None
        if not all(h in FAMILY_LABELS | TRACK_LABELS | LEVEL_HEADINGS | ALIAS_LABELS for h in above):
            return None
        return body[i - 1] if above[-1] in LEVEL_HEADINGS | ALIAS_LABELS else r
    return None


def _code_row_over_titles(grid: Grid, body: list[int], row: int, label: int) -> int | None:
    """``row`` when it holds nothing but level codes ("E1", "M2", "Band B") and the row below it is labelled as the
    titles ("Title", "Job title"): the codes are other names of the titles below them."""
    below = [r for r in body if r > row]
    if not below or _heading(grid.text(below[0], label)) not in TITLE_HEADINGS:
        return None
    cells = [t for c, t in grid.rows[row].items() if c != label]
    if len(cells) < 2 or not all(_is_level_code(t) or is_level_code(t) for t in cells):
        return None
    return row


def _as_rows(grid: Grid, table: Table) -> Reading:
    """Levels as rows: a column of titles (the one headed Title, else Level, else the first; a column of numbers
    yields to the column of names beside it), competencies across a header row (maybe two: codes above names). The
    other columns are read by their headings and their content: a level's fields, other names (codes, ids), its
    number, its track, its equivalent or the level it comes after, a tier several levels share, links."""
    body, first_column = table.body, table.columns[0]
    group_row = _group_row(grid, table)
    if group_row is not None and group_row in body:
        body = body[1:]
    top = body[0]
    headings = {c: _heading(t) for c, t in grid.rows[top].items()}
    below = [r for r in body if r > top]

    def values(c: int) -> list[str]:
        return [grid.rows[r][c] for r in below if c in grid.rows[r]]

    def not_prose(c: int) -> bool:
        return sum(map(is_prose, values(c))) * 2 <= len(values(c))

    title_column = next((c for c, h in headings.items() if h in TITLE_HEADINGS and not_prose(c)), None)
    title_column = title_column or next((c for c, h in headings.items() if h in LEVEL_HEADINGS), None) or first_column
    number_column = None
    if _all(values(title_column), _is_number):
        name_column = _name_column(grid, headings, title_column, values)
        if name_column is not None:
            number_column, title_column = title_column, name_column
    header_rows = [top]
    if len(body) > 2 and not grid.text(body[1], title_column) and not any(is_prose(t) for t in grid.rows[body[1]].values()):
        header_rows.append(body[1])
    rows_below = [r for r in body if r > header_rows[-1]]
    roles: dict[int, str] = {}
    claimed: set[str] = set()  # each field named by one column at most: a second is a competency of its own
    for c in table.columns:
        if c == title_column:
            continue
        names = [_heading(grid.text(h, c)) for h in header_rows if grid.text(h, c)]
        cells = [grid.rows[r][c] for r in rows_below if c in grid.rows[r]]
        fields = [f for f in (field_for(n, cells) for n in names) if f is not None and f not in claimed]
        numbered = names and names[-1] in LEVEL_HEADINGS | NUMBER_HEADINGS
        if c == number_column or (numbered and len(cells) >= 2 and _all(cells, _is_number)):
            roles[c] = "number"
        elif not names:
            roles[c] = "none"
        elif fields:
            claimed.add(fields[0])
            roles[c] = "field:" + fields[0]
        elif names[-1] in ALIAS_LABELS:
            roles[c] = "alias"
        elif names[-1] in LEVEL_HEADINGS | TITLE_HEADINGS | TIER_HEADINGS:
            # distinct names are other names for the levels; a few values shared down the column are tiers
            roles[c] = "tier" if _tiers(cells) else "alias"
        elif names[-1] in TRACK_LABELS:
            roles[c] = "track"
        elif names[-1] in FAMILY_LABELS:
            roles[c] = "family"
        elif names[-1] in EQUIVALENT_LABELS:
            roles[c] = "equivalent"
        elif names[-1] in PARENT_LABELS:
            roles[c] = "parent"
        elif names[-1] in NEXT_LABELS:
            roles[c] = "next"
        elif len(cells) >= 2 and _all(cells, _is_link):
            roles[c] = "links"
        elif len(cells) >= 2 and _all(cells, _is_level_code):
            roles[c] = "alias"
        else:
            roles[c] = "label"
    titles = [grid.text(r, title_column) for r in rows_below if grid.text(r, title_column)]
    corner = grid.text(top, title_column)
    score = axis_score(titles) + 0.5 * (_heading(corner) in TITLE_HEADINGS | LEVEL_HEADINGS)
    score += 1.0 * any(
        role.startswith("field:") or role in ("track", "family", "equivalent", "parent", "next", "number")
        for role in roles.values()
    )
    score += 0.5 * (_corner_hint(corner) == "rows")
    return Reading(
        "rows", score, titles, header_rows=header_rows, title_column=title_column, roles=roles,
        tracks_inside="track" in roles.values(), group_row=group_row,
    )  # fmt: skip


def _group_row(grid: Grid, table: Table) -> int | None:
    """A row of competency groups above the header of a table of levels as rows: over a full row of short names
    whose title column is headed Level or Title, fewer cells or fewer distinct names than the names under them
    (Craft merged, written once or repeated over two columns), none over the title column, none a sentence. It is
    the table's first row, or the caption right above it when only one group heads the columns."""
    if len(table.body) < 3:
        return None
    pairs = [(table.body[0], table.body[1])]
    if table.captions and table.captions[-1] == table.body[0] - 1:
        pairs.append((table.captions[-1], table.body[0]))
    return next((upper for upper, header in pairs if _groups_over(grid, table, upper, header)), None)


def _groups_over(grid: Grid, table: Table, upper: int, header: int) -> bool:
    names = grid.rows[header]
    if len(names) < 3 or any(is_prose(t) or len(t) > SHORT_LIMIT for t in names.values()):
        return False
    title = next((c for c, t in names.items() if _heading(t) in TITLE_HEADINGS | LEVEL_HEADINGS), None)
    if title is None:
        return False
    groups = {c: t for c, t in grid.rows[upper].items() if c != title or _heading(t) not in GROUP_HEADINGS}
    if not groups or title in groups or any(c not in names for c in groups):
        return False
    if any(is_prose(t) or len(t) > SHORT_LIMIT or _heading(t) in TITLE_HEADINGS | LEVEL_HEADINGS for t in groups.values()):
        return False
    named = len(names) - 1
    if len({normalize(t) for t in groups.values()}) >= named:
        return False  # a name over every column: a header of its own, not groups
    if upper not in table.body and (min(groups) == table.columns[0] or len(groups) > 1):
        return False  # a caption in the first column: the sheet's title
    return True


def _name_column(grid: Grid, headings: dict[int, str], numbers: int, values: Callable[[int], list[str]]) -> int | None:
    """Beside a column of level numbers, the column of the levels' names: short, one per row, not numbers, codes or
    links; the one whose heading says title, name, role or level first, else the nearest after the numbers whose
    cells read as titles (a column of short values — Team, Group, Org — is a competency, not the names)."""
    candidates = []
    for c in sorted(headings):
        cells = values(c)
        if c == numbers or len(cells) < len(values(numbers)) or len(set(cells)) < len(cells):
            continue
        if any(is_prose(t) or len(t) > 80 for t in cells) or _all(cells, _is_number) or _all(cells, _is_level_code):
            continue
        if _all(cells, _is_link) or headings[c] in ALIAS_LABELS | DESCRIPTION_HEADINGS or field_named(headings[c]):
            continue
        candidates.append(c)
    named = [c for c in candidates if set(headings[c].split()) & TITLE_WORDS]
    titled = [c for c in candidates if c > numbers and axis_score(values(c)) >= 0.5]  # unnamed, but reads as titles
    chosen = named or titled
    return chosen[0] if chosen else None


NUMBER_HEADINGS = {"", "no", "nr", "n", "nº", "number", "num", "order", "step", "numero", "número", "номер"}
"""Headings of a column numbering the rows ("#", "No.", "Nr."): over numbers beside the titles, the levels' order."""
TITLE_WORDS = {
    "title", "name", "role", "position", "level", "grade", "rank", "band", "titel", "rolle", "título", "titulo", "nome",
    "nombre", "rol", "titre", "nom", "rôle", "название", "роль", "должность",
}  # fmt: skip
"""Words in a heading that say its column names the levels ("roleLevel", "Level name")."""
TIER_HEADINGS = {"tier", "tiers", "stage", "stages", "layer", "layers", "level type", "impact level", "contribution level"}
"""Headings of a column whose few values several levels share (operational, tactical, strategic)."""
_LEVEL_CODE = re.compile(r"^[^\W\d_]{1,6}[ -]?\d{1,2}[a-z]?(?:\s*[/–-]\s*\d{1,2})?$", re.IGNORECASE)
"""A level code in a column of codes: "L3", "IC 4", "SFIA 5", "SFIA 6/7"."""
_LINK = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S+|(?:\.{1,2}/|/)?(?:[\w.-]+/)+[\w.-]+\.[a-z0-9]{2,5}|[\w.-]+\.(?:png|jpe?g|gif|svg|webp|pdf))$",
    re.IGNORECASE,
)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", text.strip()))


def _is_level_code(text: str) -> bool:
    return bool(_LEVEL_CODE.match(text.strip()))


def _is_link(text: str) -> bool:
    return bool(_LINK.match(text.strip()))


def _all(cells: list[str], test: Callable[[str], bool]) -> bool:
    return bool(cells) and all(test(t) for t in cells)


def _tiers(cells: list[str]) -> bool:
    """Short values some levels share, down a column (operational, operational, tactical, …): not names of one
    level each, nor codes."""
    distinct = {normalize(t) for t in cells}
    codes = _all(cells, lambda t: _is_level_code(t) or is_level_code(t))  # "L3", "Band B": a code per family or track
    return len(distinct) < len(cells) and not any(is_prose(t) for t in cells) and not codes


# -- placing ----------------------------------------------------------------------------------


@dataclass
class Placer:
    """Places one sheet's cells into the draft by a reading."""

    grid: Grid
    draft: Draft
    reading: Reading
    track_name: str
    family: str | None = None
    tracks: list[DraftTrack] = field(default_factory=list)
    sheet_level: tuple[DraftTrack, DraftLevel] | None = None
    """The level a sheet of its own describes (one sheet per level)."""
    parents: list[tuple[DraftLevel, str]] = field(default_factory=list)
    """Levels and the name of the level each comes after, from a Parent or Previous column."""
    nexts: list[tuple[DraftTrack, DraftLevel, Piece, str]] = field(default_factory=list)
    """Levels and the cell naming the level(s) each leads to, from a Next column (with the column's heading)."""
    forks: list[str] = field(default_factory=list)
    """Where a table of levels parts into tracks, for the shapes."""
    claims: FieldClaims = field(default_factory=FieldClaims)
    """Which label took each level's fields (shared by every sheet of a file): one label per field and level."""
    default_name: bool = False
    """Whether ``track_name`` is only the import's default ("Main"), named by neither the sheet nor the file."""

    # the ledger

    def placed(self, piece: Piece | None, at: str) -> None:
        if piece is not None:
            self.draft.ledger.placed(piece, at)

    def not_placed(self, row: int, column: int, reason: str) -> None:
        piece = self.grid.take(row, column)
        if piece is not None:
            self.draft.not_placed(piece, reason)

    def track(self, name: str | None = None, family: str | None = None) -> DraftTrack:
        """The track named ``name`` (a cell, else the sheet's): "Management track" is the Management track."""
        if not name and family and self.family is None and self.default_name:
            name = family  # a Job Family column and no track: each family's levels are a track named after it
        track = self.draft.track(as_track_name(name or self.track_name), family if family is not None else self.family)
        if track not in self.tracks:
            self.tracks.append(track)
        return track

    def level(self, track: DraftTrack, row: int, column: int) -> DraftLevel | None:
        """The level whose title is at (row, column), its title cell recorded (a duration in it is the typical time
        in level, a number before it the order); None when the cell is no title (too long)."""
        text = _one_line(self.grid.text(row, column))
        piece = self.grid.take(row, column)
        title, time, order = split_title(text)
        ranked = rank_prefix(title) if title else None  # "Band D – Payroll Lead": Payroll Lead, also called Band D
        if ranked is not None:
            title = ranked[1]
        if not title or len(title) > SHORT_LIMIT or _words(title) > 12:
            if piece is not None:
                self.draft.not_placed(piece, "reads as prose, not a level title")
            return None
        level = self.draft.level(track, title, self.grid.where(*self.grid.sheet.origin(row, column)))
        if level.order is None:
            level.order = order
        if normalize(title) != normalize(text) and time is None:
            level.aliases.append(text)
        codes = [a for a in title_codes(title).aliases if any(ch.isdigit() for ch in a)]  # "K4 Staff Illustrator": K4
        codes += [ranked[0]] if ranked is not None else []
        level.aliases += [code for code in codes if code not in level.aliases]
        at = f"{track.name} › {level.title} (level title)"
        if time is not None and piece is not None:
            level.fields.setdefault("typical_time_in_level", []).append(Piece(time, piece.where))
            at = f"{track.name} › {level.title} (level title, and its typical_time_in_level)"
        self.placed(piece, at)
        return level

    def expectation(self, targets: list[tuple[DraftTrack, DraftLevel]], competency: str, piece: Piece) -> None:
        """One cell's text as the expectation of ``competency`` at each level it shows under (a merged cell under
        several), recorded once."""
        first_track, first_level = targets[0]
        self.draft.add_expectation(first_track, first_level, competency, piece)
        for _track, level in targets[1:]:
            level.expectations.setdefault(normalize(competency), []).append(piece)
        if len(targets) > 1:
            entry = self.draft.ledger.entries.pop()
            self.draft.ledger.entries.append(Entry(piece, f"{entry.placed_at} (and {len(targets) - 1} more level(s) it spans)"))

    def field_of(self, targets: list[tuple[DraftTrack, DraftLevel]], name: LevelField, piece: Piece) -> None:
        first_track, first_level = targets[0]
        self.draft.add_field(first_track, first_level, name, piece)
        for _track, level in targets[1:]:
            level.fields.setdefault(name, []).append(piece)

    # levels as columns

    def columns(self) -> None:
        grid, reading = self.grid, self.reading
        label = reading.title_column
        body = _table(grid).body
        rows_below = [r for r in body if r > reading.title_row]
        named = [r for r in body if r not in (reading.title_row, reading.code_row, *reading.upper_rows)]  # above, too
        track_row = next((r for r in named if normalize(grid.text(r, label)) in TRACK_LABELS), None)
        family_row = next((r for r in named if normalize(grid.text(r, label)) in FAMILY_LABELS), None)
        upper = reading.upper_rows[0] if reading.upper_rows else None
        upper_codes = reading.upper_codes
        level_columns: dict[int, tuple[DraftTrack, DraftLevel]] = {}
        current_track: str | None = None
        columns = sorted({c for r in [reading.title_row, *rows_below] for c in grid.rows.get(r, {})} | set(reading.levels))
        for c in columns:
            if c in reading.levels:
                if upper is not None and not upper_codes and grid.text(upper, c):
                    current_track = grid.text(upper, c)
                    self.placed(grid.take(upper, c), f"track {current_track} (name)")
                name = grid.text(track_row, c) if track_row else ""
                family = grid.text(family_row, c) if family_row else ""
                track = self.track(name or current_track, family or None)
                level = self.level(track, reading.title_row, c)
                if level is None:
                    continue
                if track_row and name:
                    self.placed(grid.take(track_row, c), f"{track.name} › {level.title} (its track)")
                if family_row and family:
                    self.placed(grid.take(family_row, c), f"{track.name} › {level.title} (its family)")
                if upper is not None and upper_codes and grid.text(upper, c):
                    level.aliases.append(grid.text(upper, c))
                    self.placed(grid.take(upper, c), f"{track.name} › {level.title} › aliases")
                code_row = reading.code_row
                code = grid.text(code_row, c) if code_row is not None else ""
                if code and code_row is not None:
                    if code not in level.aliases:
                        level.aliases.append(code)
                    self.placed(grid.take(code_row, c), f"{track.name} › {level.title} › aliases")
                level_columns[c] = (track, level)
            elif grid.text(reading.title_row, c) and reading.roles.get(c) != "level":
                self.placed(grid.take(reading.title_row, c), f"(heading of the {reading.roles.get(c, 'label')} column)")
        if reading.code_row is not None:
            self.placed(grid.take(reading.code_row, label), "(row label: the levels' codes)")
            self.placed(grid.take(reading.title_row, label), "(row label: the levels' titles)")
        for r in (track_row, family_row):
            if r is not None:
                self.placed(
                    grid.take(r, label), "(row label: the levels' track)" if r == track_row else "(row label: the levels' family)"
                )
        # a level header merged over two columns heads both
        spans = {c: level_columns[grid.sheet.origin(reading.title_row, c)[1]] for c in columns if c not in level_columns
                 and grid.sheet.origin(reading.title_row, c)[1] in level_columns}  # fmt: skip
        level_columns.update(spans)
        self._competency_rows(rows_below, label, level_columns, skip={track_row, family_row})

    def _competency_rows(
        self, rows: list[int], label: int, level_columns: dict[int, tuple[DraftTrack, DraftLevel]], skip: set[int | None]
    ) -> None:
        grid, reading = self.grid, self.reading
        group: tuple[str, Piece | None, int] | None = None  # (name, its cell, competencies in it so far)
        level_order = sorted(level_columns)
        sheet_levels = list({id(level): level for _track, level in level_columns.values()}.values())

        def close_group() -> None:
            if group is not None and group[1] is not None and group[2] == 0:
                self.draft.not_placed(group[1], "a category row with no competency under it")

        for r in rows:
            if r in skip:
                continue
            name = _one_line(grid.text(r, label))
            cells = {o: cs for o, cs in grid.covered(r, level_order).items() if o != grid.sheet.origin(r, label)}
            others = {c: t for c, t in grid.rows.get(r, {}).items() if c != label and c not in level_columns}
            group_cells = [c for c in others if reading.roles.get(c) == "group"]
            if group_cells:
                close_group()
                g = group_cells[0]
                group = (grid.text(r, g), grid.take(r, g), 0)
                del others[g]
            if not name:
                for origin in cells:
                    self.not_placed(*origin, f"no competency name in column {column_letter(label)} of its row")
                for c in others:
                    self.not_placed(r, c, f"no competency name in column {column_letter(label)} of its row")
                continue
            key = normalize(name)
            if not cells and not others and grid.sheet.origin(r, label) == (r, label):
                close_group()  # a row with only its first cell: the category of the rows below
                group = (name, grid.take(r, label), 0)
                continue
            label_piece = grid.take(r, label)
            values = [grid.text(*origin) for origin in cells]
            # a level field once per level: a second label for it is a competency of its own
            said = name if field_for(name, values) else _heading(name)  # "Descrição / Description": a field's names
            field_name = self.claims.claim(sheet_levels, said, value=values) if field_for(said, values) else None
            if field_name is not None:
                self.placed(label_piece, f"(row label: the levels' {field_name})")
                for origin, columns in cells.items():
                    piece = grid.take(*origin)
                    if piece is not None and is_no_value(piece.text):
                        self.draft.not_placed(piece, NO_VALUE)
                    elif piece is not None:
                        self.field_of([level_columns[c] for c in columns], field_name, piece)
            elif key in ALIAS_LABELS or key in EQUIVALENT_LABELS:
                self.placed(
                    label_piece, "(row label: the levels' other names)" if key in ALIAS_LABELS else "(row label: equivalents)"
                )
                for origin, columns in cells.items():
                    piece = grid.take(*origin)
                    for c in columns:
                        track, level = level_columns[c]
                        names = [n.strip() for n in re.split(r"[,;\n]", grid.text(*origin)) if n.strip()]
                        (level.aliases if key in ALIAS_LABELS else level.equivalents).extend(names)
                    if piece is not None:
                        track, level = level_columns[columns[0]]
                        self.placed(piece, f"{track.name} › {level.title} › {'aliases' if key in ALIAS_LABELS else 'equivalent'}")
            elif len(name) > SHORT_LIMIT or is_prose(name) and not cells:
                if label_piece is not None:
                    self.draft.not_placed(label_piece, "reads as prose, not a competency name")
                for origin in cells:
                    self.not_placed(*origin, "its row's label reads as prose, not a competency name")
            else:
                competency = self.draft.competency(name, group[0] if group else None)
                if group is not None:
                    if group[2] == 0 and group[1] is not None:
                        self.placed(group[1], f"competency group {group[0]}")
                    group = (group[0], group[1], group[2] + 1)
                self.placed(label_piece, f"competency {competency.name} (name)")
                for origin, columns in cells.items():
                    piece = grid.take(*origin)
                    if piece is not None:
                        self.expectation([level_columns[c] for c in columns], name, piece)
                for c in others:
                    role = reading.roles.get(c)
                    piece = grid.take(r, c)
                    if piece is None:
                        continue
                    if role == "description":
                        self.draft.add_competency_text(name, piece)
                    elif role == "code":
                        competency.aliases.append(piece.text)
                        self.placed(piece, f"competency {competency.name} › aliases")
                    else:
                        self.draft.not_placed(piece, "no level title above its column")
        close_group()

    # levels as rows

    def rows(self) -> None:
        grid, reading = self.grid, self.reading
        table = _table(grid)
        tc = reading.title_column
        roles = reading.roles
        names: dict[int, str] = {}
        groups = self._groups(table.columns)
        for c, role in roles.items():
            headers = [(h, grid.text(h, c)) for h in reading.header_rows if grid.text(h, c)]
            if not headers:
                continue
            if role == "label":
                names[c] = _one_line(headers[-1][1])
                group = groups.get(c)
                competency = self.draft.competency(names[c], group[0] if group else None)
                if group is not None:
                    self.placed(grid.take(*group[1]), f"competency group {group[0]}")
                for h, text in headers:
                    piece = grid.take(h, c)
                    if (h, text) == headers[-1]:
                        self.placed(piece, f"competency {competency.name} (name)")
                    elif piece is not None:
                        competency.aliases.append(text)
                        self.placed(piece, f"competency {competency.name} › aliases")
            else:
                what = role.removeprefix("field:")
                for h, _text in headers:
                    self.placed(grid.take(h, c), f"(heading of the levels' {what} column)")
        for h in reading.header_rows:
            self.placed(grid.take(h, tc), "(heading of the level titles)")
        current: str | None = None
        tiers: dict[int, dict[str, tuple[Piece, list[str]]]] = {}  # column -> tier -> (its first cell, level titles)
        rows = [r for r in table.body if r > reading.header_rows[-1]]
        for i, r in enumerate(rows):
            title = _one_line(grid.text(r, tc))
            cells = {c: t for c, t in grid.rows.get(r, {}).items() if c != tc}
            if not title:
                for c in cells:
                    self.not_placed(r, c, f"no level title in column {column_letter(tc)} of its row")
                continue
            if not cells and i + 1 < len(rows) and not levelish(title) and grid.sheet.origin(r, tc) == (r, tc):
                current = title  # a row with only a name above levels: the track they are on
                self.placed(grid.take(r, tc), f"track {title} (name)")
                continue
            track_name = next((grid.text(r, c) for c in roles if roles[c] == "track" and grid.text(r, c)), None)
            family = next((grid.text(r, c) for c in roles if roles[c] == "family" and grid.text(r, c)), None)
            track = self.track(track_name or current, family)
            level = self.level(track, r, tc)
            if level is None:
                for c in cells:
                    self.not_placed(r, c, "its row's title reads as prose, not a level title")
                continue
            for c in sorted(cells):
                piece = grid.take(r, c)
                if piece is None:
                    continue
                role = roles.get(c, "none")
                if role.startswith("field:") and is_no_value(piece.text):
                    self.draft.not_placed(piece, NO_VALUE)
                elif role.startswith("field:") and (name := role.removeprefix("field:")) in LEVEL_FIELDS:
                    headings = [_one_line(grid.text(h, c)) for h in reading.header_rows if grid.text(h, c)]
                    heading = next(
                        (h for h in headings if name in (field_for(h, [piece.text]), field_for(_heading(h), [piece.text]))),
                        headings[-1],
                    )
                    said = heading if field_for(heading, [piece.text]) == name else _heading(heading)  # two languages
                    if self.claims.claim([level], said, only=name, value=piece.text):
                        self.draft.add_field(track, level, name, piece)
                    else:  # another sheet's label took this field on this level: a competency of its own
                        self.draft.add_expectation(track, level, heading, piece)
                elif role == "alias":
                    level.aliases.extend(n.strip() for n in re.split(r"[,;\n]", piece.text) if n.strip())
                    self.placed(piece, f"{track.name} › {level.title} › aliases")
                elif role in ("track", "family"):
                    self.placed(piece, f"{track.name} › {level.title} (its {role})")
                elif role == "equivalent":
                    level.equivalents.extend(n.strip() for n in re.split(r"[,;\n]", piece.text) if n.strip())
                    self.placed(piece, f"{track.name} › {level.title} › equivalent")
                elif role == "label":
                    self.draft.add_expectation(track, level, names[c], piece)
                elif role == "number" and _is_number(piece.text):
                    level.order = int(piece.text)
                    word = _rank_heading(grid.text(reading.header_rows[-1], c))
                    if word:
                        level.aliases.append(f"{word} {int(piece.text)}")
                    self.placed(
                        piece,
                        f"{track.name} › {level.title} (its number{f', and the alias {word} {int(piece.text)}' if word else ''})",
                    )
                elif role == "tier":
                    tiers.setdefault(c, {}).setdefault(normalize(piece.text), (piece, []))[1].append(level.title)
                    if tiers[c][normalize(piece.text)][0] is not piece:
                        self.placed(piece, f"section {_one_line(grid.text(reading.header_rows[-1], c))}")
                elif role == "parent":
                    self.parents.append((level, _one_line(piece.text)))
                    self.placed(piece, f"{track.name} › {level.title} (the level it comes after)")
                elif role == "next":
                    self.nexts.append((track, level, piece, _one_line(grid.text(reading.header_rows[-1], c))))
                elif role == "links":
                    self.draft.not_placed(piece, "a link or file path (markup), not the ladder's text")
                else:
                    self.draft.not_placed(piece, "no heading above its column")
        for c, by_value in tiers.items():
            self._tier_section(_one_line(grid.text(reading.header_rows[-1], c)), list(by_value.values()))
        self._link_nexts()
        for track in list(self.tracks):  # a Parent or Pair column may say the table holds a trunk and its branches
            parents = [(lv, name) for lv, name in self.parents if any(lv is x for x in track.levels)]
            made = split_branches(self.draft, track, parents)
            if made:
                self.tracks += made
                self.forks.append(fork_shape(track, made))

    def _link_nexts(self) -> None:
        """A Next column's cells as the levels each level leads to (each one the level it comes after, for the track's
        order and its forks), when every cell of the track names levels of that track; else — a level on another
        track, or words — each cell stays the level's text under the column's heading, as written."""
        by_track: dict[int, list[tuple[DraftTrack, DraftLevel, Piece, str]]] = {}
        for item in self.nexts:
            by_track.setdefault(id(item[0]), []).append(item)
        for items in by_track.values():
            track = items[0][0]
            targets = [_levels_named(track, piece.text) for _, _, piece, _ in items]
            if all(found for found in targets):
                led: set[int] = set()  # a level two lead to (a fork joining again) stays after the first of them
                for (_, level, piece, heading), found in zip(items, targets, strict=True):
                    self.parents += [(t, level.title) for t in found if t is not level and id(t) not in led]
                    joins = any(id(t) in led for t in found)
                    led |= {id(t) for t in found}
                    after = " and ".join(t.title for t in found)
                    if joins:  # a branch that leads back to a level of the trunk: said in the level's own words
                        self.draft.add_expectation(track, level, heading, piece)
                    else:
                        self.placed(piece, f"{track.name} › {level.title} (the level it leads to: {after})")
                continue
            for _, level, piece, heading in items:
                if is_no_value(piece.text):
                    self.draft.not_placed(piece, NO_VALUE)
                else:
                    self.draft.add_expectation(track, level, heading, piece)
        self.nexts.clear()

    def _groups(self, columns: list[int]) -> dict[int, tuple[str, Position]]:
        """Column -> the group over it (its name and the cell naming it), from the reading's group row: the cell above
        the column, a merged one covering it, or the last one to its left (a group written once, blanks after it)."""
        grid, g = self.grid, self.reading.group_row
        found: dict[int, tuple[str, Position]] = {}
        if g is None:
            return found
        current: tuple[str, Position] | None = None
        for c in sorted(set(columns) | set(grid.rows.get(g, {}))):
            if c == self.reading.title_column:
                current = None
                if grid.text(g, c):
                    self.placed(grid.take(g, c), "(heading of the competency groups)")
                continue
            origin = grid.sheet.origin(g, c)
            if grid.text(*origin):
                current = (_one_line(grid.text(*origin)), origin)
            if current is not None:
                found[c] = current
        return found

    def _tier_section(self, heading: str, tiers: list[tuple[Piece, list[str]]]) -> None:
        """A column of tiers several levels share, as a section: a line per tier naming its levels in order."""
        text = "\n".join(f"{piece.text}: {', '.join(titles)}" for piece, titles in tiers)
        self.draft.add_section(heading, "other", Piece(text, tiers[0][0].where))
        self.draft.ledger.entries.pop()  # the lines are made of cells: each tier's first cell is recorded
        for piece, _titles in tiers:
            self.placed(piece, f"section {heading}")

    # one sheet per competency

    def per_competency(self, competency: str) -> None:
        grid, reading = self.grid, self.reading
        table = _table(grid)
        starts = reading.levels
        track = self.track()
        blocks: dict[int, tuple[DraftTrack, DraftLevel] | None] = {}
        for c in starts:
            level = self.level(track, reading.title_row, c)
            blocks[c] = (track, level) if level else None
        rows_below = [r for r in table.body if r > reading.title_row]
        answers = _answer_columns(grid, rows_below, set(starts))
        self.draft.competency(competency)
        for r in rows_below:
            heads = [grid.text(r, c) for c in starts]
            same = len(starts) > 1 and len(set(heads)) == 1 and heads[0] and not is_prose(heads[0])
            for c in sorted(grid.rows.get(r, {})):
                start = max((s for s in starts if s <= c), default=None)
                target = blocks.get(start) if start is not None else None
                if same and c in starts:
                    self.not_placed(r, c, "the same short text under every level: a form's label, not the ladder's")
                elif c in answers:
                    self.not_placed(r, c, f"a form's answer ({answers[c]}), not the ladder's text")
                elif target is None:
                    self.not_placed(r, c, "no level title above it")
                else:
                    piece = grid.take(r, c)
                    if piece is not None:
                        self.draft.add_expectation(target[0], target[1], competency, piece)

    # one sheet per level

    def per_level(self, level_title: str) -> None:
        grid, reading = self.grid, self.reading
        table = _table(grid)
        roles = reading.roles
        label = next(c for c, role in roles.items() if role == "label")
        level_column = next((c for c, role in roles.items() if role == "level"), None)
        per_level = _per_level_columns(grid, table, reading.title_row, level_column) if level_column is not None else set()
        texts = [c for c, role in roles.items() if role == "text" and c not in per_level]
        said: set[tuple[int, int, str]] = set()  # (level, column, text) placed once: the level's own, repeated per row
        for c, role in roles.items():
            self.placed(grid.take(reading.title_row, c), f"(heading of the {role} column)")
        group: str | None = None
        sheet_level: DraftLevel | None = None
        for r in [r for r in table.body if r > reading.title_row]:
            for c in [c for c, role in roles.items() if role == "group"]:
                if grid.text(r, c):
                    group = grid.text(r, c)
                    self.placed(grid.take(r, c), f"competency group {group}")
            name = _one_line(grid.text(r, label))
            cells = [c for c in grid.rows.get(r, {}) if roles.get(c) != "group" and c != label]
            if not name:
                for c in cells:
                    self.not_placed(r, c, f"no competency name in column {column_letter(label)} of its row")
                continue
            track_name = next((grid.text(r, c) for c, role in roles.items() if role == "track" and grid.text(r, c)), None)
            family = next((grid.text(r, c) for c, role in roles.items() if role == "family" and grid.text(r, c)), None)
            track = self.track(track_name, family)
            level_column = next((c for c, role in roles.items() if role == "level"), None)
            if level_column is not None:
                if not grid.text(r, level_column):
                    for c in [label, *cells]:
                        self.not_placed(r, c, "no level named in its row")
                    continue
                found: DraftLevel | None
                if grid.sheet.origin(r, level_column) in grid.done:  # a level cell merged down several rows
                    found = self.draft.level(
                        track, split_title(_one_line(grid.text(r, level_column)))[0], grid.where(r, level_column)
                    )
                else:
                    found = self.level(track, r, level_column)
                if found is None:
                    for c in [label, *cells]:
                        self.not_placed(r, c, "its row's level reads as prose, not a level title")
                    continue
                level = found
            else:
                if sheet_level is None:
                    sheet_level = self.draft.level(track, level_title, Where(grid.file, grid.sheet.name))
                    self.sheet_level = (track, sheet_level)
                level = sheet_level
            competency = self.draft.competency(name, group)
            self.placed(grid.take(r, label), f"competency {competency.name} (name)")
            for c in sorted(cells):
                piece = grid.take(r, c)
                if piece is None:
                    continue
                role = roles.get(c, "text")
                if c in per_level and (id(level), c, normalize(piece.text)) in said:
                    self.placed(piece, f"{track.name} › {level.title} (its {role}, repeated on each of its rows)")
                    continue
                said.add((id(level), c, normalize(piece.text)))
                if role == "code" and c in per_level:  # one code per level, on each of its rows: the level's
                    level.aliases.append(piece.text)
                    self.placed(piece, f"{track.name} › {level.title} › aliases")
                elif role == "next":
                    self.nexts.append((track, level, piece, _one_line(grid.text(reading.title_row, c))))
                elif c in per_level and role == "text" and not is_prose(piece.text) and grid.text(reading.title_row, c):
                    # a column of the level's own (one value per level), its heading the competency it describes
                    self.draft.add_expectation(track, level, _one_line(grid.text(reading.title_row, c)), piece)
                elif role == "code":
                    competency.aliases.append(piece.text)
                    self.placed(piece, f"competency {competency.name} › aliases")
                elif role in ("track", "family", "level"):
                    self.placed(piece, f"{track.name} › {level.title} (its {role})")
                else:
                    heading = grid.text(reading.title_row, c)
                    text = f"{heading}: {piece.text}" if heading and len(texts) > 1 else piece.text
                    self.draft.add_expectation(track, level, name, Piece(text, piece.where))
        self._link_nexts()
        for track in list(self.tracks):  # a Next column may say where the ladder forks
            parents = [(lv, name) for lv, name in self.parents if any(lv is x for x in track.levels)]
            made = split_branches(self.draft, track, parents) if parents else []
            if made:
                self.tracks += made
                self.forks.append(fork_shape(track, made))

    # a table of competencies

    def competency_list(self) -> None:
        grid, reading = self.grid, self.reading
        roles, label = reading.roles, reading.title_column
        for c, role in roles.items():
            self.placed(grid.take(reading.title_row, c), f"(heading of the competencies' {role.replace('_', ' ')} column)")
        for r in [r for r in _table(grid).body if r > reading.title_row]:
            name = _one_line(grid.text(r, label))
            cells = [c for c in sorted(grid.rows.get(r, {})) if c != label]
            if not name:
                for c in cells:
                    self.not_placed(r, c, f"no competency name in column {column_letter(label)} of its row")
                continue
            group = next((grid.text(r, c) for c in cells if roles.get(c) == "group"), None)
            competency = self.draft.competency(name, group)
            self.placed(grid.take(r, label), f"competency {competency.name} (name)")
            for c in cells:
                piece = grid.take(r, c)
                if piece is None:
                    continue
                role = roles.get(c, "")
                if role == "description":
                    self.draft.add_competency_text(name, piece)
                elif role == "group":
                    self.placed(piece, f"competency {competency.name} › group")
                elif role == "code":
                    competency.aliases.append(piece.text)
                    self.placed(piece, f"competency {competency.name} › aliases")
                elif role == "group_id":
                    self.draft.not_placed(piece, "the id of the group named beside it (markup), not the ladder's text")
                else:
                    self.draft.not_placed(piece, "a link or file path (markup), not the ladder's text")

    # text

    def captions(self, rows: list[int], thing: str, name_it: bool) -> None:
        """Rows of one cell above a table: the first is the name of what the sheet holds (the framework's, when
        ``name_it``), the others its description."""
        grid = self.grid
        for i, r in enumerate(rows):
            for c in list(grid.rows.get(r, {})):
                piece = grid.take(r, c)
                if piece is None:
                    continue
                if i == 0 and normalize(piece.text) == normalize(thing):
                    self.placed(piece, f"(heading: the name of {thing})")
                elif i == 0 and name_it and not self.draft.name and not is_prose(piece.text) and len(piece.text) <= SHORT_LIMIT:
                    self.draft.name = piece.text
                    self.placed(piece, "framework › name")
                elif self.reading.kind == "per_competency":
                    self.draft.add_competency_text(thing, piece)
                elif self.sheet_level is not None:
                    self.draft.add_field(self.sheet_level[0], self.sheet_level[1], "summary", piece)
                elif self.tracks and len(self.tracks) == 1 and not name_it:
                    self.tracks[0].description.append(piece)
                    self.placed(piece, f"track {self.tracks[0].name} › description")
                else:
                    self.draft.add_description(piece)

    def notes(self, rows: list[int], default_title: str) -> None:
        """Rows of one cell (notes below a table, a sheet of prose): sections, each headed by a short line that has
        text after it."""
        grid = self.grid
        cells = [(r, c) for r in rows for c in sorted(grid.rows.get(r, {}))]
        title = default_title
        for i, (r, c) in enumerate(cells):
            text = grid.text(r, c)
            following = grid.text(*cells[i + 1]) if i + 1 < len(cells) else ""
            if _heading_like(text) and following and not _heading_like(following):
                title = text
                self.placed(grid.take(r, c), f"section {title} (title)")
                continue
            piece = grid.take(r, c)
            if piece is not None:
                self.draft.add_section(title, section_kind(title), piece)

    def overview(self, title: str, name_it: bool) -> None:
        """An overview or a sheet of prose, block by block: a title cell at its top names the framework (when
        ``name_it``), a short line over text or over a table heads a section, a table is a section's text (a line per
        row, its columns kept in place), a note its own paragraph. Text before any heading describes the framework
        (when ``name_it``) or is a section titled ``title`` (the sheet's name)."""
        grid = self.grid
        blocks = _blocks(grid)
        current: str | None = None
        for i, (kind, rows) in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            topics = _topic_table(grid, rows) if kind == "table" else None
            if topics is not None:  # Topic | Note: a section per row, each of the kind its title says
                head, body = topics
                for r in head:
                    for c in sorted(grid.rows[r]):
                        self.placed(grid.take(r, c), "(heading of a column of section titles or of their text)")
                for r in body:
                    left, right = sorted(grid.rows[r])
                    name = _one_line(grid.text(r, left))
                    self.placed(grid.take(r, left), f"section {name} (title)")
                    piece = grid.take(r, right)
                    if piece is not None:
                        self.draft.add_section(name, section_kind(name), piece)
                continue
            if kind == "table":
                heading = current or title
                cells = _table_cells(grid, rows)
                self.draft.add_section_table(
                    heading, section_kind(heading), [[grid.take(*p) if p else None for p in row] for row in cells]
                )
                continue
            r = rows[0]
            c = min(grid.rows[r])
            text = grid.text(r, c)
            if i == 0 and name_it and not self.draft.name and _names_a_framework(text, grid.sheet.name):
                self.draft.name = _one_line(text)
                self.placed(grid.take(r, c), "framework › name")
                continue
            heads = following is not None and (following[0] == "table" or not _heading_like(_first_text(grid, following)))
            if _heading_like(text) and heads:
                current = _one_line(text)
                self.placed(grid.take(r, c), f"section {current} (title)")
                continue
            piece = grid.take(r, c)
            if piece is None:
                continue
            if current is None and name_it:
                self.draft.add_description(piece)
            else:
                heading = current or title
                self.draft.add_section(heading, section_kind(heading), piece)

    def sweep(self) -> None:
        """Whatever no reading took is listed as not placed, with its place."""
        for r, c in sorted(self.grid.sheet.cells):
            self.not_placed(r, c, "not part of the table read")


def _rank_heading(text: str) -> str:
    """A number column's heading as the word people say before the number ("Grade" -> "grade 3"), when it is one."""
    words = _heading(text)
    singular = words[:-1] if words.endswith("s") and words[:-1] in LEVEL_HEADINGS else words
    return text.strip()[: len(singular)] if singular in LEVEL_HEADINGS and " " not in singular else ""


def _one_line(text: str) -> str:
    """A name as one line: a header cell wrapped onto two lines ("Senior\nEngineer") is one title."""
    return " ".join(text.split())


def _blocks(grid: Grid) -> list[tuple[Literal["line", "table"], list[int]]]:
    """A sheet's rows in order as lines (a row of one cell) and tables (rows of several cells one under another, with
    the rows of one cell inside their columns that continue them)."""
    blocks: list[tuple[Literal["line", "table"], list[int]]] = []
    previous = 0
    for r in sorted(grid.rows):
        cells = grid.rows[r]
        last = blocks[-1] if blocks else None
        if last is not None and last[0] == "table" and r == previous + 1:
            first_column = min(c for row in last[1] for c in grid.rows[row])
            if len(cells) > 1 or min(cells) != first_column:
                last[1].append(r)
                previous = r
                continue
        blocks.append(("table", [r]) if len(cells) > 1 else ("line", [r]))
        previous = r
    return blocks


def _table_cells(grid: Grid, rows: list[int]) -> list[list[Position | None]]:
    """A table's cells row by row across all its columns, None where a cell is empty (a merged range shows once)."""
    columns = sorted({c for r in rows for c in grid.rows[r]})
    return [[(r, c) if (r, c) in grid.sheet.cells else None for c in columns] for r in rows]


def _first_text(grid: Grid, block: tuple[str, list[int]]) -> str:
    r = block[1][0]
    return grid.text(r, min(grid.rows[r]))


_NOT_A_NAME = {"how", "what", "why", "when", "where", "who", "welcome", "please", "note", "notes", "read", "see", "this"}
"""First words of a sheet's top line that make it an instruction or a note, not the framework's name."""


def _names_a_framework(text: str, sheet_name: str) -> bool:
    """Whether the line at the top of an overview names the framework ("Example Org Procurement Career Framework"): a short
    title, not the sheet's own name, not a word for an overview ("Contents"), not an instruction."""
    words = normalize(text).split()
    return (
        _heading_like(text)
        and len(text) <= SHORT_LIMIT
        and bool(words)
        and words[0] not in _NOT_A_NAME
        and normalize(text) != normalize(sheet_name)
        and normalize(text) not in OVERVIEW_SHEETS
        and not levelish(text)
    )


def _topic_table(grid: Grid, rows: list[int]) -> tuple[list[int], list[int]] | None:
    """A table of two columns on a sheet of prose, a short title beside a paragraph on each row (under a header row
    such as "Topic | Note", if any): (its header rows, its rows), each row a section of its own; None for any other
    table."""
    columns = sorted({c for r in rows for c in grid.rows[r]})
    if len(columns) != 2 or any(len(grid.rows[r]) != 2 for r in rows):
        return None
    left, right = columns
    head = [rows[0]] if not is_prose(grid.text(rows[0], right)) else []
    body = [r for r in rows if r not in head]
    titles = [normalize(grid.text(r, left)) for r in body]
    if len(body) < 2 or len(set(titles)) < len(titles):
        return None
    if not all(_heading_like(grid.text(r, left)) and is_prose(grid.text(r, right)) for r in body):
        return None
    return head, body


def _heading_like(text: str) -> bool:
    return 0 < _words(text) <= 8 and not text.rstrip().endswith((".", "!", "?")) and not _BULLET.match(text) and "\n" not in text


def section_kind(title: str) -> SectionKind:
    """A section's kind from its title's words (the documents reader's words for each kind, in several languages,
    after these)."""
    words = normalize(title)
    if re.search(
        r"\bswitch|\bchang\w* track|\bmov\w* between|\b(?:mov|go|step|transition)\w* (?:in)?to (?:people )?management\b", words
    ):
        return "switching"
    if re.search(r"\bpromot", words):
        return "promotion"
    if re.search(r"\ball levels\b|\bevery level\b|\bevery one\b|\beveryone\b", words):
        return "all_levels"
    if re.search(r"\bcompetenc|\bdefinition|\bskills\b", words):
        return "competencies"
    return shared_section_kind(title)


def _equivalents_from_overview(grid: Grid, tracks: list[DraftTrack]) -> list[str]:
    """An overview's table with a column per track (headed with the track's name) and, in each row, a level of each:
    the levels of one row are named equivalent ("G4 | P3 Senior Buyer | PM1 Purchasing Team Lead"). Returns
    the tracks lined up (none when the table is not such a mapping)."""
    by_name = {normalize(t.name): t for t in tracks}
    table = _table(grid)
    for top in table.body:
        headings = {c: _heading(as_track_name(t)) for c, t in grid.rows[top].items()}  # "Sales IC track": Sales IC
        columns = {c: by_name[h] for c, h in headings.items() if h in by_name}
        if len(set(map(id, columns.values()))) >= 2:
            break
    else:
        return []
    rows = 0
    for r in [r for r in table.body if r > top]:
        found = [lv for c, track in columns.items() if (lv := _level_named(track, grid.text(r, c))) is not None]
        for other in found[1:]:
            if not any(e is other for e in found[0].equivalents):
                found[0].equivalents.append(other)
        rows += len(found) > 1
    return list(dict.fromkeys(t.name for t in columns.values())) if rows else []


_ALTERNATIVES = re.compile(r"\s*(?:[,;/\n]|\bor\b|\bo\b|\bou\b|\boder\b|\bof\b)\s*", re.IGNORECASE)
"""Where a cell naming next levels parts them: "Band 7 or Band 7 Specialist", "KS3 / KC3", "P4 of M1"."""


def _levels_named(track: DraftTrack, text: str) -> list[DraftLevel]:
    """The levels of ``track`` a Next cell names, one or several ("L4 or L4 Specialist"); none unless every name in
    it is one level's (the whole cell first: a title may hold "or" or "of")."""
    exact = [lv for lv in track.levels if normalize(text) in {normalize(n) for n in (lv.title, *lv.aliases)}]
    if len(exact) == 1:
        return exact
    found = []
    for part in [p for p in _ALTERNATIVES.split(_one_line(text)) if p]:
        level = _level_by_keys(track, part)
        if level is None:
            return []
        found.append(level)
    return list({id(lv): lv for lv in found}.values())


def _level_by_keys(track: DraftTrack, text: str) -> DraftLevel | None:
    """The one level a name means: the whole name first, then the title without its code, then the code ("Band 8a
    Matron" is the level titled Matron among two at Band 8a)."""
    if not text:
        return None
    title = title_codes(text)
    rest = [re.sub(rf"^\s*{re.escape(a)}\b|\b{re.escape(a)}\s*$", "", text).strip(" -–:()") for a in title.aliases]
    keys = [normalize(text), normalize(title.title), *map(normalize, rest), *(normalize(a) for a in title.aliases)]
    for key in dict.fromkeys(k for k in keys if k):
        found = [lv for lv in track.levels if key in {normalize(n) for n in (lv.title, *lv.aliases)}]
        if len(found) == 1:
            return found[0]
    return None


def _levels_from_overview(grid: Grid, draft: Draft, tracks: list[DraftTrack]) -> list[str]:
    """An overview's table with a row per level that other sheets define (a cell of the row names it: "S3", its
    sheet's name), and columns saying of each its title, its track and its equivalent ("Code | Title | Track |
    Comparable to"): the titles become other names of the levels, the levels move onto the tracks named (in the
    table's order), the equivalents are named. The overview's text stays its section. Returns what was read."""
    table = _table(grid)
    for top in table.body[:3]:
        headings = {c: _heading(t) for c, t in grid.rows[top].items()}
        roles = {
            c: role
            for c, h in headings.items()
            for role, words in (
                ("title", TITLE_HEADINGS),
                ("track", TRACK_LABELS),
                ("equivalent", EQUIVALENT_LABELS),
                ("next", NEXT_LABELS | PARENT_LABELS),
            )  # fmt: skip
            if h in words
        }
        if {"track", "equivalent"} & set(roles.values()):
            break
    else:
        return []
    rows: list[tuple[int, DraftLevel]] = []
    for r in [r for r in table.body if r > top]:
        for c, cell in sorted(grid.rows.get(r, {}).items()):  # the first cell (not a title, track, …) naming a level
            found = [lv for t in tracks for lv in t.levels if normalize(cell) in {normalize(n) for n in (lv.title, *lv.aliases)}]
            if c not in roles and len(found) == 1:
                rows.append((r, found[0]))
                break
    if len(rows) < 2:
        return []
    read: list[str] = []
    for r, level in rows:
        for c, role in roles.items():
            text = _one_line(grid.text(r, c))
            if not text or is_no_value(text):
                continue
            if role == "title" and normalize(text) not in {normalize(n) for n in (level.title, *level.aliases)}:
                level.aliases.append(text)
            elif role == "equivalent":
                level.equivalents.extend(n.strip() for n in re.split(r"[,;\n]", text) if n.strip())
    track_column = next((c for c, role in roles.items() if role == "track"), None)
    named = {id(level): _one_line(grid.text(r, track_column)) for r, level in rows} if track_column is not None else {}
    if named and len(set(named.values()) - {""}) >= 1 and all(named.values()):
        for _row, level in rows:
            home = next(t for t in tracks if any(lv is level for lv in t.levels))
            target = draft.track(as_track_name(named[id(level)]), home.family)
            if target is not home:
                home.levels = [lv for lv in home.levels if lv is not level]
                target.levels.append(level)
                if target not in tracks:
                    tracks.append(target)
        read.append("its Track column puts the levels on their tracks")
    read += ["its Title column names the levels"] if "title" in roles.values() else []
    read += ["its equivalents column names equivalent levels"] if "equivalent" in roles.values() else []
    return read


def _level_named(track: DraftTrack, text: str) -> DraftLevel | None:
    """The level of ``track`` a cell names: by its title or another name, or as a code and a title ("S3 Senior AE")."""
    text = _one_line(text)
    if not text:
        return None
    words = text.split(" ", 1)
    wanted = [normalize(text)] + ([normalize(words[0]), normalize(words[1])] if len(words) == 2 else [])
    for key in wanted:
        found = [lv for lv in track.levels if key in {normalize(n) for n in (lv.title, *lv.aliases)}]
        if len(found) == 1:
            return found[0]
    return None


def _map_candidates(grids: list[Grid], readings: list[Reading], draft: Draft) -> set[int]:
    """The sheets (by id of their grid) whose cells mostly name levels other sheets (or files read before) define:
    maybe maps of those levels onto one another, read once the levels are."""
    found: set[int] = set()
    if len(grids) < 2 and not draft.tracks:
        return found
    titles: list[list[str]] = [
        [*reading.titles, grid.sheet.name] if reading.kind == "per_level" else list(reading.titles)
        for grid, reading in zip(grids, readings, strict=True)
    ]
    earlier = [name for track in draft.tracks for level in track.levels for name in (level.title, *level.aliases)]
    for i, grid in enumerate(grids):
        known = known_keys([t for j, ts in enumerate(titles) if j != i for t in ts] + earlier)
        if known and names_levels_elsewhere(grid.sheet, known):
            found.add(id(grid))
    return found


def _answer_columns(grid: Grid, rows: list[int], starts: set[int]) -> dict[int, str]:
    """Columns of a form's answers beside the statements (Nope / Somewhat / Yes): short values from a handful, repeated
    (in the column, or across all such columns of the sheet)."""
    columns = {c: [grid.rows[r][c] for r in rows if c in grid.rows.get(r, {})] for r in rows for c in grid.rows.get(r, {})}
    columns = {c: values for c, values in columns.items() if c not in starts and all(_words(v) <= 4 for v in values)}

    def answers(values: list[str]) -> bool:
        return len(values) >= 2 and len(set(values)) <= 4 and len(set(values)) < len(values)

    pooled = [v for values in columns.values() for v in values]
    if len(columns) > 1 and answers(pooled):
        return {c: ", ".join(sorted(set(pooled))) for c in columns}
    return {c: ", ".join(sorted(set(values))) for c, values in columns.items() if answers(values)}


# -- a whole file -----------------------------------------------------------------------------


def place_sheets(sheets: list[Sheet], draft: Draft, file: str, in_workbook: bool, default_track: str = "Main") -> None:
    """Every sheet of one file into ``draft``: each read its best way, the workbook read as a whole (one sheet per
    level or per competency, overview sheets as sections, a sheet mapping other sheets' levels onto one another as
    equivalents), every cell in the ledger, the shape said per sheet. Levels the file puts on no named track go on
    ``default_track``."""
    grids = [Grid(sheet, file, in_workbook) for sheet in sheets]
    readings = [read_sheet(grid) for grid in grids]
    claims = FieldClaims()
    ladder_kinds = {"per_level", "per_competency"}
    structured = [r for r in readings if r.kind in ladder_kinds]
    matrices = [r for r in readings if r.kind in ("columns", "rows")]
    structured_titles = {normalize(split_title(t)[0]) for r in structured for t in r.titles}
    structured_titles |= {normalize(g.sheet.name) for g, r in zip(grids, readings, strict=True) if r.kind == "per_level"}
    maps = _map_candidates(grids, readings, draft)
    overview = [
        reading.kind in ("columns", "rows")
        and len(readings) > 1
        and (
            normalize(grid.sheet.name) in OVERVIEW_SHEETS
            or (structured and reading.score < 1.5)
            or (len(reading.titles) >= 2 and {normalize(split_title(t)[0]) for t in reading.titles} <= structured_titles)
        )
        for grid, reading in zip(grids, readings, strict=True)
    ]
    real_matrices = [
        r for r, o, g in zip(readings, overview, grids, strict=True) if r in matrices and not o and id(g) not in maps
    ]
    touched: list[DraftTrack] = []
    overviews: list[tuple[Grid, str]] = []

    def place(grid: Grid, reading: Reading, is_overview: bool) -> None:
        label = f"{file}: sheet '{grid.sheet.name}'" if in_workbook else file
        named = not _GENERIC_SHEET.match(grid.sheet.name) and in_workbook
        own_track = (
            grid.sheet.name if (len(real_matrices) > 1 or named) and reading.kind in ("columns", "rows") else default_track
        )
        family = grid.sheet.name if len(real_matrices) > 1 and reading.tracks_inside else None
        if reading.tracks_inside and family is None:
            own_track = default_track
        placer = Placer(grid, draft, reading, own_track, family, claims=claims, default_name=own_track == default_track)
        table = _table(grid)
        if is_overview or reading.kind == "prose":
            # the framework's name from the title cell of a workbook's first sheet, or of a sheet named Overview
            name_it = in_workbook and (grid is grids[0] or normalize(grid.sheet.name) in OVERVIEW_SHEETS)
            had_name = bool(draft.name)
            if reading.kind == "prose":
                placer.overview(grid.sheet.name if in_workbook else "Notes", name_it)
                draft.shapes.append(f"{label}: prose, as sections")
            else:
                placer.overview(grid.sheet.name, name_it)
                draft.shapes.append(f"{label}: an overview (its levels are other sheets'): its tables and notes as sections")
                overviews.append((grid, label))
            if draft.name and not had_name:
                draft.shapes.append(f"{label}: its title cell names the framework ({draft.name})")
            placer.sweep()
            return
        # the title above a file's only table (maps of its levels aside) names the framework
        sole = len(readings) == 1 or len(readings) - len(maps) == 1
        if reading.kind == "per_competency":
            name = grid.sheet.name if in_workbook and not _GENERIC_SHEET.match(grid.sheet.name) else None
            caption = grid.text(table.captions[0], min(grid.rows[table.captions[0]])) if table.captions else ""
            name = name or (caption if caption and len(caption) <= SHORT_LIMIT and not is_prose(caption) else "Competency")
            placer.per_competency(name)
            placer.captions(table.captions, name, name_it=False)
            draft.shapes.append(f"{label}: one competency ({name}), levels as columns")
        elif reading.kind == "per_level":
            placer.track_name = default_track
            level_column = "level" in reading.roles.values()
            placer.per_level(grid.sheet.name)
            placer.captions(table.captions, grid.sheet.name, name_it=not in_workbook)
            draft.shapes.append(
                f"{label}: "
                + ("a row per level and competency" if level_column else f"one level ({grid.sheet.name}), a row per competency")
            )
            draft.shapes += [f"{label}: {fork}" for fork in placer.forks]
        elif reading.kind == "competency_list":
            placer.competency_list()
            placer.captions(table.captions, "the competencies", name_it=len(readings) == 1)
            draft.shapes.append(f"{label}: a row per competency (its name, and what describes it), no levels")
        elif reading.kind == "columns":
            placer.columns()
            placer.captions([r for r in table.captions if r not in reading.upper_rows], own_track, name_it=sole)
            extra = ", tracks from the row above the titles" if reading.tracks_inside and reading.upper_rows else ""
            extra += ", codes above the titles" if reading.upper_rows and not reading.tracks_inside else ""
            draft.shapes.append(f"{label}: levels as columns, competencies as rows{extra}")
        else:
            placer.rows()
            placer.captions(table.captions, own_track, name_it=sole)
            extra = ", two header rows (codes above names)" if len(reading.header_rows) > 1 else ""
            extra += ", a row of competency groups above their names" if reading.group_row is not None else ""
            draft.shapes.append(f"{label}: levels as rows, competencies as columns{extra}")
            draft.shapes += [f"{label}: {fork}" for fork in placer.forks]
        if table.footers:
            placer.notes(table.footers, "Notes")
            draft.shapes.append(f"{label}: {len(table.footers)} row(s) of notes below the table, as sections")
        placer.sweep()
        touched.extend(t for t in placer.tracks if t not in touched)

    for grid, reading, is_overview in zip(grids, readings, overview, strict=True):
        if id(grid) not in maps:
            place(grid, reading, is_overview)
    for grid, reading, is_overview in zip(grids, readings, overview, strict=True):
        if id(grid) in maps:  # read once the levels it may name are: a map of them, else the sheet it looks like
            level_map = read_level_map(grid.sheet, draft.tracks)
            if level_map is None:
                place(grid, reading, is_overview)
            else:
                shape = place_level_map(grid, level_map, draft)
                draft.shapes.append(f"{file}: sheet '{grid.sheet.name}': {shape}" if in_workbook else f"{file}: {shape}")
                Placer(grid, draft, reading, default_track).sweep()
    for grid, label in overviews:
        read = _levels_from_overview(grid, draft, touched)
        if read:
            draft.shapes.append(f"{label}: a row per level: {', '.join(read)}")
        linked = _equivalents_from_overview(grid, touched)
        if linked:
            draft.shapes.append(f"{label}: its columns of {', '.join(linked)} line their levels up: equivalents, row by row")
    for track in touched:
        if not track.levels and not track.description and track in draft.tracks:
            draft.tracks.remove(track)  # named, then no level read under it
            continue
        orders = [level.order for level in track.levels if level.order is not None]
        if (
            len(orders) > 1
            and len(orders) == len(track.levels)  # every level numbered
            and all(a > b for a, b in zip(orders, orders[1:], strict=False))
        ):
            track.levels.reverse()
            draft.shapes.append(f"{file}: track {track.name} listed highest level first: read lowest first")
