"""Documents, round 3: a column naming each level's track (and a trunk that forks), equivalents said in a column or a
sentence, metadata lines on level pages, headings named like level fields, headings that only group labelled items,
the chrome exported pages carry, the framework's name from a page's title, and the kinds of prose in six languages."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel
from bot.framework.reading.meta_lines import meta_pairs
from bot.framework.reading.page_chrome import CHROME, clean_title, is_ui_line
from bot.framework.reading.titles import section_kind
from bot.questions.answers import Answerer
from messages.render import Renderer
from tests.document_drafts import level, read, titles, track


def equivalent_titles(lv: DraftLevel) -> list[str]:
    return [e.title if isinstance(e, DraftLevel) else e for e in lv.equivalents]


def all_text(draft: Draft) -> str:
    """Everything the draft would write as framework text."""
    return draft.yaml().split("\nname:", 1)[1]


def unplaced(draft: Draft, reason: str) -> list[str]:
    return [e.piece.text for e in draft.ledger.unplaced if e.reason == reason]


# -- a column naming each level's track ----------------------------------------------------------------------------

FORKING_TABLE_HTML = """
    <html><head><title>Design Ladder</title></head><body>
    <h1>Design Ladder</h1>
    <p>Designers start on common steps, then choose a path.</p>
    <table>
      <tr><th>Code</th><th>Title</th><th>Path</th><th>Craft</th><th>Influence</th></tr>
      <tr><td>D1</td><td>Junior Designer</td><td>Common</td><td>Follows the kit.</td><td>Their own screens.</td></tr>
      <tr><td>D2</td><td>Designer</td><td>Common</td><td>Extends the kit.</td><td>A feature.</td></tr>
      <tr><td>D3</td><td>Lead Designer</td><td>Practitioner</td><td>Shapes the kit.</td><td>A product.</td></tr>
      <tr><td>D4</td><td>Principal Designer</td><td>Practitioner</td><td>Owns the kit.</td><td>All products.</td></tr>
      <tr><td>K3</td><td>Design Manager</td><td>People leader</td><td>Reviews the kit.</td><td>A team.</td></tr>
      <tr><td>K4</td><td>Head of Design</td><td>People leader</td><td>Funds the kit.</td><td>The studio.</td></tr>
    </table>
    </body></html>
"""


def test_a_track_column_puts_each_level_on_its_track_and_a_shared_start_forks(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.html": FORKING_TABLE_HTML})
    assert titles(draft, "Common") == ["Junior Designer", "Designer"]
    assert titles(draft, "Practitioner") == ["Lead Designer", "Principal Designer"]
    assert titles(draft, "People leader") == ["Design Manager", "Head of Design"]
    top_of_trunk = level(draft, "Common", "Designer")
    assert track(draft, "Practitioner").starts_after is top_of_trunk
    assert track(draft, "People leader").starts_after is top_of_trunk
    assert track(draft, "Common").starts_after is None
    # the Path cells say where a level sits: no summary and no competency made of them
    assert "summary" not in level(draft, "Practitioner", "Lead Designer").fields
    assert "path" not in draft.competencies
    assert check_framework_text(draft.yaml()).errors == []


def test_a_track_column_in_markdown_without_a_fork_when_the_tracks_run_side_by_side(tmp_path: Path) -> None:
    page = """
        # Support Ladder

        | Level | Title | Track | Customers |
        |---|---|---|---|
        | S1 | Support Agent | Frontline | Answers tickets. |
        | S2 | Senior Support Agent | Frontline | Answers hard tickets. |
        | S3 | Support Specialist | Frontline | Owns a product area. |
        | T1 | Support Team Lead | Leadership | Runs a shift. |
        | T2 | Support Manager | Leadership | Runs the desk. |
    """
    draft = read(tmp_path, {"support.md": page})
    assert titles(draft, "Frontline") == ["Support Agent", "Senior Support Agent", "Support Specialist"]
    assert titles(draft, "Leadership") == ["Support Team Lead", "Support Manager"]
    # T1 does not start one step above S3, and Frontline is not named as shared: no fork is made up
    assert track(draft, "Leadership").starts_after is None


def test_an_equivalent_column_names_equivalents(tmp_path: Path) -> None:
    page = """
        # Data Ladder

        | Title | Track | Equivalent | Scope |
        |---|---|---|---|
        | Junior Analyst | Analysis | | Reports |
        | Senior Analyst | Analysis | Analytics Lead | Dashboards |
        | Analytics Lead | Leadership | Senior Analyst | A team |
    """
    draft = read(tmp_path, {"data.md": page})
    assert equivalent_titles(level(draft, "Analysis", "Senior Analyst")) == ["Analytics Lead"]
    assert "equivalent" not in draft.competencies
    document = draft.document()
    [analysis] = [t for t in document["tracks"] if t["name"] == "Analysis"]
    assert analysis["levels"][1]["equivalent"] == "analytics_lead"


# -- equivalents said in a sentence --------------------------------------------------------------------------------

SAID = """
    # Ops Ladder

    A T3 and a W3 stand at the same level and share a band, and so do T4 and W4. T2 is not equivalent to W3.

    ## Technician track

    ### T2 – Technician
    Fixes machines.

    ### T3 – Senior Technician
    Fixes any machine.

    ### T4 – Lead Technician
    Plans repairs.

    ## Warehouse track

    ### W3 – Warehouse Supervisor
    Runs a shift.

    ### W4 – Warehouse Manager
    Runs the site.
