"""HTML ladders (pages exported from Confluence, Notion, Google Docs, or written by hand): the same conventions as
Markdown, read from headings, lists and tables; scripts, styles, drawings and comments listed, never pasted."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.names import normalize
from bot.framework.reading.draft import Draft
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.html import MAX_ELEMENTS, html_document, read_html
from bot.framework.reading.outline import MAX_FILE_BYTES, Heading, ItemList, Paragraph, Table
from tests.document_drafts import read, titles


def expectation(draft: Draft, track: str, title: str, competency: str) -> list[str]:
    [found] = [t for t in draft.tracks if normalize(t.name) == normalize(track)]
    [level] = [lv for lv in found.levels if lv.title == title]
    return [p.text for p in level.expectations[normalize(competency)]]


EXPORTED_PAGE = """
    <!DOCTYPE html>
    <html>
    <head>
      <meta charset="utf-8">
      <title>Engineering Levels</title>
      <style>h1 { color: red }</style>
      <script>var levels = ["Junior"];</script>
    </head>
    <body>
      <h1>Engineering Levels</h1>
      <p>How engineers grow at <a href="https://example.com">Example</a>.</p>
      <!-- last edited by the people team -->
      <h2>Junior Engineer</h2>
      <p>Learns the codebase.</p>
      <ul>
        <li><strong>Communication</strong>: Asks for help early.</li>
        <li><strong>Delivery:</strong> Ships small tasks.</li>
      </ul>
      <h2>Senior Engineer (L3)</h2>
      <p>Leads projects.</p>
      <ul>
        <li><b>Communication</b>: Explains trade-offs.<ul><li>Writes design notes.</li></ul></li>
        <li><b>Delivery</b>: Ships projects end to end.</li>
      </ul>
      <h2>Switching tracks</h2>
      <p>Moving to management starts with a conversation.</p>
      <svg><text>Junior</text><text>Senior</text></svg>
    </body>
    </html>
    """


def test_an_exported_page_with_a_heading_per_level(tmp_path: Path) -> None:
    draft = read(tmp_path, {"levels.html": EXPORTED_PAGE})
    assert titles(draft, "Engineering") == ["Junior Engineer", "Senior Engineer"]
    assert expectation(draft, "Engineering", "Junior Engineer", "Delivery") == ["Ships small tasks."]
    assert expectation(draft, "Engineering", "Senior Engineer", "Communication") == [
        "Explains trade-offs.",
        "Writes design notes.",
    ]
    [senior] = [lv for lv in draft.tracks[0].levels if lv.title == "Senior Engineer"]
    assert senior.aliases == ["L3"]
    assert [(s.title, s.kind) for s in draft.sections] == [("Switching tracks", "switching")]
    reasons = {e.reason for e in draft.ledger.unplaced}
    assert reasons == {"HTML comment markup", "drawing markup (SVG)"}  # script and style live in the head: not text
    assert all("var levels" not in e.piece.text for e in draft.ledger.entries)
    assert check_framework_text(draft.yaml()).errors == []


def test_tables_with_spanning_cells_levels_as_columns(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "matrix.html": """
                <html><body>
                <h1>Platform Ladder</h1>
                <table>
                  <thead><tr><th>Skill</th><th>Engineer I</th><th>Engineer II</th><th>Senior Engineer</th></tr></thead>
                  <tbody>
                    <tr><td colspan="4">Craft</td></tr>
                    <tr><td>Testing</td><td>Writes unit tests.</td><td colspan="2">Designs test strategy.</td></tr>
                    <tr><td rowspan="2">Operations</td><td>Reads dashboards.</td><td>Owns alerts.</td><td>Runs incidents.</td></tr>
                  </tbody>
                </table>
                </body></html>
                """
        },
    )
    assert titles(draft, "Platform") == ["Engineer I", "Engineer II", "Senior Engineer"]
    assert expectation(draft, "Platform", "Senior Engineer", "Testing") == ["Designs test strategy."]
    assert expectation(draft, "Platform", "Engineer II", "Testing") == ["Designs test strategy."]  # the span covers both
    assert draft.competencies["testing"].group == "Craft"  # a row with only its first cell is a category
    assert expectation(draft, "Platform", "Engineer I", "Operations") == ["Reads dashboards."]
    assert draft.ledger.unplaced == []


def test_levels_as_rows_with_a_code_column_and_definition_lists(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.html": """
                <h2>Managers</h2>
                <table>
                  <tr><td>Level</td><td>Title</td><td>People</td></tr>
                  <tr><td>M1</td><td>Engineering Manager</td><td>Runs one team and hires for it.</td></tr>
                  <tr><td>M2</td><td>Senior Engineering Manager</td><td>Runs several teams through managers.</td></tr>
                </table>
                <h2>Glossary of competencies</h2>
                <dl><dt>People</dt><dd>Growing the people around you.</dd></dl>
                """
        },
    )
    assert titles(draft, "Managers") == ["Engineering Manager", "Senior Engineering Manager"]
    [manager] = [t for t in draft.tracks if t.name == "Managers"]
    assert [lv.aliases for lv in manager.levels] == [["M1"], ["M2"]]
    assert [p.text for p in draft.competencies["people"].description] == ["Growing the people around you."]


def test_front_matter_of_a_site_generators_html_page_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("---\nlayout: default\ntitle: Career Plan\n---\n\n<h2>Roles</h2>\n<p>Two roles.</p>\n", encoding="utf-8")
    document = html_document(path)
    assert document.front["title"].value == "Career Plan"
    heading, paragraph = [b for b in document.blocks if isinstance(b, (Heading, Paragraph))]
    assert (heading.text.first, paragraph.text.first) == (6, 7)


def test_a_page_without_its_encoding_stated_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes("<h2>Níveis de contribuição</h2><ul><li>Júnior</li></ul>".encode())
    document = html_document(path)
    assert isinstance(document.blocks[0], Heading) and document.blocks[0].text.text == "Níveis de contribuição"
    assert isinstance(document.blocks[1], ItemList) and document.blocks[1].items[0].text.text == "Júnior"  # type: ignore[union-attr]


def test_icons_and_controls_are_markup(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text('<p><span class="material-icons">groups</span> Leads people</p><button>Filter</button>', encoding="utf-8")
    document = html_document(path)
    paragraphs = [b.text.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["Leads people"]


def test_a_cell_with_a_list_keeps_each_item(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text(
        "<table>\n<tr><td>A</td><td>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</td></tr>\n</table>\n", encoding="utf-8"
    )
    [table] = [b for b in html_document(path).blocks if isinstance(b, Table)]
    cell = table.rows[0][1]
    assert cell is not None and [(p.text, p.first) for p in cell.parts] == [("one", 4), ("two", 5)]


# -- bounds -----------------------------------------------------------------------------------------------


def test_a_page_past_the_size_bound_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(b"<p>x</p>" * (MAX_FILE_BYTES // 8 + 10))
    with pytest.raises(UnreadableFile) as caught:
        read_html(path, Draft())
    assert "\n" not in str(caught.value) and "larger than" in str(caught.value)


def test_too_many_elements_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.html"
    many.write_bytes(b"<html><body>" + b"<i></i>" * (MAX_ELEMENTS + 10) + b"</body></html>")
    with pytest.raises(UnreadableFile, match="HTML elements"):
        read_html(many, Draft())
    deep = tmp_path / "deep.html"
    deep.write_bytes(b"<div>" * 150 + b"deep" + b"</div>" * 150)
    with pytest.raises(UnreadableFile) as caught:
        read_html(deep, Draft())
    assert "\n" not in str(caught.value) and "deep" in str(caught.value)


def test_empty_and_binary_pages_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"  \n")
    with pytest.raises(UnreadableFile, match="empty"):
        read_html(tmp_path / "empty.html", Draft())
    (tmp_path / "bin.html").write_bytes(b"\x00\x01PK" * 100)
    with pytest.raises(UnreadableFile, match="binary"):
        read_html(tmp_path / "bin.html", Draft())


_HTML = st.sampled_from(
    [
        "<h1>", "</h1>", "<h2>", "</h2>", "<p>", "</p>", "<ul>", "<li>", "</li>", "</ul>", "<table>", "<tr>", "<td>",
        "<td rowspan=3>", "<td colspan=99999>", "</td>", "</tr>", "</table>", "<!--", "-->", "<b>", "</b>", ":", "<br>",
        "<script>", "</script>", "<svg>", "<dl><dt>", "<dd>", "Senior", "Engineer", "Level 2", "Junior", "text", "\n",
        "{% x %}", "&nbsp;", "<blockquote>", "日本", "<div markdown=1>", "</div>",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_HTML, max_size=60).map("".join))
def test_any_html_reads_or_is_refused_in_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.html"
    path.write_text(text, encoding="utf-8")
    draft = Draft()
    try:
        read_html(path, draft)
        draft.finish()
        draft.yaml()
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
        return
    read_words = {e.piece.text for e in draft.ledger.entries}
    for word in ("Senior", "Junior", "text"):
        if word in text and "<script>" not in text and "<svg>" not in text and "<!--" not in text:
            assert any(word in w for w in read_words), (word, text)


CONFLUENCE_GRADES = """
    <html><head><title>Support : Care Career Framework</title></head><body>
    <h1 id="title-heading"><span id="title-text">Support : Care Career Framework</span></h1>
    <div id="main-content" class="wiki-content group">
    <p>Our support grades.</p>
    <div class="toc-macro"><ul class="toc-indentation">
      <li><a href="#p-Gradesataglance">Grades at a glance</a></li>
      <li><a href="#p-Competencies">Competencies</a>
        <ul class="toc-indentation">
          <li><a href="#p-Empathy">Empathy</a></li>
          <li><a href="#p-Quality">Quality</a></li>
        </ul>
      </li>
    </ul></div>
    <h2 id="p-Gradesataglance">Grades at a glance</h2>
    <table class="confluenceTable"><tbody>
      <tr><th>Grade</th><th>Role title</th><th>In one sentence</th><th>Typical time in grade</th></tr>
      <tr><td>Grade 4</td><td>Customer Care Advisor</td><td>Answers everyday questions.</td><td>12–18 months</td></tr>
      <tr><td>Grade 5</td><td>Customer Care Specialist</td><td>Handles escalated cases.</td><td>18–24 months</td></tr>
      <tr><td>Grade 6</td><td>Customer Care Lead</td><td>Owns an area's quality.</td><td><br/></td></tr>
    </tbody></table>
    <h2 id="p-Competencies">Competencies</h2>
    <p>What we expect at each grade.</p>
    <h3 id="p-Empathy">Empathy</h3>
    <table class="confluenceTable"><tbody>
      <tr><th>Grade</th><th>What good looks like</th></tr>
      <tr><td>Grade 4</td><td>Listens for the real problem.</td></tr>
      <tr><td>Grade 5</td><td>De-escalates angry customers.</td></tr>
      <tr><td>Grade 6</td><td>Spots patterns across tickets.</td></tr>
    </tbody></table>
    <h3 id="p-Quality">Quality</h3>
    <table class="confluenceTable"><tbody>
      <tr><th>Grade</th><th>What good looks like</th></tr>
      <tr><td>Grade 4</td><td>Meets the response target.</td></tr>
      <tr><td>Grade 5</td><td>Owns escalated tickets.</td></tr>
      <tr><td>Grade 6</td><td>Runs the quality review.</td></tr>
    </tbody></table>
    </div>
    </body></html>
    """


def test_a_grade_column_beside_role_titles_is_their_codes_not_a_track(tmp_path: Path) -> None:
    """ "Grade | Role title | In one sentence | Typical time in grade": "Grade 4" is the code of the title beside it (one
    track, the grades as aliases), not a second track of levels mapped across; the sentences and times are kept."""
    draft = read(tmp_path, {"care.html": CONFLUENCE_GRADES})
    assert [t.name for t in draft.tracks] == ["Customer Care"]
    assert titles(draft, "Customer Care") == ["Customer Care Advisor", "Customer Care Specialist", "Customer Care Lead"]
    [advisor, specialist, senior] = draft.tracks[0].levels
    assert advisor.aliases == ["Grade 4"]
    assert [p.text for p in advisor.fields["typical_time_in_level"]] == ["12–18 months"]
    assert [p.text for p in specialist.fields["summary"]] == ["Handles escalated cases."]  # "In one sentence"
    assert senior.aliases == ["Grade 6"] and specialist.aliases == ["Grade 5"]


def test_sub_headings_per_competency_over_tables_keyed_by_grade_codes(tmp_path: Path) -> None:
    """Under a "Competencies" heading, an <h3> per competency over a Grade | text table: each row is that grade's
    expectation of the competency; every header and key cell is accounted for, and the table of contents' nested
    links are navigation, not text left over."""
    draft = read(tmp_path, {"care.html": CONFLUENCE_GRADES})
    assert expectation(draft, "Customer Care", "Customer Care Advisor", "Empathy") == ["Listens for the real problem."]
    assert expectation(draft, "Customer Care", "Customer Care Lead", "Quality") == ["Runs the quality review."]
    navigation = {e.piece.text for e in draft.ledger.unplaced if e.reason.startswith("navigation")}
    assert navigation == {"Competencies", "Empathy", "Grades at a glance", "Quality"}
    assert {e.reason.split()[0] for e in draft.ledger.unplaced} == {"navigation", "page"}  # and the page's own title
    assert check_framework_text(draft.yaml()).errors == []


def test_a_column_of_bare_grades_with_no_title_column_is_still_the_levels(tmp_path: Path) -> None:
    """ "Grade 1", "Grade 2" beside descriptions only: the grades are the levels (codes only when titles sit beside)."""
    draft = read(
        tmp_path,
        {
            "grades.html": """
                <h1>Support Grades</h1>
                <table>
                  <tr><th>Grade</th><th>Description</th></tr>
                  <tr><td>Grade 1</td><td>Answers common questions.</td></tr>
                  <tr><td>Grade 2</td><td>Handles escalations.</td></tr>
                </table>
                """
        },
    )
    assert [lv.title for t in draft.tracks for lv in t.levels] == ["Grade 1", "Grade 2"]


SALES_OVERVIEW = """
    <html><head><title>Sales : Sales Levels</title></head><body>
    <div id="main-content" class="wiki-content group">
    <h2>Overview</h2>
    <table class="confluenceTable"><tbody>
    <tr><th>Level</th><th>Job title</th><th>Summary</th><th>Time in level</th></tr>
    <tr><td>Level 1</td><td>Sales Development Rep</td><td>Books meetings.</td><td>1 year</td></tr>
    <tr><td>Level 2</td><td>Account Executive</td><td>Closes deals.</td><td>2 years</td></tr>
    <tr><td>Level 3</td><td>Senior Account Executive</td><td>Closes large deals.</td><td>3 years</td></tr>
    </tbody></table>
    <h2>Prospecting</h2>
    <table class="confluenceTable"><tbody>
    <tr><th>Role</th><th>Expectation</th></tr>
    <tr><td>Sales Development Rep</td><td>Researches accounts.</td></tr>
    <tr><td>Account Executive</td><td>Builds a pipeline.</td></tr>
    <tr><td>Senior Account Executive</td><td>Builds strategic pipeline.</td></tr>
    </tbody></table>
    <h2>Negotiation</h2>
    <table class="confluenceTable"><tbody>
    <tr><th>Level</th><th>Expectation</th></tr>
    <tr><td>Level 1</td><td>Handles objections.</td></tr>
    <tr><td>Level 2</td><td>Negotiates terms.</td></tr>
    <tr><td>Level 3</td><td>Negotiates multi-year contracts.</td></tr>
    </tbody></table>
    </div></body></html>
    """


def test_an_overview_heading_names_no_track_and_a_heading_over_level_expectation_names_the_competency(
    tmp_path: Path,
) -> None:
    """ "Overview" over the table of levels is no track's name (the page's title is); "Negotiation" over a Level |
    Expectation table keyed by the levels' grades is the competency the rows are expectations of."""
    draft = read(tmp_path, {"sales.html": SALES_OVERVIEW})
    assert [t.name for t in draft.tracks] == ["Sales"]
    assert expectation(draft, "Sales", "Account Executive", "Negotiation") == ["Negotiates terms."]
    assert expectation(draft, "Sales", "Account Executive", "Prospecting") == ["Builds a pipeline."]
    assert "expectation" not in draft.competencies


