"""What the parts of a page are, from their content: which sibling headings are levels, which pages are a competency's,
what a table holds (levels as rows, as columns, a mapping across tracks), which quotes are notes.

Pure functions of the outline; :mod:`bot.framework.reading.documents` uses them to place pages into a Draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.framework.names import normalize
from bot.framework.reading.labels import is_duration
from bot.framework.reading.meta_lines import TRACK_LABELS as META_TRACK_LABELS
from bot.framework.reading.outline import (
    Block,
    Code,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Section,
    Table,
    Text,
    iter_texts,
)
from bot.framework.reading.titles import (
    is_bare_rank,
    is_code,
    is_level_code,
    level_marker,
    rank_of,
    reads_like_a_name,
    reads_like_a_title,
    section_kind,
    split_title,
)


@dataclass
class TableRole:
    kind: str
    """"mapping", "rows", "columns", "names" or "prose"."""
    title_columns: list[int] = field(default_factory=list)
    code_columns: dict[int, int] = field(default_factory=dict)
    """Code column -> the title column it names."""
    header: int = 0
    """How many rows the header takes (0 or 1)."""
    track_column: int | None = None
    """Levels as rows: a column naming each level's track ("Track": Shared, Individual contributor, Management)."""
    equivalent_columns: list[int] = field(default_factory=list)
    """Levels as rows: columns naming the levels of other tracks each one is equivalent to."""
    groups: list[str] = field(default_factory=list)
    """Levels as columns under a row grouping them (a track per group of columns): each column's group, "" for none."""


def pseudo_heading(block: Block) -> Block:
    """A short paragraph in bold from end to end reads as a heading below any real one (Google Docs, Confluence)."""
    if isinstance(block, Paragraph) and block.text.strong and reads_like_a_name(block.text.text):
        return Heading(7, block.text)
    return block


def level_like_group(children: list[Section]) -> bool:
    return bool(level_children(children))


def find_groups(section: Section) -> list[tuple[Section, list[Section]]]:
    levels = level_children(section.children)
    if levels:
        return [(section, levels)]
    found = []
    for child in section.children:
        found += find_groups(child)
    return found


def level_children(children: list[Section]) -> list[Section]:
    """The sections among siblings that are levels: at least two read like levels, they are most of the siblings with
    content, and codes alone (C3, I2, B1) count only when they share a prefix (L1, L2)."""
    marked = [c for c in children if reads_like_a_title(c.title) and level_marker(c.title) and _not_prose_kind(c.title)]
    if len(marked) < 2:
        return []
    by_words = [c for c in marked if marked_by_words(c.title)]
    if not by_words:
        prefixes = {re.sub(r"[\d\s\-]+.*$", "", a).lower() for c in marked for a in split_title(c.title).aliases}
        if len(prefixes) > 1:
            return []
    with_content = [c for c in children if section_has_text(c)]
    if len(marked) * 2 < len(with_content):
        return []
    shapes = [shape(c) for c in marked]
    common = max(set(shapes), key=shapes.count)
    return [c for c in children if c in marked or (shape(c) == common and common[0] and section_kind(c.title) == "other")]


def _not_prose_kind(title: str) -> bool:
    """A heading that does not name a kind of prose, or one opening with a level's code: "E5 · Engineering Manager
    (management track)" is a level, though its words name a track."""
    return section_kind(title) == "other" or bool(_CODE_OPENS.match(title) and split_title(title).aliases)


_CODE_OPENS = re.compile(r"^\s*[A-Za-z]{1,3}[ -]?\d{1,2}[a-z]?\s*[:.\-–—|·•]\s+\S")
"""A title that opens with a level code and a separator ("M4 · ", "L3 - ")."""


def marked_by_words(title: str) -> bool:
    """Marked by its words or a rank ("Senior", "Level 3", "Engineer 2"), not only by a code in brackets."""
    stripped = split_title(title)
    return level_marker(stripped.title) or is_bare_rank(title) or (stripped.number is not None and not stripped.aliases)


def shape(section: Section) -> tuple[bool, bool]:
    return bool(section.children), any(isinstance(b, (ItemList, Table)) for b in section.blocks)


