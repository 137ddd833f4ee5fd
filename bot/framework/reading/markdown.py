"""Markdown pages as an outline: CommonMark (markdown-it-py) with GitHub's tables, front matter, and raw HTML.

Front matter (YAML between ``---`` lines, or TOML between ``+++``) gives a page's title, its level number and lists such
as ``levels:``. Raw HTML blocks are read by the HTML reader (many ladders embed a ``<table>``); HTML that only wraps
Markdown (kramdown's ``markdown="1"``) is read as the Markdown it wraps. Formatting becomes plain text: a link is its
text, bold is its words. Site-generator markup (Hugo shortcodes, Liquid tags, kramdown attribute lists) is taken out
of the text and listed as not placed, and so is any line the parser gives no block for (link definitions), so every
line with words is accounted for.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.framework.reading.diagrams import text_diagram
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.front_matter import front_matter
from bot.framework.reading.html import html_blocks, only_wrappers
from bot.framework.reading.outline import (
    MAX_BLOCKS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Block,
    Cell,
    Code,
    Document,
    Heading,
    Item,
    ItemList,
    Markup,
    Paragraph,
    Quote,
    Table,
    Text,
    lines_of,
    make_text,
    tidy,
)
from bot.user_files import FileTooLarge, NotText, csv_text, read_at_most

_ADVICE = "save it as UTF-8 text"
_DIAGRAM_LANGUAGES = {"mermaid", "plantuml", "puml", "dot", "graphviz", "flowchart", "sequence"}
_WORDS = re.compile(r"\w")
_TAG = re.compile(r"<[^>\n]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|\w+);", re.I)
_NESTED_MARKDOWN = 3
"""How many times raw HTML wrapping Markdown may wrap more of it."""


def read_markdown(path: Path, draft: Draft) -> None:
    """Read a Markdown page into ``draft`` (placed once every file is read: see :mod:`documents`)."""
    from bot.framework.reading.documents import add_document

    add_document(draft, markdown_document(path))


def markdown_document(path: Path, file: str | None = None) -> Document:
    """The outline of a Markdown page; :class:`UnreadableFile` when it cannot be read or is past a bound."""
    file = file or str(path)
    try:
        data = read_at_most(path, MAX_FILE_BYTES, "a page of a career ladder")
        text = csv_text(data, path, _ADVICE)
    except (FileTooLarge, NotText) as exc:
        raise UnreadableFile(str(exc)) from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None
    if "\x00" in text:
        raise UnreadableFile(f"{path} is not a text file (it holds binary data)")
    return parse_markdown(text, path, file)


MAX_INLINE_MARKS = 20_000
"""Emphasis, link and code marks (* _ [ ] < `) in one page: a ladder page has a few thousand, and markdown-it's emphasis
rule works harder than in proportion to them (600 KB of "*a_" took 15 s and 1.2 GB)."""
_INLINE_MARKS = re.compile(r"[*_\[\]<`]")