"""


def test_a_sentence_pairing_levels_as_the_same_level_names_them_equivalent(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ops.md": SAID})
    senior = level(draft, "Technician", "Senior Technician")
    lead = level(draft, "Technician", "Lead Technician")
    supervisor = level(draft, "Warehouse", "Warehouse Supervisor")
    manager = level(draft, "Warehouse", "Warehouse Manager")
    assert any(e is supervisor for e in senior.equivalents) or any(e is senior for e in supervisor.equivalents)
    assert any(e is manager for e in lead.equivalents) or any(e is lead for e in manager.equivalents)
    technician = level(draft, "Technician", "Technician")
    assert technician.equivalents == []  # "T2 is not equivalent to W3": a negation names nothing
    assert check_framework_text(draft.yaml()).errors == []


def test_a_sentence_naming_one_level_names_no_equivalent(tmp_path: Path) -> None:
    page = SAID.replace(
        "A T3 and a W3 stand at the same level and share a band, and so do T4 and W4. T2 is not equivalent to W3.",
        "A shift coordinator is at the same level as a T3.",
    )
    draft = read(tmp_path, {"ops.md": page})
    assert all(not lv.equivalents for t in draft.tracks for lv in t.levels)


# -- metadata lines on level pages ---------------------------------------------------------------------------------

LEVEL_PAGES = {
    "ladder/README.md": """
        # Finance Careers

        Levels for the finance team.
    """,
    "ladder/acct/f1.md": """
        # F1 – Accountant

        **Track:** Accounting · **Band:** 2 · **Owner:** Finance ops

        You keep the books for one entity.

        ## Scope

        One legal entity.

        ## Expectations

        - **Accuracy:** Closes the month without errors.
        - **Accounting:** Books transactions under the group's policy.
    """,
    "ladder/acct/f2.md": """
        # F2 – Senior Accountant

        **Track:** Accounting · **Band:** 3

        You keep the books for a region.

        ## Scope

        A region of entities.

        ## Expectations

        - **Accuracy:** Reviews others' closes.
        - **Accounting:** Writes the group's policy for a region.
    """,
    "ladder/ctrl/c1.md": """
        # C1 – Finance Controller

        **Track:** Controlling · **Band:** 3

        You own the numbers of a business unit.

        ## Scope

        A business unit.

        ## Expectations

        - **Accuracy:** Signs off the unit's results.
    """,
}


def test_metadata_lines_name_the_track_and_band_and_are_no_competency(tmp_path: Path) -> None:
    draft = read(tmp_path, LEVEL_PAGES)
    assert titles(draft, "Accounting") == ["Accountant", "Senior Accountant"]  # not the folder's "Acct"
    assert titles(draft, "Controlling") == ["Finance Controller"]
    assert "track" not in draft.competencies and "band" not in draft.competencies
    senior = level(draft, "Accounting", "Senior Accountant")
    controller = level(draft, "Controlling", "Finance Controller")
    assert any(e is senior for e in controller.equivalents)  # band 3 on both tracks
    assert unplaced(draft, "front matter markup (page metadata)") == ["Owner: Finance ops"]
    for lv in (senior, controller):
        assert "Track" not in " ".join(p.text for p in lv.fields.get("summary", []))


def test_a_heading_named_like_a_level_field_is_that_field(tmp_path: Path) -> None:
    draft = read(tmp_path, LEVEL_PAGES)
    accountant = level(draft, "Accounting", "Accountant")
    assert [p.text for p in accountant.fields["scope"]] == ["One legal entity."]
    assert "scope" not in draft.competencies


def test_a_heading_over_labelled_items_is_no_competency_even_when_a_label_is_the_tracks_name(tmp_path: Path) -> None:
    draft = read(tmp_path, LEVEL_PAGES)
    assert "expectations" not in draft.competencies
    assert draft.competencies["accounting"].group is None and draft.competencies["accuracy"].group is None
    accountant = level(draft, "Accounting", "Accountant")
    assert [p.text for p in accountant.expectations["accounting"]] == ["Books transactions under the group's policy."]
    assert all("Accounting:" not in p.text for p in accountant.fields.get("summary", []))


def test_a_page_owner_line_in_prose_is_page_metadata(tmp_path: Path) -> None:
    page = """
        # Nursing Levels

        *Maintained by: Clinical education · Last updated: spring*

        How nurses grow here.

        ## Staff Nurse
        Cares for patients on one ward.

        ## Senior Nurse
        Leads a ward's shift.
    """
    draft = read(tmp_path, {"nursing.md": page})
    assert "Maintained by" not in all_text(draft)
    assert unplaced(draft, "front matter markup (page metadata)") == [
        "Maintained by: Clinical education",
        "Last updated: spring",
    ]


def test_time_at_level_labels_are_the_typical_time_in_any_of_the_languages(tmp_path: Path) -> None:
    page = """
        # Labor

        ## Stufe 1 – Laborant:in

        Arbeitet nach Anleitung.

        **Übliche Verweildauer:** 1–3 Jahre

        **Sorgfalt:** Dokumentiert jede Probe.

        ## Stufe 2 – Senior Laborant:in

        Arbeitet selbstständig.

        **Übliche Verweildauer:** 2–4 Jahre

        **Sorgfalt:** Prüft die Proben anderer.
    """
    draft = read(tmp_path, {"labor.md": page})
    first = draft.tracks[0].levels[0]
    assert [p.text for p in first.fields["typical_time_in_level"]] == ["1–3 Jahre"]
    assert normalize("Übliche Verweildauer") not in draft.competencies


# -- the kinds of prose ---------------------------------------------------------------------------------------------


def test_section_kinds_in_several_languages() -> None:
    assert section_kind("Moving into management or product") == "switching"
    assert section_kind("Becoming a people manager") == "switching"
    assert section_kind("Wechsel in die Führungslaufbahn") == "switching"
    assert section_kind("Mudança de trilha") == "switching"
    assert section_kind("Passer manager") == "switching"
    assert section_kind("Was wir von allen erwarten") == "all_levels"
    assert section_kind("Ce que nous attendons de tous") == "all_levels"
    assert section_kind("Beförderungsrunden") == "promotion"
    assert section_kind("Progressão na carreira") == "promotion"
    assert section_kind("Our values") == "other"


def test_a_bold_run_in_sentence_about_switching_is_a_section(tmp_path: Path) -> None:
    page = """
        # Sales Ladder

        **Moving into management.** Talk to your director; we run a three-month pilot first.

        ## Sales Associate
        Sells the core product.

        ## Senior Sales Associate
        Sells every product.
    """
    draft = read(tmp_path, {"sales.md": page})
    [section] = [s for s in draft.sections if s.kind == "switching"]
    assert section.title == "Moving into management"
    assert "three-month pilot" in section.pieces[0].text


# -- what exported pages carry around their content -----------------------------------------------------------------

WIKI_EXPORT = """
    <!DOCTYPE html>
    <html><head><title>People Space : Engineering Grades</title></head>
    <body>
      <div id="page">
        <div id="main-header">
          <div id="breadcrumb-section"><ol id="breadcrumbs"><li><a href="index.html">People Space</a></li></ol></div>
          <h1 id="title-heading"><span id="title-text">People Space : Engineering Grades</span></h1>
        </div>
        <div class="page-metadata">Created by Ada Quill, last modified on 2 June 2024</div>
        <div id="main-content" class="wiki-content">
          <p>These grades apply to every engineer in the company, whatever their team.</p>
          <table>
            <tr><th>Skill / Level</th><th>Engineer (G1)</th><th>Senior Engineer (G2)</th></tr>
            <tr><td>Design</td><td>Designs a module and explains it.</td><td>Designs a service and its interfaces.</td></tr>
            <tr><td>Testing</td><td>Writes unit tests for their code.</td><td>Sets the testing approach for a service.</td></tr>
          </table>
          <p>Like</p>
        </div>
        <div class="pageSection group"><h2>Attachments:</h2><a href="grades.png">grades.png</a></div>
        <div id="footer" role="contentinfo"><p>Document generated by WikiTool on 3 June 2024</p></div>
      </div>
    </body></html>