def competency_major(levels: list[Section]) -> bool:
    """Rank headings ("Level 1", "Level 2 Junior" …) holding plain text: a competency's page, its ranks the levels."""
    if not all(rank_of(s.title) for s in levels):
        return False
    for section in levels:
        if section.children:
            return False
        for text in iter_texts(section.blocks):
            if text.label and reads_like_a_name(text.label):
                return False
        if any(isinstance(b, Table) for b in section.blocks):
            return False
    return True


def has_text(blocks: list[Block]) -> bool:
    return any(True for _ in iter_texts([b for b in blocks if not isinstance(b, Heading)]))


def section_has_text(section: Section) -> bool:
    return any(has_text(s.blocks) for s in section.walk())


def all_labelled(blocks: list[Block]) -> bool:
    """Every text a label and what follows it ("**Accuracy:** Closes the month")."""
    texts = [t for t in iter_texts([b for b in blocks if not isinstance(b, Table)])]
    return bool(texts) and all(t.label and t.rest and reads_like_a_name(t.label) for t in texts)


def mostly_labelled(blocks: list[Block]) -> bool:
    texts = [t for t in iter_texts([b for b in blocks if not isinstance(b, Table)])]
    labelled = [t for t in texts if t.label and t.rest and reads_like_a_name(t.label)]
    return len(labelled) >= 2 and len(labelled) * 5 >= len(texts) * 3 - 5


CONTAINER_HEADINGS = {
    "expectations", "key expectations", "level expectations", "what we expect", "what is expected", "competencies",
    "core competencies", "skills", "responsibilities", "key responsibilities", "criteria", "behaviours", "behaviors",
    "areas", "dimensions", "erwartungen", "kompetenzen", "verantwortlichkeiten", "expectativas", "competências",
    "responsabilidades", "competencias", "attentes", "compétences", "responsabilités", "aspettative", "competenze",
    "responsabilità", "ожидания", "компетенции", "обязанности",
}  # fmt: skip
"""Headings that only say what the labelled items under them are: no competency and no group of their own."""


STRUCTURE_TRACK_LABELS = META_TRACK_LABELS | {"tracks", "career tracks", "track type", "ladder type", "path type"}
"""A column heading naming each level's track."""
STRUCTURE_EQUIVALENT_LABELS = {
    "equivalent", "equivalents", "equivalent level", "equivalent levels", "equivalent to", "equivalent role",
    "parallel level", "parallel", "counterpart", "peer level", "same level as", "pair", "paired with", "äquivalent",
    "entspricht", "gleichwertig", "equivalente", "équivalent", "эквивалент",
}  # fmt: skip
"""A column heading naming the levels of other tracks a level is equivalent to."""


def container_heading(title: str) -> bool:
    return normalize(title) in CONTAINER_HEADINGS


NOTE_LABELS = {
    "note",
    "notes",
    "tip",
    "info",
    "important",
    "warning",
    "caution",
    "hint",
    "remember",
    "nb",
    "!note",
    "!tip",
    "!important",
    "!warning",
    "!caution",
}


def note(block: Block) -> bool:
    """A quote opening with NOTE, Tip, Warning (or GitHub's [!NOTE]): an aside, not part of what surrounds it."""
    if not isinstance(block, Quote):
        return False
    first = next(iter(iter_texts(block.blocks)), None)
    if first is None:
        return False
    head = (first.label or first.text).split()
    return bool(head) and head[0].strip("[]*_:").lower() in NOTE_LABELS


def callout_title(block: Block) -> str | None:
    """A callout's title: its opening words up to a full stop when they are few ("⚠️ Heads up. Titles change…" -> "Heads
    up"), else its first word ("📅 Reviews happen twice a year…" -> "Reviews"); None for a block that is no callout."""
    if not isinstance(block, Quote) or not block.callout:
        return None
    first = next(iter(iter_texts(block.blocks)), None)
    words = _CALLOUT_SYMBOLS.sub("", first.text if first else "").split()
    if not words:
        return "Note"
    opening = next((k for k, w in enumerate(words[:4]) if w.endswith((".", ":"))), None)
    title = " ".join(words[: opening + 1]) if opening is not None else words[0]
    return title.strip(".:*_ ") or "Note"


_CALLOUT_SYMBOLS = re.compile(r"^[^\w]+")
"""An emoji or symbol opening a callout ("💡", "⚠️ ")."""


