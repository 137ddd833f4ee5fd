"""Diagrams: the boxes and arrows of Mermaid and Graphviz flowcharts and of SVG drawings, bounded."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.reading.diagrams import MAX_EDGES, MAX_NODES, Diagram, svg_diagram, text_diagram


def arrows(diagram: Diagram | None) -> list[tuple[str, str, str, bool]]:
    assert diagram is not None
    name = {key: node.label or key for key, node in diagram.nodes.items()}
    return [(name[e.source], name[e.target], e.label, e.directed) for e in diagram.edges]


def test_mermaid_arrows_in_every_common_spelling() -> None:
    diagram = text_diagram(
        """
        %% the ladder
        flowchart LR
          J(["Junior"]) --> M{{Mid}} --> S[["Senior"]]
          S -- Manager track --> EM("Engineering Manager"):::mgr
          S -->|IC track| ST>Staff]
          ST -.-> P((Principal))
          EM ==> D[Director]
          A & B --- C
          X <-- Y
          classDef mgr fill:#fff
          style J fill:#f9f
          click EM "managers/em.md" "Engineering Manager's page"
          D@{ shape: rounded }
        """
    )
    assert arrows(diagram) == [
        ("Junior", "Mid", "", True),
        ("Mid", "Senior", "", True),
        ("Senior", "Engineering Manager", "Manager track", True),
        ("Senior", "Staff", "IC track", True),
        ("Staff", "Principal", "", True),
        ("Engineering Manager", "Director", "", True),
        ("A", "C", "", False),
        ("B", "C", "", False),
        ("Y", "X", "", True),
    ]
    assert diagram is not None and diagram.nodes["EM"].link == "managers/em.md"


def test_statements_on_one_line_and_a_config_block_before_the_chart() -> None:
    diagram = text_diagram("---\nconfig:\n  theme: neutral\n---\ngraph TD; A[One] --> B[Two]; B --> C[Three]")
    assert arrows(diagram) == [("One", "Two", "", True), ("Two", "Three", "", True)]


def test_graphviz_chains_labels_and_links() -> None:
    diagram = text_diagram(
        'digraph ladder {\n  rankdir=LR;\n  a [label="Engineer I" URL="e1.html"];\n  a -> b -> c [label="then"];\n'
        '  b [label="Engineer II"]\n  "c" [label="Staff Engineer"]\n}'
    )
    assert arrows(diagram) == [("Engineer I", "Engineer II", "then", True), ("Engineer II", "Staff Engineer", "then", True)]
    assert diagram is not None and diagram.nodes["a"].link == "e1.html"
    undirected = text_diagram("graph { x -- y }")
    assert arrows(undirected) == [("x", "y", "", False)]


def test_text_that_is_no_flowchart_draws_nothing() -> None:
    assert text_diagram("sequenceDiagram\n  Alice->>Bob: Hi") is None
    assert text_diagram("flowchart TD\n  A[Alone]") is None  # no arrow, no shape to read
    assert text_diagram("Senior --> Staff, said in prose") is None
    assert text_diagram("") is None


def svg(markup: str) -> Diagram | None:
    root = lxml.html.fragment_fromstring(markup)
    element = root if root.tag.endswith("svg") else root.find(".//svg")
    return svg_diagram(element)


def test_an_svg_drawing_joins_the_boxes_its_lines_touch() -> None:
    diagram = svg(
        """<svg viewBox="0 0 400 400">
          <rect x="0" y="0" width="400" height="400"/>
          <g transform="translate(100, 0)">
            <a href="#low"><rect x="0" y="300" width="80" height="40"/><text x="40" y="325">Low</text></a>
            <rect x="0" y="200" width="80" height="40"/><text x="40" y="225">High</text>
          </g>
          <circle cx="300" cy="220" r="30"/><text x="300" y="225">Side</text>
          <line x1="140" y1="300" x2="140" y2="244"/>
          <path d="M 180 220 L 270 220"/>
          <polyline points="140,340 140,390"/>
          <path d="M 140 200 C 140 100, 300 100, 300 190"/>
          <g transform="rotate(90)"><rect x="0" y="0" width="10" height="10"/><text x="5" y="5">Turned</text></g>
        </svg>"""
    )
    assert diagram is not None
    assert sorted(node.label for node in diagram.nodes.values()) == ["High", "Low", "Side"]
    assert arrows(diagram) == [("Low", "High", "", False), ("High", "Side", "", False)]
    assert next(n for n in diagram.nodes.values() if n.label == "Low").link == "#low"
    assert not diagram.keys_named  # the reader made the keys: they are no names of the author's


def test_a_drawing_without_joined_boxes_draws_nothing() -> None:
    assert svg('<svg><rect x="0" y="0" width="10" height="10"/><text x="5" y="5">Only</text></svg>') is None


def test_diagrams_are_bounded() -> None:
    chart = "flowchart TD\n" + "\n".join(f"N{k}[Node {k}] --> N{k + 1}" for k in range(MAX_NODES + 50))
    diagram = text_diagram(chart)
    assert diagram is not None and len(diagram.nodes) <= MAX_NODES and len(diagram.edges) <= MAX_EDGES


_PIECES = [*"AB[](){}<>-=.|&;:\"'x \n@%", "-->", "---", "flowchart TD\n", "digraph {"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_any_text_reads_without_error(text: str) -> None:
    diagram = text_diagram(text)
    assert diagram is None or all(e.source in diagram.nodes and e.target in diagram.nodes for e in diagram.edges)