NOTION_HTML = """
    <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/><title>Support Career Ladder</title></head><body><article id="abc" class="page sans"><header><h1 class="page-title">Support Career Ladder</h1><table class="properties"><tbody><tr class="property-row"><th>Owner</th><td>Support Ops</td></tr><tr class="property-row"><th>Status</th><td>Published</td></tr></tbody></table></header><div class="page-body">
    <h2 id="1">S1 · Support Agent</h2>
    <ul class="toggle"><li><details open=""><summary>Tickets</summary><p>Answers common tickets from macros.</p></details></li></ul>
    <ul class="toggle"><li><details open=""><summary>Product</summary><p>Knows the main screens.</p></details></li></ul>
    <h2 id="2">S2 · Senior Support Agent</h2>
    <ul class="toggle"><li><details open=""><summary>Tickets</summary><p>Solves tickets that need logs.</p></details></li></ul>
    <ul class="toggle"><li><details open=""><summary>Product</summary><p>Explains every setting.</p></details></li></ul>
    <figure class="block-color-gray_background callout" style="white-space:pre-wrap;display:flex"><div style="font-size:1.5em"><span class="icon">🚀</span></div><div style="width:100%">Promotions are reviewed every quarter by the support leads.</div></figure>
    </div></article></body></html>
    """