def names_over_text(block: Block) -> bool:
    """A list whose every item is a short name holding its text nested below it (Notion exports a toggle per
    competency so: "- Testing" over an indented paragraph): the names are competencies. Bullets over sub-bullets
    ("- Leads projects" over "- sets milestones") are not: they are a level's points and their details."""
    if not isinstance(block, ItemList) or not block.items:
        return False
    return all(
        item.text is not None
        and item.text.label is None
        and reads_like_a_name(item.text.text)
        and bool(item.blocks)
        and all(isinstance(b, Paragraph) for b in item.blocks)
        for item in block.items
    )


def texts_with_nesting(block: Block) -> list[tuple[Text, list[Text]]]:
    """Each top text of a block with the texts nested under it (an item's sub-items go with the item)."""
    if isinstance(block, (Paragraph, Code, Heading)):
        return [(block.text, [])]
    if isinstance(block, Quote):
        out = []
        for inner in block.blocks:
            out += texts_with_nesting(inner)
        return out
    if isinstance(block, ItemList):
        out = []
        for item in block.items:
            nested = list(iter_texts(item.blocks))
            if item.text is not None:
                out.append((item.text, nested))
            else:
                for inner in item.blocks:
                    out += texts_with_nesting(inner)
        return out
    if isinstance(block, Table):
        return [(t, []) for t in iter_texts([block])]
    return []


def table_paths(section: Section, trail: list[Section] | None = None) -> list[tuple[Table, list[Section]]]:
    trail = trail or []
    found = []
    here = trail + ([section] if section.heading is not None else [])
    for block in section.blocks:
        if isinstance(block, Table):
            found.append((block, here))
    for child in section.children:
        found += table_paths(child, here)
    return found


