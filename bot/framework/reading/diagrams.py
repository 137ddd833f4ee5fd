"""Diagrams of a ladder: which box leads to which, as a flowchart or a drawing shows it.

A diagram is not prose (the readers list its text as markup), but it often is the one place a ladder's shape is
drawn: a trunk of levels that forks into an individual contributor's track and a manager's. Three kinds are read:

- Mermaid flowcharts (``flowchart TD`` / ``graph LR``): nodes ``ID["Label"]``, arrows ``A --> B``, ``A -- text --> B``,
  ``A -->|text| B``, ``A --- B`` (a line without a head), ``A & B --> C``, and ``click ID "page"`` links;
- Graphviz ``digraph`` / ``graph``: ``A -> B [label="…"]``, ``A [label="…" URL="…"]``;
- SVG drawings: a box (``rect``, ``circle``, ``ellipse``) with a ``text`` inside it is a node, a ``line`` (or a straight
  ``polyline``/``path``) whose two ends touch two boxes joins them (without a head: which way it goes is for the
  reader of the ladder to decide from the levels' order).

Only the shape is read here; which level a node is, is decided where the levels are known
(:mod:`bot.framework.reading.documents.forks`). Bounded: at most :data:`MAX_NODES` nodes, :data:`MAX_EDGES` edges
and :data:`MAX_STATEMENTS` statements of a flowchart, and :data:`MAX_DRAWN` boxes (twice as many texts and lines) of
a drawing are read; past them the diagram is read as far as that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_NODES = 2_000
"""Boxes in one diagram (a ladder's has tens)."""
MAX_EDGES = 5_000
MAX_STATEMENTS = 20_000
"""Lines (or ``;``-separated statements) of one flowchart read."""
MAX_DRAWN = 400
"""Boxes, texts and lines each read from one SVG drawing (each line's ends are matched against every box)."""
_TOUCH = 6.0
"""How far (in the drawing's units) a line's end may stop short of a box and still touch it."""


@dataclass
class Node:
    key: str
    label: str = ""
    link: str = ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    directed: bool = True
    """False for a line without a head (``A --- B``, an SVG line): it joins the two, which way is not drawn."""


@dataclass
class Diagram:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    keys_named: bool = True
    """Whether the nodes' keys are the author's ("SE4" in a flowchart), not made by the reader (a drawing's boxes)."""

    def node(self, key: str, label: str = "") -> Node | None:
        if key not in self.nodes:
            if len(self.nodes) >= MAX_NODES:
                return None
            self.nodes[key] = Node(key)
        node = self.nodes[key]
        if label and not node.label:
            node.label = label
        return node

    def join(self, source: str, target: str, label: str = "", directed: bool = True) -> None:
        if source != target and len(self.edges) < MAX_EDGES:
            self.edges.append(Edge(source, target, label, directed))


def text_diagram(text: str, language: str = "") -> Diagram | None:
    """The diagram a flowchart's text draws (Mermaid or Graphviz, told by its first statement), None for any other
    text or one without arrows."""
    body = _without_config(text)
    head = next((line.strip() for line in body.split("\n") if line.strip()), "")
    if re.match(r"^(?:flowchart|graph)(?:\s+(?:TB|TD|BT|RL|LR))?\s*(?:;.*)?$", head, re.I):
        diagram = _mermaid(body)
    elif re.match(r"^(?:strict\s+)?(?:di)?graph\b[^{]*\{", head, re.I) or language in {"dot", "graphviz"}:
        diagram = _dot(body)
    else:
        return None
    return diagram if diagram.edges else None


def _without_config(text: str) -> str:
    """A Mermaid diagram's ``---`` front matter (its configuration) and ``%%`` comments taken out."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((k for k, line in enumerate(lines) if line.strip()), 0)
    if lines and start < len(lines) and lines[start].strip() == "---":
        end = next((k for k in range(start + 1, len(lines)) if lines[k].strip() == "---"), None)
        if end is not None:
            lines = lines[end + 1 :]
    return "\n".join(line for line in lines if not line.strip().startswith("%%"))


# -- Mermaid --------------------------------------------------------------------------------------------------------

_ID = r"[^\W\d][\w.]*|\d[\w.]*"
_SHAPE = (
    r"\[\[.*?\]\]|\[\(.*?\)\]|\(\[.*?\]\)|\(\(\(.*?\)\)\)|\(\(.*?\)\)|\{\{.*?\}\}|\[/.*?[/\\]\]|\[\\.*?[/\\]\]"
    r"|\[.*?\]|\(.*?\)|\{.*?\}|>.*?\]"
)
_NODE = re.compile(rf"\s*(?P<id>{_ID})(?P<shape>{_SHAPE})?(?::::[\w-]+)?\s*")
_AMPERSAND = re.compile(r"\s*&\s*")
_LINK = re.compile(
    r"\s*(?:(?P<open>--|==|-\.)\s*(?P<mid>[^\s\->=.|][^|]*?)\s*)?"
    r"(?P<arrow><?(?:-{2,}|={2,}|-?\.+-?|~{3,})(?P<head>[>xo])?)"
    r"\s*(?:\|(?P<pipe>[^|]*)\|)?\s*"
)
_CLICK = re.compile(r"^click\s+(\S+)\s+(?:href\s+)?[\"']([^\"']+)[\"']", re.I)
_SKIP = re.compile(r"^(?:classDef|class|style|linkStyle|subgraph|end|direction|accTitle|accDescr|click)\b", re.I)
_MARKUP = re.compile(r"<[^>]*>")


def _mermaid(text: str) -> Diagram:
    diagram = Diagram()
    statements = [s for line in text.split("\n") for s in _statements(line)]
    for statement in statements[1:MAX_STATEMENTS]:  # the first is the header
        click = _CLICK.match(statement)
        if click:
            node = diagram.node(click.group(1))
            if node is not None and not node.link:
                node.link = click.group(2)
            continue
        if _SKIP.match(statement) or "@{" in statement and "-" not in statement.split("@{", 1)[0]:
            continue
        _mermaid_statement(statement, diagram)
    return diagram


def _statements(line: str) -> list[str]:
    """A line's statements: split at ``;`` outside quotes and brackets."""
    out, depth, quoted, start = [], 0, False, 0
    for k, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "[({":
            depth += 1
        elif not quoted and char in "])}":
            depth = max(0, depth - 1)
        elif char == ";" and not quoted and depth == 0:
            out.append(line[start:k])
            start = k + 1
    out.append(line[start:])
    return [s.strip() for s in out if s.strip()]


def _mermaid_statement(statement: str, diagram: Diagram) -> None:
    statement = statement.split("@{", 1)[0]
    at, sources = _node_group(statement, 0, diagram)
    for _step in range(MAX_EDGES):  # a chain of arrows is read as far as the diagram's bound
        if not sources:
            return
        link = _LINK.match(statement, at)
        if link is None or not link.group("arrow"):
            return
        at, targets = _node_group(statement, link.end(), diagram)
        if not targets:
            return
        arrow = link.group("arrow")
        label = _label(link.group("mid") or link.group("pipe") or "")
        backwards = arrow.startswith("<") and not link.group("head")
        directed = bool(link.group("head")) or arrow.startswith("<")
        for source in sources:
            for target in targets:
                if backwards:
                    diagram.join(target, source, label, True)
                else:
                    diagram.join(source, target, label, directed)
        sources = targets


def _node_group(statement: str, at: int, diagram: Diagram) -> tuple[int, list[str]]:
    """``A["x"] & B`` from ``at``: where it ends, and the nodes' keys (each recorded with its label)."""
    keys: list[str] = []
    while True:
        match = _NODE.match(statement, at)
        if match is None:
            return at, keys
        node = diagram.node(match.group("id"), _label(match.group("shape") or ""))
        if node is not None:
            keys.append(node.key)
        at = match.end()
        more = _AMPERSAND.match(statement, at)
        if more is None or not more.group().strip():
            return at, keys
        at = more.end()


def _label(shape: str) -> str:
    """A node's or an arrow's words: its brackets, quotes and markup taken out."""
    text = shape.strip().strip("[](){}>/\\").strip().strip("\"'`").strip()
    text = _MARKUP.sub(" ", text.replace("<br>", " ").replace("<br/>", " "))
    text = re.sub(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}", "", text)
    return " ".join(text.split())


# -- Graphviz -------------------------------------------------------------------------------------------------------

_DOT_ID = r'"(?:[^"\\]|\\.)*"|[\w.]+'
_DOT_ATTR = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,;\]]+)')
_DOT_CHAIN = re.compile(rf"^\s*(?P<first>{_DOT_ID})(?P<rest>(?:\s*(?:->|--)\s*(?:{_DOT_ID}))*)\s*(?P<attrs>\[.*\])?\s*$", re.S)