def parse_markdown(text: str, path: Path, file: str | None = None) -> Document:
    marks = sum(1 for _ in itertools.islice(_INLINE_MARKS.finditer(text), MAX_INLINE_MARKS + 1))
    if marks > MAX_INLINE_MARKS:
        raise UnreadableFile(
            f"{path} holds more than {MAX_INLINE_MARKS:,} emphasis, link and code marks; a ladder page holds a few thousand"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, blocks, body_start = front_matter(text)
    lines = text.split("\n")
    body = "\n".join(lines[body_start:])
    blocks += _Converter(path).convert(body, body_start, 0)
    _account_for_every_line(lines, blocks, body_start)
    return Document(path, file or str(path), blocks, front, len(lines))


def _account_for_every_line(lines: list[str], blocks: list[Block], body_start: int) -> None:
    """Lines with words that no block accounts for (link definitions, markup the parser swallowed) become markup;
    front matter lines are accounted for by the front matter's values."""
    covered = lines_of(blocks) | set(range(1, body_start + 1))
    start = None
    for index, line in enumerate(lines + [""], start=1):
        has_words = bool(_WORDS.search(_ENTITY.sub(" ", _TAG.sub(" ", line)))) and index not in covered
        if has_words and start is None:
            start = index
        elif not has_words and start is not None:
            words = tidy("\n".join(lines[start - 1 : index - 1]))
            blocks.append(Markup(words, start, index - 1, "markup the page does not show (link definitions)"))
            start = None


class _Converter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.parser = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH + 10}).enable("table")
        self.count = 0

    def convert(self, source: str, offset: int, nesting: int) -> list[Block]:
        tokens = self.parser.parse(source)
        if any(token.nesting == 1 and token.level >= MAX_DEPTH for token in tokens) or len(tokens) > MAX_BLOCKS * 4:
            deep = len(tokens) <= MAX_BLOCKS * 4
            raise UnreadableFile(
                f"{self.path} nests lists or quotes more than {MAX_DEPTH // 2} deep; a ladder nests a few levels"
                if deep
                else f"{self.path} holds more than {MAX_BLOCKS:,} pieces of text; a ladder page holds a few thousand"
            )
        self.offset = offset
        self.nesting = nesting
        blocks, _ = self.blocks(tokens, 0, None)
        return blocks

    def _lines(self, token: Token) -> tuple[int, int]:
        start, end = token.map or (0, 1)
        return start + 1 + self.offset, max(start + 1, end) + self.offset

    def _count(self) -> None:
        self.count += 1
        if self.count > MAX_BLOCKS:
            raise UnreadableFile(f"{self.path} holds more than {MAX_BLOCKS:,} pieces of text; a ladder page holds a few thousand")

    def blocks(self, tokens: list[Token], i: int, close: str | None) -> tuple[list[Block], int]:
        """Blocks from ``tokens[i:]`` up to the token of type ``close`` (its index is returned with them)."""
        out: list[Block] = []
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if close and kind == close:
                return out, i
            self._count()
            if kind == "heading_open":
                text, markup = self.inline(tokens[i + 1])
                if text:
                    out.append(Heading(int(token.tag[1]), text))
                out += markup
                i += 3
            elif kind == "paragraph_open":
                inline = tokens[i + 1]
                if _only_images(inline):
                    first, last = self._lines(inline)
                    alt = tidy(" ".join(c.content for c in inline.children or [] if c.type == "image"))
                    if alt:
                        out.append(Markup(alt, first, last, "image markup (its alternative text)"))
                else:
                    text, markup = self.inline(inline)
                    if text:
                        out.append(Paragraph(text))
                    out += markup
                i += 3
            elif kind in {"bullet_list_open", "ordered_list_open"}:
                items: list[Item] = []
                i += 1
                while tokens[i].type == "list_item_open":
                    inner, i = self.blocks(tokens, i + 1, "list_item_close")
                    lead = inner[0] if inner and isinstance(inner[0], Paragraph) else None
                    items.append(Item(lead.text if lead else None, inner[1:] if lead else inner))
                    i += 1
                out.append(ItemList(items, kind == "ordered_list_open"))
                i += 1
            elif kind == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(Quote(inner))
                i += 1
            elif kind in {"fence", "code_block"}:
                out += self.code(token)
                i += 1
            elif kind == "html_block":
                out += self.html(token)
                i += 1
            elif kind == "table_open":
                table, i = self.table(tokens, i)
                out.append(table)
            else:  # hr, and closing tokens of structures handled above
                i += 1
        return out, i

    def code(self, token: Token) -> list[Block]:
        first, last = self._lines(token)
        language = (token.info or "").split()[0].lower() if (token.info or "").strip() else ""
        content = token.content.rstrip("\n")
        if not content.strip():
            return []
        if language in _DIAGRAM_LANGUAGES:
            return [Markup(tidy(content), first, last, f"diagram markup ({language})", text_diagram(content, language))]
        return [Code(Text(content, first, last), language)]

    def html(self, token: Token) -> list[Block]:
        first, last = self._lines(token)
        content = token.content
        if content.lstrip().startswith("<!--"):
            return self._comment(content, first, last)
        if only_wrappers(content) and self.nesting < _NESTED_MARKDOWN:
            # kramdown and friends: <div markdown="1"> holds Markdown; read the lines between the tags as Markdown
            source = "\n".join(_TAG.sub("", line) if _TAG.sub("", line).strip() else "" for line in content.split("\n"))
            saved = (self.offset, self.nesting)
            blocks = self.convert(source, first - 1, self.nesting + 1)
            self.offset, self.nesting = saved
            if content.lstrip()[:6].lower() == "<aside" and blocks:
                return [Quote(blocks, callout=True)]  # a Notion callout
            return blocks
        return html_blocks(content, first, self.path)

    def _comment(self, content: str, first: int, last: int) -> list[Block]:
        """An HTML comment block; anything after its end on the block's lines is read as HTML."""
        end = content.find("-->")
        comment = content[: end + 3] if end >= 0 else content
        blocks: list[Block] = []
        words = tidy(comment.removeprefix("<!--").removesuffix("-->").strip())
        if words:
            blocks.append(Markup(words, first, first + comment.rstrip().count("\n"), "HTML comment markup"))
        rest = content[len(comment) :]
        if rest.strip():
            blocks += html_blocks(rest, first + comment.count("\n"), self.path)
        return blocks

    def table(self, tokens: list[Token], i: int) -> tuple[Table, int]:
        first, last = self._lines(tokens[i])
        rows: list[list[Cell | None]] = []
        markup: list[Markup] = []
        i += 1
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "tr_open":
                row: list[Cell | None] = []
                i += 1
                while tokens[i].type != "tr_close":
                    if tokens[i].type in {"th_open", "td_open"}:
                        header = tokens[i].type == "th_open"
                        text, cell_markup = self.inline(tokens[i + 1])
                        markup += cell_markup
                        row.append(Cell(text, [text], header) if text else None)
                        i += 3
                    else:
                        i += 1
                rows.append(row)
            i += 1
        width = max((len(r) for r in rows), default=0)
        return Table([r + [None] * (width - len(r)) for r in rows], first, last, markup), i + 1

    def inline(self, token: Token) -> tuple[Text | None, list[Markup]]:
        """Plain text of an inline token: links as their text, emphasis as its words, line breaks where the author broke
        a line; HTML comments and template markup are taken out (and returned as markup)."""
        first, last = self._lines(token)
        out: list[str] = []
        links: list[tuple[str, str]] = []
        markup: list[Markup] = []
        bold: str | None = None
        bold_from: int | None = None
        link_from: int | None = None
        href = ""
        link_chars = 0
        for child in token.children or []:
            kind = child.type
            if kind in {"text", "code_inline", "text_special"}:
                out.append(child.content)
            elif kind == "softbreak":
                out.append(" ")  # a line wrapped in the source, not a break the reader sees
            elif kind == "hardbreak":
                out.append("\n")
            elif kind == "image":
                out.append(child.content)
            elif kind == "html_inline":
                tag = child.content.strip().lower()
                if tag.startswith("<!--"):
                    words = tidy(tag.removeprefix("<!--").removesuffix("-->"))
                    if words:
                        markup.append(Markup(words, first, last, "HTML comment markup"))
                elif tag.startswith("<br"):
                    out.append("\n")
            elif kind == "strong_open" and bold is None and not "".join(out).strip():
                bold_from = len(out)
            elif kind == "strong_close" and bold_from is not None and bold is None:
                bold = "".join(out[bold_from:])
            elif kind == "link_open":
                link_from, href = len(out), str(child.attrGet("href") or "")
            elif kind == "link_close" and link_from is not None:
                words = tidy("".join(out[link_from:]))
                if words:
                    links.append((words, href))
                    link_chars += len(words)
                link_from = None
        text, template = make_text("".join(out), first, last, bold, links, link_chars)
        markup += [Markup(m, first, last, "template markup") for m in template]
        return text, markup


def _only_images(token: Token) -> bool:
    children = token.children or []
    return any(c.type == "image" for c in children) and all(
        c.type in {"image", "softbreak", "hardbreak"} or (c.type == "text" and not c.content.strip()) for c in children
    )