"""


def test_an_exports_chrome_is_listed_as_not_placed_never_framework_text(tmp_path: Path) -> None:
    draft = read(tmp_path, {"grades.html": WIKI_EXPORT})
    assert [lv.title for t in draft.tracks for lv in t.levels] == ["Engineer", "Senior Engineer"]
    chrome = " ".join(unplaced(draft, CHROME))
    for clutter in ("People Space", "Created by Ada Quill", "grades.png", "Document generated by", "Like"):
        assert clutter in chrome
        assert clutter not in all_text(draft)
    assert "These grades apply to every engineer" in all_text(draft)


def test_the_framework_is_named_by_the_pages_title_without_what_the_export_added(tmp_path: Path) -> None:
    draft = read(tmp_path, {"grades.html": WIKI_EXPORT})
    assert draft.name == "Engineering Grades"
    assert draft.competencies["design"].group is None  # "Skill / Level" names the table's axes, no group


def test_a_notion_style_title_loses_its_id_and_the_page_title_names_the_framework(tmp_path: Path) -> None:
    page = """
        <html><head><title>Product Levels 0a1b2c3d4e5f60718293a4b5c6d7e8f9</title></head><body>
        <article class="page"><header><h1 class="page-title">Product Levels</h1></header>
        <div class="page-body">
        <h2>Product Manager</h2><p>Owns a feature area.</p>
        <h2>Senior Product Manager</h2><p>Owns a product line.</p>
        </div></article></body></html>
    """
    draft = read(tmp_path, {"Product Levels 0a1b2c3d4e5f60718293a4b5c6d7e8f9.html": page})
    assert draft.name == "Product Levels"


def test_export_titles_are_cleaned() -> None:
    assert clean_title("Career Ladder - Confluence") == "Career Ladder"
    assert clean_title("Levels | Notion") == "Levels"
    assert clean_title("Levels 9f8e7d6c5b4a39281706f5e4d3c2b1a0") == "Levels"
    assert clean_title("Team : Grades", confluence=True) == "Grades"
    assert clean_title("Grille de carrière : ingénierie") == "Grille de carrière : ingénierie"  # not an export's


def test_short_interface_lines_are_recognised_and_sentences_are_not() -> None:
    assert is_ui_line("Created by Sam Reed, last modified by Kai Ito on 1 May 2024")
    assert is_ui_line("Be the first to like this")
    assert is_ui_line("No labels")
    assert not is_ui_line("Updated by the panel each year when we calibrate levels.")
    assert not is_ui_line("Shares knowledge with the team")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_metadata_lines_and_titles_never_fail_on_any_text(text: str) -> None:
    pairs = meta_pairs(text)
    assert pairs is None or all(p.label and p.value for p in pairs)
    cleaned = clean_title(text)
    assert clean_title(cleaned) == cleaned or not cleaned.strip()
    is_ui_line(text)


# -- what the answers make of it ------------------------------------------------------------------------------------


def _answer(draft: Draft, question: str) -> str:
    result = check_framework_text(draft.yaml())
    assert result.framework is not None, [str(p) for p in result.problems]
    answer = Answerer(result.framework).ask(question)
    return Renderer().terminal(answer.template, **answer.context)


def test_answers_follow_the_fork_and_name_no_missing_equivalent_on_the_trunk(tmp_path: Path) -> None:
    page = FORKING_TABLE_HTML.replace(
        "<p>Designers start on common steps, then choose a path.</p>",
        "<p>Designers start on common steps, then choose a path. A D3 is at the same level as a K3, and so are D4 and K4.</p>",
    )
    draft = read(tmp_path, {"ladder.html": page})
    after = _answer(draft, "what comes after D2")
    assert "Lead Designer" in after and "Design Manager" in after
    top = _answer(draft, "what comes after D4")
    assert "Head of Design" not in top  # the top of one branch does not lead to the other's levels
    same = _answer(draft, "is a lead designer the same as a design manager?")
    assert "Design Manager" in same
    assert "names no equivalent" not in same  # the trunk below the fork is no track beside it


def test_moving_into_a_track_named_like_a_competency_asks_about_switching(tmp_path: Path) -> None:
    draft = read(tmp_path, LEVEL_PAGES)
    answer = _answer(draft, "how do I move into accounting")
    assert answer.splitlines()[0].startswith("Switching tracks")


def test_a_switching_answer_that_quotes_guidance_does_not_say_the_framework_names_none(tmp_path: Path) -> None:
    page = """
        # Sales Ladder

        ## Sales Associate
        Sells the core product.

        ## Senior Sales Associate
        Sells every product.

        ## Moving into management
        Talk to your director; we run a three-month pilot first.
    """
    draft = read(tmp_path, {"sales.md": page})
    answer = _answer(draft, "how do I move into management")
    assert "three-month pilot" in answer
    assert "names no switching points" not in answer


def test_an_index_page_names_the_framework_not_the_first_tracks_page(tmp_path: Path) -> None:
    pages = {
        "ops.md": """
            # Operations Roles

            ## Operator
            Runs the line.

            ## Senior Operator
            Runs two lines.
        """,
        "quality.md": """
            # Quality Roles

            ## Inspector
            Checks parts.

            ## Senior Inspector
            Checks processes.
        """,
        "README.md": """
            # Plant Career Paths

            Two families of roles.

            # How to use this

            Read your family's page.
        """,
    }
    draft = read(tmp_path, pages)
    assert draft.name == "Plant Career Paths"


def test_a_site_banner_is_chrome_and_a_header_heading_the_content_is_not(tmp_path: Path) -> None:
    page = """
        <html><head><title>Growth Levels</title></head><body>
        <header class="site"><a href="/">Home</a> <a href="/blog">Blog</a> <span>Acme Intranet</span></header>
        <h1>Growth Levels</h1>
        <article><header><h2>Associate Consultant</h2><p>Supports client work.</p></header>
        <p><strong>Delivery</strong>: Completes assigned analyses.</p></article>
        <article><header><h2>Senior Consultant</h2><p>Leads client work.</p></header>
        <p><strong>Delivery</strong>: Owns a workstream.</p></article>
        <footer>© Acme</footer>
        </body></html>
    """
    draft = read(tmp_path, {"growth.html": page})
    assert [lv.title for t in draft.tracks for lv in t.levels] == ["Associate Consultant", "Senior Consultant"]
    assert "Acme Intranet" in " ".join(unplaced(draft, CHROME))
    assert "Supports client work." in all_text(draft)


def test_notion_page_properties_joined_into_one_paragraph_are_page_metadata() -> None:
    """Notion writes a page's properties as lines under its title, which Markdown joins into one paragraph: each known
    label starts a pair; joined, at least two are needed and not only labels that may name competencies."""
    pairs = meta_pairs("Owner: Design Ops Last edited time: February 12, 2027 4:41 PM Status: Published Tags: Careers, Design")
    assert pairs is not None and [(p.label, p.value) for p in pairs] == [
        ("Owner", "Design Ops"),
        ("Last edited time", "February 12, 2027 4:41 PM"),
        ("Status", "Published"),
        ("Tags", "Careers, Design"),
    ]
    assert meta_pairs("Status: Published Team: Design") is None  # both may be a competency's label
    assert meta_pairs("Communication: explains trade-offs well. Owner: Sam") is None