def test_a_notion_html_export_toggles_callout_and_properties(tmp_path: Path) -> None:
    """Notion's HTML export: a toggle per competency (``<details><summary>Tickets</summary><p>…``), a callout
    (``<figure class="callout">``) that is a section of its own, and the page's properties table listed as chrome,
    never the track's description."""
    draft = read(tmp_path, {"support.html": NOTION_HTML})
    [track] = draft.tracks
    assert [lv.aliases for lv in track.levels] == [["S1"], ["S2"]]
    assert expectation(draft, track.name, "S2 · Senior Support Agent", "Tickets") == ["Solves tickets that need logs."]
    assert [(s.title, s.kind) for s in draft.sections] == [("Promotions", "promotion")]
    assert not track.description
    assert any("Support Ops" in e.piece.text for e in draft.ledger.unplaced if e.reason.startswith("page chrome"))


DOCS_EXPORT = """
    <html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type"><style type="text/css">.k1{font-weight:400;font-size:10pt}.k2{padding-top:12pt}.k3{color:#333;font-weight:700;font-size:14pt}.k4{font-weight:700;font-size:10pt}</style></head>
    <body class="doc-content"><p class="k2"><span class="k3">Our grades</span></p>
    <p><span class="k4">Grade 1 &ndash; Kitchen Porter.</span><span class="k1">&nbsp;Keeps the kitchen clean.</span></p>
    <p><span class="k4">Grade 2 &ndash; Commis Chef.</span><span class="k1">&nbsp;Preps one section.</span></p>
    <p class="k2"><span class="k3">What every grade looks like</span></p>
    <table><tr><td><p><span class="k4">Skill</span></p></td><td><p><span class="k4">Grade 1</span></p></td><td><p><span class="k4">Grade 2</span></p></td></tr>
    <tr><td><p><span class="k4">Hygiene</span></p></td><td><p><span class="k1">Washes down every hour.</span></p></td><td><p><span class="k1">Keeps the section's temperature log.</span></p></td></tr></table>
    <p class="k2"><span class="k3">How promotion works</span></p><p><span class="k1">Ask your head chef at the monthly review.</span></p>
    </body></html>
    """


