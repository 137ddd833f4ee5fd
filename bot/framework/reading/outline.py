"""The outline of a document, as the Markdown and HTML readers both produce it.

A document is a flat list of blocks in reading order — headings, paragraphs, lists, tables, quotes, code and
markup — each with the lines it came from; :func:`sections` folds it into a tree by headings. The readers only
describe what the file holds; :mod:`bot.framework.reading.documents` decides what it means (levels, competencies,
prose) and places it into a Draft.

Every block knows its lines, so every word can be accounted for: placed, or listed as not placed at ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Union

from bot.framework.reading.diagrams import Diagram
from bot.framework.reading.draft import Piece, Where

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A career ladder page is tens of kilobytes; the longest published ones are under 100 KiB."""
MAX_DEPTH = 40
"""Nesting of lists, quotes and HTML elements: a ladder nests four or five deep."""
MAX_BLOCKS = 100_000
"""Paragraphs, list items, cells and headings in one document (a 200-level ladder holds a few thousand)."""
MAX_FRONT_MATTER = 64 * 1024
"""Characters of front matter: titles, numbers and short lists."""

_TEMPLATE = re.compile(
    r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|\{:[^}\n]*\}",
    re.DOTALL,
)
"""Hugo shortcodes, Liquid/Jinja tags and output, and kramdown attribute lists: instructions to a site generator."""


@dataclass
class Text:
    """Readable text with the lines it spans (1-based, inclusive)."""

    text: str
    first: int
    last: int
    label: str | None = None
    """The label of "**Label**: rest" (bold, then a colon or a dash), when the text opens with one."""
    rest: str = ""
    """What follows the label."""
    links: tuple[tuple[str, str], ...] = ()
    """(text, target) of each link in it."""
    navigation: bool = False
    """Made of links only (a menu, a list of pages)."""
    strong: bool = False
    """Bold from end to end (a pseudo-heading when short)."""
    lead: str | None = None
    """A short bold sentence the text opens with, more text after it ("**Switching tracks.** Moving from…"): a
    run-in title."""

    def piece(self, file: str, text: str | None = None) -> Piece:
        return Piece(self.text if text is None else text, where(file, self.first, self.last))


def where(file: str, first: int, last: int) -> Where:
    return Where(file, str(first) if last <= first else f"{first}-{last}")


@dataclass
class Heading:
    depth: int
    """1 for a top heading (# or <h1>), up to 6."""
    text: Text


@dataclass
class Paragraph:
    text: Text


@dataclass
class Code:
    """A code or preformatted block: its text is kept as written."""

    text: Text
    language: str = ""


@dataclass
class Item:
    text: Text | None
    """The item's first paragraph; None for an item that opens with a nested list or is empty."""
    blocks: list[Block] = field(default_factory=list)
    """What else the item holds: nested lists, more paragraphs."""


@dataclass
class ItemList:
    items: list[Item]
    ordered: bool = False


@dataclass(eq=False)
class Cell:
    text: Text
    parts: list[Text] = field(default_factory=list)
    """The paragraphs and list items inside the cell, each with its own lines (one part for a plain cell)."""
    header: bool = False


def cell_text(row: list[Cell | None], column: int) -> str | None:
    """The text of a table row's cell in ``column``; None where the table has no cell there."""
    cell = row[column]
    return cell.text.text if cell is not None else None


@dataclass
class Table:
    rows: list[list[Cell | None]]
    """A full grid: a cell spanning rows or columns appears in each place it covers (the same object); None where the
    table has no cell."""
    first: int
    last: int
    markup: list[Markup] = field(default_factory=list)
    """Template markup and comments found in its cells."""


@dataclass
class Quote:
    blocks: list[Block]
    callout: bool = False
    """A callout (Notion's ``<aside>``, a box set apart with an emoji): an aside to the text around it."""


@dataclass
class Markup:
    """Text that is not content: template code, comments, metadata, diagrams. Listed as not placed, with ``reason``."""

    text: str
    first: int
    last: int
    reason: str
    diagram: Diagram | None = None
    """What a diagram draws (which box leads to which), when the markup is one the reader could follow."""


Block = Union[Heading, Paragraph, Code, ItemList, Table, Quote, Markup]


@dataclass
class FrontValue:
    value: Any
    first: int
    last: int


@dataclass
class Document:
    path: Path
    file: str
    """The file as shown in places ("ladder.md:12")."""
    blocks: list[Block]
    front: dict[str, FrontValue] = field(default_factory=dict)
    """Front matter (or an HTML page's <title> and <meta> description), key -> value with its lines."""
    lines: int = 0