def table_role(table: Table) -> TableRole:
    """What a table holds, from its cells: levels as rows (a column of titles), levels as columns (a header of titles),
    a mapping of levels across tracks (several title columns), or other text."""
    rows = [r for r in table.rows if any(c is not None for c in r)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return TableRole("prose")
    header = header_rows(table)
    body = table.rows[header:]
    width = len(table.rows[0])
    titles, codes, ranks = [], {}, []
    heads = [normalize(c.text.text) if header and c is not None else "" for c in table.rows[0]]
    for k in range(width):
        if heads[k] in STRUCTURE_TRACK_LABELS | STRUCTURE_EQUIVALENT_LABELS:
            continue  # a column saying where each level sits, not its titles
        values = [cell.text.text for row in body for cell in (row[k],) if cell is not None and (k == 0 or cell is not row[k - 1])]
        if len(values) < 2:
            continue
        short = [v for v in values if len(v.split()) <= 8 and "\n" not in v]
        if len(short) < len(values) * 0.8:
            continue
        if sum(is_duration(v) for v in values) * 2 >= len(values):
            continue  # "1 year", "2–3 years": a time in level, numbered but no title
        code_share = sum(is_level_code(v) for v in values) / len(values)
        marked = sum(level_marker(v) for v in values) / len(values)
        if code_share >= 0.5:
            codes[k] = -1
            if sum(is_code(v) for v in values) / len(values) < 0.5:
                ranks.append(k)  # "Grade 2", "Band B": a title of its own where no column holds titles
        elif marked >= 0.5 and sum(1 for v in values if marked_by_words(v)) >= 2:
            titles.append(k)
    if not titles and ranks:
        titles = ranks[:1]
        del codes[ranks[0]]
    for code in list(codes):
        near = sorted(titles, key=lambda t: (abs(t - code), t))
        if near:
            codes[code] = near[0]
        else:
            del codes[code]
    grouped = _grouped_columns(table)
    if grouped is not None:
        return grouped
    top = [c.text.text for c in table.rows[0][1:] if c is not None] if header else []
    columns = len(top) >= 2 and sum(marked_by_words(t) for t in top) * 2 >= len(top) and not (titles and 0 in titles)
    if columns and 0 not in titles:
        return TableRole("columns", header=1)
    if len(titles) >= 2:
        return TableRole("mapping", titles, codes, header)
    if len(titles) == 1:
        role = TableRole("rows", titles, codes, header)
        if header:
            _structure_columns(table, role)
        return role
    return TableRole("prose", header=header)


def _grouped_columns(table: Table) -> TableRole | None:
    """Levels as columns under a row that groups them: a first row whose cells span several columns each (a track's
    name over its levels, as merged cells), over a row of distinct short titles most of which read like levels, the
    corner spanning both rows or empty in the second."""
    if len(table.rows) < 3 or len(table.rows[0]) < 3:
        return None
    top, titles = table.rows[0], table.rows[1]
    if any(c is None for c in top[1:]) or not any(top[k] is top[k + 1] for k in range(1, len(top) - 1)):
        return None
    if not all(c is not None and c is not top[k] for k, c in enumerate(titles[1:], start=1)):
        return None
    if len({id(c) for c in titles[1:]}) != len(titles) - 1 or (
        titles[0] is not top[0] and titles[0] is not None and titles[0].text.text.strip()
    ):
        return None
    names = [c.text.text for c in titles[1:] if c is not None]
    if not all(len(n.split()) <= 8 and "\n" not in n and n.strip() for n in names):
        return None
    if sum(marked_by_words(n) for n in names) * 2 < len(names):
        return None
    groups = [""] + [" ".join(c.text.text.split()) if c is not None else "" for c in top[1:]]
    return TableRole("columns", header=2, groups=groups)


def _structure_columns(table: Table, role: TableRole) -> None:
    """The columns of a table of levels as rows that say where each level sits: its track (short values, at least two
    of them, on most rows) and the levels it is equivalent to."""
    heads = [normalize(c.text.text) if c is not None else "" for c in table.rows[0]]
    body = table.rows[1:]
    for k, head in enumerate(heads):
        if k in role.title_columns or k in role.code_columns:
            continue
        values = [cell.text.text for row in body if k < len(row) for cell in (row[k],) if cell is not None]
        if head in STRUCTURE_TRACK_LABELS and role.track_column is None:
            short = [v for v in values if len(v.split()) <= 5 and "\n" not in v]
            if len(short) == len(values) and len(values) * 4 >= len(body) * 3 and len({normalize(v) for v in values}) >= 2:
                role.track_column = k
        elif head in STRUCTURE_EQUIVALENT_LABELS:
            role.equivalent_columns.append(k)


def table_level_names(table: Table, role: TableRole) -> list[str]:
    if role.kind == "columns":
        return [c.text.text for c in table.rows[max(role.header, 1) - 1][1:] if c is not None]
    if role.kind in {"rows", "mapping"} and role.title_columns:
        column = role.title_columns[0]
        return [cell.text.text for row in table.rows[role.header :] for cell in (row[column],) if cell is not None]
    return []


def header_rows(table: Table) -> int:
    if not table.rows:
        return 0
    first = [c for c in table.rows[0] if c is not None]
    if first and (all(c.header for c in first) or all(len(c.text.text.split()) <= 8 and "\n" not in c.text.text for c in first)):
        return 1
    return 0


def short_column(table: Table, column: int, header: int) -> bool:
    """A column of short values ("Their own desk", "2.5 - 3.0", "40 000 - 62 000"), not of sentences: shown as
    "Header: value"."""
    values = [cell.text.text for row in table.rows[header:] if column < len(row) for cell in (row[column],) if cell is not None]
    if not values:
        return False
    sentences = sum(1 for v in values if v.rstrip().endswith((".", "!", "?")))
    words = sum(sum(1 for w in v.split() if any(c.isalpha() for c in w)) for v in values)
    return words / len(values) <= 4 and sentences * 2 < len(values)


def navigation_runs(root: Section) -> list[list[tuple[str, str]]]:
    """Runs of links in a page's lists, paragraphs and table columns, in reading order (an index of level pages)."""
    runs: list[list[tuple[str, str]]] = []
    for section in root.walk():
        for block in section.blocks:
            if isinstance(block, ItemList):
                run = [link for item in block.items if item.text and item.text.navigation for link in item.text.links]
                if run:
                    runs.append(run)
            elif isinstance(block, Paragraph) and block.text.navigation:
                runs.append(list(block.text.links))
            elif isinstance(block, Table):
                width = len(block.rows[0]) if block.rows else 0
                for k in range(width):
                    run = [
                        link
                        for row in block.rows
                        for cell in (row[k],)
                        if cell is not None and cell.text.navigation
                        for link in cell.text.links
                    ]
                    if run:
                        runs.append(run)
    return runs