def _dot(text: str) -> Diagram:
    diagram = Diagram()
    body = text.split("{", 1)[1].rsplit("}", 1)[0] if "{" in text else text
    for statement in [s for line in body.split("\n") for s in _statements(line)][:MAX_STATEMENTS]:
        match = _DOT_CHAIN.match(statement)
        if match is None or match.group("first").lower() in {"node", "edge", "graph", "subgraph", "rankdir"}:
            continue
        attrs = {k.lower(): _unquote(v) for k, v in _DOT_ATTR.findall(match.group("attrs") or "")}
        keys = [_unquote(match.group("first"))] + [_unquote(k) for k in re.findall(_DOT_ID, match.group("rest") or "")]
        if len(keys) == 1:
            node = diagram.node(keys[0], attrs.get("label", ""))
            if node is not None and not node.link:
                node.link = attrs.get("url", attrs.get("href", ""))
            continue
        directed = "->" in (match.group("rest") or "")
        for source, target in zip(keys, keys[1:], strict=False):
            if diagram.node(source) is not None and diagram.node(target) is not None:
                diagram.join(source, target, attrs.get("label", ""), directed)
    return diagram


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\n", " ")
    return " ".join(value.split())


# -- SVG ------------------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:px)?\s*$")
_TRANSLATE = re.compile(r"^\s*translate\(\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?\s*\)\s*$")
_PATH_POINTS = re.compile(r"^[MLml\s\d.,-]+$")