def test_a_google_docs_export_bold_by_class_heading_paragraphs_and_run_in_level_titles(tmp_path: Path) -> None:
    """Bold said by the page's style sheet (".k3{font-weight:700}") makes short paragraphs headings and opening
    sentences run-in titles; "Grade 1 – Kitchen Porter." names the level the table knows as "Grade 1"; a heading that
    only says the table describes the grades names no track."""
    path = tmp_path / "export.html"
    path.write_text(DOCS_EXPORT, encoding="utf-8")
    doc = html_document(path)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].lead == "Grade 1 – Kitchen Porter."  # bold by class: a run-in title
    assert [b.text.text for b in doc.blocks if isinstance(b, Heading)][0] == "Our grades"
    draft = read(tmp_path, {"kitchen.html": DOCS_EXPORT})
    assert [t.name for t in draft.tracks] != ["What every grade looks like"]
    [track] = draft.tracks
    assert [lv.title for lv in track.levels] == ["Kitchen Porter", "Commis Chef"]
    assert "Grade 1" in track.levels[0].aliases
    assert [p.text for p in track.levels[1].expectations["hygiene"]] == ["Keeps the section's temperature log."]
    assert [p.text for p in track.levels[1].fields["summary"]] == ["Preps one section."]
    assert any(s.kind == "promotion" for s in draft.sections)


