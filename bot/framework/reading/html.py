"""HTML pages (and the raw HTML inside Markdown) as an outline: headings, paragraphs, lists, tables, quotes.

Parsed with lxml's HTML parser, which reads the markup browsers read (unclosed tags, stray text). Line numbers come
from lxml's ``sourceline``. Scripts, styles, SVG drawings and comments are not content: they are listed as not placed.
Bounded: the file's size, the number of elements and how deeply they nest; past a bound the page is refused in one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from bot.framework.reading.diagrams import svg_diagram, text_diagram
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.front_matter import front_matter
from bot.framework.reading.outline import (
    MAX_BLOCKS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Block,
    Cell,
    Code,
    Document,
    FrontValue,
    Heading,
    Item,
    ItemList,
    Markup,
    Paragraph,
    Quote,
    Table,
    Text,
    iter_texts,
    make_text,
    strip_template,
    tidy,
)
from bot.framework.reading.page_chrome import CHROME, Content, chrome_of, clean_title, confluence_page, is_ui_line
from bot.user_files import FileTooLarge, read_at_most

MAX_ELEMENTS = 200_000
"""Elements in one page (a long ladder page holds a few thousand)."""
MAX_SPAN = 50
"""The most rows or columns one table cell may span (a wider span is read as this many)."""

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "font", "del", "ins", "label", "img", "tt",
    "big", "strike", "nobr", "output", "meter", "progress",
}  # fmt: skip
_NOT_CONTENT = {
    "script": "script markup (code, not text)",
    "style": "style sheet markup",
    "noscript": "markup for browsers without scripts",
    "template": "template markup",
    "svg": "drawing markup (SVG)",
    "math": "formula markup (MathML)",
    "canvas": "drawing markup (canvas)",
    "iframe": "embedded page markup",
    "object": "embedded object markup",
    "button": "page control markup",
    "select": "page control markup",
    "input": "page control markup",
    "textarea": "page control markup",
    "head": "page head markup",
}
WRAPPERS = {"div", "section", "article", "main", "aside", "header", "footer", "nav", "center", "details", "summary", "span", "p"}
"""Elements that only wrap text: a Markdown file's raw HTML made of these holds Markdown (kramdown's markdown="1")."""
_DIAGRAM_CLASSES = re.compile(r"\b(mermaid|plantuml|graphviz|diagram)\b", re.I)
_ICON_CLASSES = re.compile(r"(^|[\s_-])(material-icons|material-symbols[\w-]*|icons?|fa|fas|far|glyphicon)([\s_-]|$)", re.I)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
_CLASS_RULE = re.compile(r"(?<![\w-])\.([\w-]+)\s*\{([^{}]*)\}")
"""A style sheet's rule for one class alone (".c7{font-weight:700;…}"), as Google Docs writes its exports."""
_MAX_STYLE_CHARS = 200_000


_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)pt", re.I)
_MAX_HEADING_WORDS = 12


def heading_classes(root: lxml.html.HtmlElement) -> dict[str, int]:
    """Classes the page's style sheets make bold and larger than any text not bold, each with the depth of heading
    its size says (the largest 1): an export whose headings are paragraphs set in a large bold font (Google Docs
    text formatted by hand rather than with heading styles)."""
    sizes: dict[str, tuple[float, bool]] = {}
    for style in root.iterfind(".//style"):
        for match in _CLASS_RULE.finditer((style.text or "")[:_MAX_STYLE_CHARS]):
            size = _FONT_SIZE.search(match[2])
            if size:
                sizes[match[1]] = (float(size[1]), bool(_BOLD_STYLE.search(match[2])))
    body = max((size for size, bold in sizes.values() if not bold), default=None)
    if body is None:
        return {}
    larger = sorted({size for size, bold in sizes.values() if bold and size > body}, reverse=True)[:6]
    return {name: larger.index(size) + 1 for name, (size, bold) in sizes.items() if bold and size in larger}