@dataclass
class _Box:
    left: float
    top: float
    right: float
    bottom: float
    link: str
    words: list[str] = field(default_factory=list)

    def holds(self, x: float, y: float, margin: float = 0.0) -> bool:
        return self.left - margin <= x <= self.right + margin and self.top - margin <= y <= self.bottom + margin

    @property
    def area(self) -> float:
        return (self.right - self.left) * (self.bottom - self.top)


def svg_diagram(svg: Any) -> Diagram | None:
    """The boxes of an SVG drawing (an lxml element) and the lines joining them; None when no line joins two boxes."""
    boxes: list[_Box] = []
    texts: list[tuple[float, float, str]] = []
    ends: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for element in svg.iter():
        tag = _svg_tag(element)
        if tag not in {"rect", "circle", "ellipse", "text", "line", "polyline", "path"}:
            continue
        offset = _offset(element, svg)
        if offset is None:
            continue
        dx, dy = offset
        if tag == "rect" and len(boxes) < MAX_DRAWN:
            x, y, w, h = (_coordinate(element, k) for k in ("x", "y", "width", "height"))
            if w is not None and h is not None:
                x, y = x or 0.0, y or 0.0
                boxes.append(_Box(x + dx, y + dy, x + dx + w, y + dy + h, _link(element)))
        elif tag in {"circle", "ellipse"} and len(boxes) < MAX_DRAWN:
            cx, cy = _coordinate(element, "cx") or 0.0, _coordinate(element, "cy") or 0.0
            rx = _coordinate(element, "r" if tag == "circle" else "rx")
            ry = _coordinate(element, "r" if tag == "circle" else "ry")
            if rx is not None and ry is not None:
                boxes.append(_Box(cx + dx - rx, cy + dy - ry, cx + dx + rx, cy + dy + ry, _link(element)))
        elif tag == "text" and len(texts) < MAX_DRAWN * 2:
            words = " ".join(" ".join(element.itertext()).split())
            x, y = _coordinate(element, "x"), _coordinate(element, "y")
            if words and x is not None and y is not None:
                texts.append((x + dx, y + dy, words))
        elif tag != "text" and len(ends) < MAX_DRAWN * 2:
            points = _points(element, tag)
            if points:
                (x1, y1), (x2, y2) = points
                ends.append(((x1 + dx, y1 + dy), (x2 + dx, y2 + dy)))
    for x, y, words in texts:
        holding = [b for b in boxes if b.holds(x, y)]
        if holding:
            min(holding, key=lambda b: b.area).words.append(words)
    named = [b for b in boxes if b.words]
    diagram = Diagram(keys_named=False)
    keys = {id(box): f"box{k + 1}" for k, box in enumerate(named)}
    for box in named:
        node = diagram.node(keys[id(box)], " ".join(box.words))
        if node is not None:
            node.link = box.link
    for start, end in ends:
        first, second = _box_at(named, *start), _box_at(named, *end)
        if first is not None and second is not None and first is not second:
            diagram.join(keys[id(first)], keys[id(second)], directed=False)
    return diagram if diagram.edges else None


def _svg_tag(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _coordinate(element: Any, name: str) -> float | None:
    match = _NUMBER.match(element.get(name) or "")
    return float(match.group(1)) if match else None


def _offset(element: Any, root: Any) -> tuple[float, float] | None:
    """Where the element's own coordinates sit in the drawing: the sum of the translations above it; None under any
    other transform (a rotated or scaled part is not read)."""
    dx = dy = 0.0
    node = element
    while node is not None:
        transform = (node.get("transform") or "").strip() if isinstance(node.tag, str) else ""
        if transform:
            match = _TRANSLATE.match(transform)
            if match is None:
                return None
            dx, dy = dx + float(match.group(1)), dy + float(match.group(2) or 0)
        if node is root:
            break
        node = node.getparent()
    return dx, dy


def _link(element: Any) -> str:
    node = element.getparent()
    while node is not None:
        if _svg_tag(node) == "a":
            return node.get("href") or node.get("{http://www.w3.org/1999/xlink}href") or ""
        node = node.getparent()
    return ""


def _points(element: Any, tag: str) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The two ends of a straight line, a polyline, or a path drawn only with move and line commands."""
    if tag == "line":
        x1, y1, x2, y2 = (_coordinate(element, k) for k in ("x1", "y1", "x2", "y2"))
        if x1 is None or y1 is None or x2 is None or y2 is None:
            return None
        return (x1, y1), (x2, y2)
    raw = element.get("points") if tag == "polyline" else element.get("d")
    if not raw or (tag == "path" and (not _PATH_POINTS.match(raw) or re.search(r"[ml]", raw))):
        return None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", raw)]
    if len(numbers) < 4 or len(numbers) % 2:
        return None
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def _box_at(boxes: list[_Box], x: float, y: float) -> _Box | None:
    holding = [b for b in boxes if b.holds(x, y, _TOUCH)]
    return min(holding, key=lambda b: b.area) if holding else None