def test_a_confluence_browser_title_names_the_page_without_its_space(tmp_path: Path) -> None:
    """A Confluence page saved from the browser: "Page - Space - Confluence" as its title, "Space : Page" as its
    heading; the page's name is the ladder's, the space's name is the export's (never "Kitchen Grades - People Space")."""
    page = """
        <html><head><title>Kitchen Grades - People Space - Confluence</title></head><body>
        <h1 id="title-heading" class="pagetitle"><span id="title-text">People Space : Kitchen Grades</span></h1>
        <div id="main-content" class="wiki-content group">
        <h2>K1 — Porter</h2><p>Keeps the kitchen clean.</p>
        <h2>K2 — Commis</h2><p>Preps one section.</p>
        </div></body></html>
        """
    draft = read(tmp_path, {"grades.html": page})
    assert [t.name for t in draft.tracks] == ["Kitchen"]  # "Grades" says what the page lists, not the track


def test_large_bold_paragraphs_of_an_export_are_headings_by_their_size(tmp_path: Path) -> None:
    """Headings formatted by hand in Google Docs are paragraphs in a bold class larger than the body text: the
    largest is the page's title (depth 1), the next its sections (depth 2); bold at the body's size is no heading."""
    page = DOCS_EXPORT.replace(".k4{", ".k5{font-weight:700;font-size:20pt}.k4{").replace(
        '<body class="doc-content">', '<body class="doc-content"><p><span class="k5">Kitchen Brigade Grades</span></p>'
    )
    path = tmp_path / "export.html"
    path.write_text(page, encoding="utf-8")
    headings = [(b.depth, b.text.text) for b in html_document(path).blocks if isinstance(b, Heading)]
    assert headings == [
        (1, "Kitchen Brigade Grades"),
        (2, "Our grades"),
        (2, "What every grade looks like"),
        (2, "How promotion works"),
    ]
    draft = read(tmp_path, {"kitchen.html": page})
    assert [lv.title for t in draft.tracks for lv in t.levels] == ["Kitchen Porter", "Commis Chef"]