def bold_classes(root: lxml.html.HtmlElement) -> frozenset[str]:
    """Classes the page's own style sheets make bold: an export that marks bold by class ("<span class="c7">")
    rather than with <b> or an inline style (Google Docs) says its labels, run-in titles and headings that way."""
    found: set[str] = set()
    for style in root.iterfind(".//style"):
        sheet = (style.text or "")[:_MAX_STYLE_CHARS]
        found |= {match[1] for match in _CLASS_RULE.finditer(sheet) if _BOLD_STYLE.search(match[2])}
    return frozenset(found)


def read_html(path: Path, draft: Draft) -> None:
    """Read an HTML page into ``draft`` (placed once every file is read: see :mod:`documents`)."""
    from bot.framework.reading.documents import add_document

    add_document(draft, html_document(path))


def html_document(path: Path, file: str | None = None) -> Document:
    """The outline of an HTML page; :class:`UnreadableFile` when it cannot be read or is past a bound."""
    file = file or str(path)
    try:
        data = read_at_most(path, MAX_FILE_BYTES, "a page of a career ladder")
    except FileTooLarge as exc:
        raise UnreadableFile(str(exc)) from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from None
    if not data.strip():
        raise UnreadableFile(f"{path} is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"{path} is not an HTML page (it holds binary data)")
    front: dict[str, FrontValue] = {}
    blocks: list[Block] = []
    if data.lstrip(b"\xef\xbb\xbf")[:3] in (b"---", b"+++"):  # a site generator's page: front matter, then HTML
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        if text:
            front, blocks, body_start = front_matter(text.replace("\r\n", "\n"))
            lines = text.replace("\r\n", "\n").split("\n")
            data = ("\n" * body_start + "\n".join(lines[body_start:])).encode("utf-8")  # lines keep their numbers
    encoding = None
    if not re.search(rb"<meta[^>]+charset", data[:4096], re.I):
        try:
            data.decode("utf-8")
            encoding = "utf-8"  # a page that does not say its encoding is read as UTF-8 when it is valid UTF-8
        except UnicodeDecodeError:
            encoding = None
    try:
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(recover=True, encoding=encoding))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"{path} is not a readable HTML page ({exc})") from None
    _check_size(root, path)
    title = root.find(".//title")
    if title is not None and tidy(title.text_content()) and "title" not in front:
        shown = clean_title(tidy(title.text_content()), confluence_page(root))
        shown = _without_space_after(shown, root) if confluence_page(root) else shown
        front["title"] = FrontValue(shown, title.sourceline or 1, title.sourceline or 1)
    for meta in root.iterfind(".//meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = tidy(meta.get("content") or "")
        if content and name in {"description", "og:description", "og:title", "keywords"} and name.replace("og:", "") not in front:
            line = meta.sourceline or 1
            front[name.replace("og:", "")] = FrontValue(content, line, line)
    body = root.find("body")
    body = body if body is not None else root
    converter = _Converter(path, content=Content(body), bold=bold_classes(root), headings=heading_classes(root))
    converted = converter.children(body, 0) if len(root) else []
    blocks += _cleaned_titles(converted) if confluence_page(root) else converted
    return Document(path, file, blocks, front, data.count(b"\n") + 1)


def _without_space_after(shown: str, root: lxml.html.HtmlElement) -> str:
    """A Confluence page's browser title ("Page - Space - Confluence") without the space's name after the page's,
    when the page's own heading names the page alone."""
    heading = root.find(".//h1")
    if heading is None:
        return shown
    page = clean_title(tidy(heading.text_content()), confluence=True)
    return page if page and shown.startswith(page + " - ") else shown


def _cleaned_titles(blocks: list[Block]) -> list[Block]:
    """A Confluence page's top heading without the space's name before the page's ("Space : Page"): that name is
    listed as chrome."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Heading) and block.depth == 1:
            cleaned = clean_title(block.text.text, confluence=True)
            if cleaned != block.text.text and block.text.text.endswith(cleaned):
                removed = block.text.text[: -len(cleaned)].strip(" :")
                block.text = Text(cleaned, block.text.first, block.text.last)
                out.append(Markup(removed, block.text.first, block.text.last, CHROME))
    return out


def html_blocks(source: str, first_line: int, path: Path) -> list[Block]:
    """The blocks of an HTML fragment (raw HTML inside Markdown) whose first line is ``first_line``."""
    try:
        wrapper = lxml.html.fragment_fromstring(source, create_parent="div", parser=lxml.html.HTMLParser(recover=True))
    except (lxml.etree.ParserError, ValueError):
        text, _ = strip_template(re.sub(r"<[^>]*>", " ", source))
        return (
            [Markup(text, first_line, first_line + source.count("\n"), "HTML markup the reader could not parse")] if text else []
        )
    _check_size(wrapper, path)
    return _Converter(path, first_line - 1).children(wrapper, 0)


def only_wrappers(source: str) -> bool:
    """Whether an HTML fragment is made only of wrapping elements around bare text (no lists, tables, headings)."""
    try:
        wrapper = lxml.html.fragment_fromstring(source, create_parent="div", parser=lxml.html.HTMLParser(recover=True))
    except (lxml.etree.ParserError, ValueError):
        return False
    for element in wrapper.iterdescendants():
        if not isinstance(element.tag, str):
            return False
        if element.tag.lower() not in WRAPPERS or _DIAGRAM_CLASSES.search(element.get("class") or ""):
            return False
    return True


def _check_size(root: lxml.html.HtmlElement, path: Path) -> None:
    count = 0
    for _element in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise UnreadableFile(f"{path} holds more than {MAX_ELEMENTS:,} HTML elements; a ladder page holds a few thousand")
    deepest = max((_depth(e) for e in root.iter() if len(e) == 0), default=0)
    if deepest > MAX_DEPTH * 2:
        raise UnreadableFile(f"{path} nests HTML elements more than {MAX_DEPTH * 2} deep; a ladder page nests a few levels")


def _depth(element: lxml.etree._Element | None) -> int:
    depth = 0
    while element is not None and depth <= MAX_DEPTH * 2 + 1:
        element = element.getparent()
        depth += 1
    return depth


def _tag(element: lxml.etree._Element | None) -> str:
    """An element's tag in lower case; "" for a comment, a processing instruction or no element (a root's parent)."""
    return element.tag.lower() if element is not None and isinstance(element.tag, str) else ""


class _Converter:
    """Elements to blocks; ``offset`` is added to lxml's line numbers (a fragment's place in its Markdown file)."""

    def __init__(
        self,
        path: Path,
        offset: int = 0,
        content: Content | None = None,
        bold: frozenset[str] = frozenset(),
        headings: dict[str, int] | None = None,
    ) -> None:
        self.path = path
        self.bold = bold
        """Classes the page's style sheets make bold."""
        self.headings = headings or {}
        """Classes the page's style sheets make bold and large, with the depth of heading each says."""
        self._bold_element: lxml.etree._Element | None = None
        self.offset = offset
        self.count = 0
        self.content = content
        """The page's marked content (a whole page's; None for a fragment in Markdown)."""
        self.in_title = 0
        """Inside an element outside the content that holds the page's title: its parts judged by their marks only."""

    def line(self, element: lxml.etree._Element) -> int:
        return (element.sourceline or 1) + self.offset

    def end_line(self, element: lxml.etree._Element) -> int:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return self.line(element) + (element.text or "").count("\n")
        return self.line(element) + "".join(element.itertext()).rstrip().count("\n")

    def children(self, parent: lxml.etree._Element, depth: int) -> list[Block]:
        """The blocks inside ``parent``: runs of inline content become paragraphs, block elements their own blocks."""
        if depth > MAX_DEPTH * 2:
            raise UnreadableFile(f"{self.path} nests HTML elements more than {MAX_DEPTH * 2} deep")
        blocks: list[Block] = []
        run: list[tuple[str | lxml.etree._Element, int]] = []
        if parent.text and parent.text.strip():
            run.append((parent.text, self._text_line(parent, parent.text, self.line(parent))))
        for child in parent:
            tag = _tag(child)
            if tag in _INLINE and tag != "img" or (tag == "img" and run):
                run.append((child, self.line(child)))
            else:
                self._flush(run, blocks)
                blocks += self.block(child, depth + 1)
            if child.tail and child.tail.strip():
                run.append((child.tail, self._text_line(child, child.tail, self.end_line(child))))
        self._flush(run, blocks)
        return blocks

    def _text_line(self, element: lxml.etree._Element, text: str, base: int) -> int:
        return base + text[: len(text) - len(text.lstrip())].count("\n")

    def _flush(self, run: list[tuple[str | lxml.etree._Element, int]], blocks: list[Block]) -> None:
        if not run:
            return
        parts: list[str] = []
        markup: list[Markup] = []
        links: list[tuple[str, str]] = []
        bold: list[str | None] = [None]
        self._bold_element = None
        first = run[0][1]
        for node, _line in run:
            if isinstance(node, str):
                parts.append(node)
            else:
                parts.append(self.inline(node, links, markup, bold if not "".join(parts).strip() else None))
        raw = "".join(parts)
        last = first + raw.strip().count("\n")
        link_chars = sum(len(t) for t, _ in links)
        text, template = make_text(raw, first, last, bold[0], links, link_chars)
        depth = self._heading_depth(text)
        if text and self.content is not None and is_ui_line(text.text):
            blocks.append(Markup(text.text, text.first, text.last, CHROME))
        elif text and depth:
            blocks.append(Heading(depth, text))
        elif text:
            blocks.append(Paragraph(text))
        blocks += [Markup(m, first, last, "template markup") for m in template]
        blocks += markup
        run.clear()

    def inline(
        self,
        element: lxml.etree._Element,
        links: list[tuple[str, str]],
        markup: list[Markup],
        bold: list[str | None] | None = None,
    ) -> str:
        """The readable text of an inline element (line breaks kept, comments and scripts taken out)."""
        self._count()
        tag = _tag(element)
        if not tag:
            if isinstance(element, lxml.etree._Comment) and (element.text or "").strip():
                markup.append(Markup(tidy(element.text or ""), self.line(element), self.line(element), "HTML comment markup"))
            return ""
        if tag in _NOT_CONTENT:
            words = tidy(" ".join(element.itertext()))
            if words:
                markup.append(Markup(words, self.line(element), self.end_line(element), _NOT_CONTENT[tag]))
            return ""
        if tag == "br":
            return "\n"
        if _ICON_CLASSES.search(element.get("class") or ""):
            words = tidy("".join(element.itertext()))
            if words:
                markup.append(Markup(words, self.line(element), self.line(element), "icon markup"))
            return ""
        if tag == "img":
            return element.get("alt") or ""
        out = [element.text or ""]
        for child in element:
            out.append(self.inline(child, links, markup))
            out.append(child.tail or "")
        text = "".join(out)
        if tag == "a" and tidy(text):
            links.append((tidy(text), element.get("href") or ""))
        if bold is not None and bold[0] is None and (tag in {"b", "strong"} or self._bold(element)):
            bold[0] = text
            self._bold_element = element
        return text

    def _heading_depth(self, text: Text | None) -> int | None:
        """The depth of heading a paragraph set wholly in a large bold class says, if it does."""
        if text is None or not text.strong or self._bold_element is None or not self.headings:
            return None
        if len(text.text.split()) > _MAX_HEADING_WORDS or "\n" in text.text.strip():
            return None
        depths = [self.headings[c] for c in (self._bold_element.get("class") or "").split() if c in self.headings]
        return min(depths) if depths else None

    def _bold(self, element: lxml.etree._Element) -> bool:
        if _BOLD_STYLE.search(element.get("style") or ""):
            return True
        return bool(self.bold) and not self.bold.isdisjoint((element.get("class") or "").split())

    def _count(self) -> None:
        self.count += 1
        if self.count > MAX_BLOCKS * 2:
            raise UnreadableFile(
                f"{self.path} holds more than {MAX_BLOCKS * 2:,} pieces of text; a ladder page holds a few thousand"
            )

    def text_of(self, element: lxml.etree._Element, markup: list[Markup]) -> Text | None:
        links: list[tuple[str, str]] = []
        bold: list[str | None] = [None]
        raw = self.inline(element, links, markup, bold)
        first = self._text_line(element, element.text or "", self.line(element))
        text, template = make_text(raw, first, first + raw.strip().count("\n"), bold[0], links, sum(len(t) for t, _ in links))
        markup += [Markup(m, first, first, "template markup") for m in template]
        return text

    def block(self, element: lxml.etree._Element, depth: int) -> list[Block]:
        self._count()
        tag = _tag(element)
        if not tag:
            if isinstance(element, lxml.etree._Comment) and (element.text or "").strip():
                line = self.line(element)
                return [
                    Markup(tidy(element.text or ""), line, line + (element.text or "").strip().count("\n"), "HTML comment markup")
                ]
            return []
        if tag in _NOT_CONTENT:
            words = tidy(" ".join(element.itertext()))
            drawn = svg_diagram(element) if tag == "svg" else None
            return [Markup(words, self.line(element), self.end_line(element), _NOT_CONTENT[tag], drawn)] if words else []
        outside = self.content is not None and self.content.outside(element) and not self.in_title
        if self.content is not None and chrome_of(element, outside):
            words = tidy(" ".join(element.itertext()))
            return [Markup(words, self.line(element), self.end_line(element), CHROME)] if words else []
        if outside and tag not in _HEADINGS:  # holds the page's title: its other parts are judged by their marks
            self.in_title += 1
            try:
                return self.children(element, depth)
            finally:
                self.in_title -= 1
        if _DIAGRAM_CLASSES.search(element.get("class") or ""):
            source = "".join(element.itertext())
            words = tidy(source)
            return (
                [Markup(words, self.line(element), self.end_line(element), "diagram markup", text_diagram(source))]
                if words
                else []
            )
        if tag in _HEADINGS:
            markup: list[Markup] = []
            text = self.text_of(element, markup)
            return [*([Heading(_HEADINGS[tag], text)] if text else []), *markup]
        if tag == "pre":
            raw = "".join(element.itertext())
            first = self.line(element)
            text, template = make_text(raw, first, first + raw.strip().count("\n"))
            return [
                *([Code(Text(raw.strip("\n"), first, text.last))] if text else []),
                *(Markup(m, first, first, "template markup") for m in template),
            ]
        if tag in {"ul", "ol", "menu"}:
            return [self.item_list(element, depth)]
        if tag == "dl":
            return [self.definitions(element)]
        if tag == "table":
            return [self.table(element, depth)]
        if tag == "blockquote":
            return [Quote(self.children(element, depth))]
        if tag == "aside" or (tag == "figure" and "callout" in (element.get("class") or "").split()):
            inner = self.children(element, depth)
            return [Quote(inner, callout=True)] if inner else []
        if tag in {"hr", "br", "img"}:
            alt = (element.get("alt") or element.get("title") or "").strip() if tag == "img" else ""
            return [Markup(alt, self.line(element), self.line(element), "image markup (its alternative text)")] if alt else []
        return self.children(element, depth)

    def _stray_text(self, table: lxml.etree._Element) -> list[Text]:
        """Text inside a table but outside its cells (a caption, words between rows)."""
        found: list[Text] = []
        for part in _table_parts(table):
            strays = [(part.text or "", self.line(part))]
            for child in part:
                if _tag(child) not in {"thead", "tbody", "tfoot", "tr", "td", "th", "col", "colgroup"}:
                    found += iter_texts(self.block(child, 1))  # a caption, or a heading or paragraph put inside it
                strays.append((child.tail or "", self.end_line(child)))
            for raw, line in strays:
                text, _template = make_text(raw, line, line + raw.strip().count("\n"))
                if text:
                    found.append(text)
        return found

    def item_list(self, element: lxml.etree._Element, depth: int) -> ItemList:
        items: list[Item] = [Item(t) for t in self._loose(element.text, self.line(element))]
        for child in element:
            if _tag(child) == "li":
                blocks = self.children(child, depth + 1)
                first = blocks[0] if blocks and isinstance(blocks[0], Paragraph) else None
                items.append(Item(first.text if first else None, blocks[1:] if first else blocks))
            else:
                blocks = self.block(child, depth + 1)
                if blocks:
                    items.append(Item(None, blocks))
            items += [Item(t) for t in self._loose(child.tail, self.end_line(child))]
        return ItemList(items, _tag(element) == "ol")

    def _loose(self, raw: str | None, line: int) -> list[Text]:
        """Text a list holds outside its items: read as an item of its own."""
        if not raw or not raw.strip():
            return []
        text, _template = make_text(raw, line, line + raw.strip().count("\n"))
        return [text] if text else []

    def definitions(self, element: lxml.etree._Element) -> ItemList:
        """<dl>: each term with its definitions, as labelled items."""
        items: list[Item] = [Item(t) for t in self._loose(element.text, self.line(element))]
        markup: list[Markup] = []
        for child in element:
            items += [Item(t) for t in self._loose(child.tail, self.end_line(child))]
            if _tag(child) not in {"dt", "dd"}:
                items += [Item(None, self.block(child, 1))]
                continue
            text = self.text_of(child, markup)
            if text is None:
                continue
            if _tag(child) == "dt" or not items:
                items.append(Item(text))
            else:
                items[-1].blocks.append(Paragraph(text))
        for item in items:  # a term and its definition read as one text, "term: definition"
            first = item.blocks[0] if item.blocks else None
            if item.text and isinstance(first, Paragraph):
                item.blocks.pop(0)
                term, definition = item.text, first.text
                item.text = Text(f"{term.text}: {definition.text}", term.first, definition.last, term.text, definition.text)
        if markup:
            items.append(Item(None, list(markup)))
        return ItemList(items)

    def table(self, element: lxml.etree._Element, depth: int) -> Table:
        grid: dict[tuple[int, int], Cell | None] = {}
        markup: list[Markup] = []
        rows = [[td for td in tr if _tag(td) in {"td", "th"}] for tr in element.iter("tr") if _nearest_table(tr) is element]
        orphans = [td for td in element.iter("td", "th") if _nearest_table(td) is element and _tag(td.getparent()) != "tr"]
        if orphans:  # cells the page put outside any row: a row of their own
            rows.append(orphans)
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                while (r, c) in grid:
                    c += 1
                blocks = self.children(td, depth + 1)
                parts = [t for t in _texts(blocks)]
                markup += [b for b in blocks if isinstance(b, Markup)]
                first = self.line(td)
                text = Text(
                    "\n".join(p.text for p in parts), parts[0].first if parts else first, parts[-1].last if parts else first
                )
                cell = Cell(text, parts, _tag(td) == "th") if parts else None
                rowspan, colspan = _span(td.get("rowspan")), _span(td.get("colspan"))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if r + dr < len(rows):
                            grid[(r + dr, c + dc)] = cell
                c += colspan
        width = max((c for _, c in grid), default=-1) + 1
        table_rows: list[list[Cell | None]] = [[grid.get((r, c)) for c in range(width)] for r in range(len(rows))]
        for stray in self._stray_text(element):  # a caption, or text the page put between rows: a row of its own
            table_rows.append([Cell(stray, [stray])] + [None] * max(0, width - 1))
        return Table(table_rows, self.line(element), self.end_line(element), markup)


def _table_parts(table: lxml.etree._Element) -> list[lxml.etree._Element]:
    """The table and the row groups and rows that belong to it (not to a table nested in a cell)."""
    parts = [table]
    for element in table.iter("thead", "tbody", "tfoot", "tr"):
        if _nearest_table(element) is table:
            parts.append(element)
    return parts


def _nearest_table(element: lxml.etree._Element) -> lxml.etree._Element | None:
    parent = element.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


def _texts(blocks: list[Block]) -> list[Text]:
    return list(iter_texts(blocks))