@dataclass
class Section:
    """A heading and what follows it up to the next heading of the same or a higher rank."""

    heading: Heading | None
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text.text if self.heading else ""

    @property
    def depth(self) -> int:
        return self.heading.depth if self.heading else 0

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


def sections(blocks: list[Block]) -> Section:
    """The document as a tree of sections under a root without a heading."""
    root = Section(None)
    stack = [root]
    for block in blocks:
        if isinstance(block, Heading):
            while stack[-1] is not root and stack[-1].depth >= block.depth:
                stack.pop()
            section = Section(block)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            stack[-1].blocks.append(block)
    return root


# -- text helpers the readers share ---------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_LABEL_END = re.compile(r"^\s*(?::|–|—|-(?=\s))\s*")
_NAV_FILLER = re.compile(r"^[\s|·•,;/\-–—>()\[\]]*$")


def tidy(text: str) -> str:
    """Spaces collapsed, lines trimmed, at most one blank line; line breaks the author made are kept."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def strip_template(text: str) -> tuple[str, list[str]]:
    """The text without site-generator markup, and the markup taken out (to list as not placed)."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        found.append(" ".join(match.group(0).split()))
        return " "

    return tidy(_TEMPLATE.sub(take, text)), found


def make_text(
    raw: str,
    first: int,
    last: int,
    bold_prefix: str | None = None,
    links: list[tuple[str, str]] | None = None,
    link_chars: int = 0,
) -> tuple[Text | None, list[str]]:
    """A :class:`Text` from rendered text (None when nothing readable is left), and the template markup removed.

    ``bold_prefix`` is the bold text the run opens with, if any (a label candidate); ``link_chars`` how many of its
    characters are link text (a run that is all links is navigation).
    """
    text, markup = strip_template(raw)
    if not text:
        return None, markup
    label, rest = None, ""
    if bold_prefix:
        bold = tidy(bold_prefix)
        inside = bold.split(":", 1)
        if len(inside) == 2 and inside[0].strip() and len(inside[0].split()) <= 8 and text.startswith(bold):
            label, rest = inside[0].strip(), (inside[1].strip() + " " + text[len(bold) :]).strip()
        elif bold and text.startswith(bold) and len(bold.split()) <= 8:
            after = _LABEL_END.match(text[len(bold) :])
            if after:
                label, rest = bold.rstrip(":").strip(), text[len(bold) + after.end() :].strip()
    links = links or []
    remainder = text
    for link_text, _target in links:
        remainder = remainder.replace(link_text, " ", 1)
    navigation = bool(links) and bool(_NAV_FILLER.match(remainder)) and link_chars > 0
    strong = bool(bold_prefix) and label is None and tidy(bold_prefix or "") == text
    lead = None
    if bold_prefix and label is None and not strong:
        bold = tidy(bold_prefix)
        if text.startswith(bold) and bold.endswith((".", "!", "?")) and len(bold.split()) <= 12 and text[len(bold) :].strip():
            lead = bold
    return Text(text, first, last, label, rest, tuple(links), navigation, strong, lead), markup


def iter_texts(blocks: list[Block]) -> Iterator[Text]:
    """Every text in ``blocks``, depth first, in reading order (headings, paragraphs, items, cell parts)."""
    for block in blocks:
        if isinstance(block, (Heading, Paragraph, Code)):
            yield block.text
        elif isinstance(block, ItemList):
            for item in block.items:
                if item.text:
                    yield item.text
                yield from iter_texts(item.blocks)
        elif isinstance(block, Quote):
            yield from iter_texts(block.blocks)
        elif isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row:
                    if cell is not None and id(cell) not in seen:
                        seen.add(id(cell))
                        yield from cell.parts or [cell.text]


def lines_of(blocks: list[Block]) -> set[int]:
    """The lines ``blocks`` account for (every text's lines and every markup's)."""
    covered: set[int] = set()
    for text in iter_texts(blocks):
        covered.update(range(text.first, text.last + 1))
    for markup in iter_markup(blocks):
        covered.update(range(markup.first, markup.last + 1))
    return covered


def iter_markup(blocks: list[Block]) -> Iterator[Markup]:
    for block in blocks:
        if isinstance(block, Markup):
            yield block
        elif isinstance(block, ItemList):
            for item in block.items:
                yield from iter_markup(item.blocks)
        elif isinstance(block, Quote):
            yield from iter_markup(block.blocks)
        elif isinstance(block, Table):
            yield from block.markup
