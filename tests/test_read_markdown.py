"""Markdown ladders: every document convention the reader detects, its bounds, and every word accounted for."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.framework.loader import check_framework_text
from bot.framework.names import normalize
from bot.framework.reading.draft import Draft, DraftLevel
from bot.framework.reading.errors import UnreadableFile
from bot.framework.reading.markdown import parse_markdown, read_markdown
from bot.framework.reading.outline import MAX_FILE_BYTES
from bot.framework.reading.titles import seniority, split_title, track_name
from tests.document_drafts import level, read, texts, titles, track

LADDERS = Path(__file__).parent / "data" / "ladders"


def expectation(draft: Draft, track_name: str, title: str, competency: str) -> list[str]:
    return texts(level(draft, track_name, title).expectations[normalize(competency)])


def lines_in_ledger(draft: Draft, file: str) -> set[int]:
    covered: set[int] = set()
    for entry in draft.ledger.entries:
        if entry.piece.where.file == file and entry.piece.where.place:
            first, _, last = entry.piece.where.place.partition("-")
            covered.update(range(int(first), int(last or first) + 1))
    return covered


def unaccounted_lines(draft: Draft, path: Path) -> list[str]:
    """Lines with words that no ledger entry (placed or not) covers."""
    covered = lines_in_ledger(draft, str(path))
    missing = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        words = re.sub(r"&(#\d+|\w+);", " ", re.sub(r"<[^>\n]*>", " ", line))
        if re.search(r"\w", words) and number not in covered:
            missing.append(f"{number}: {line}")
    return missing


# -- (a) a heading per level ------------------------------------------------------------------------


HEADING_PER_LEVEL = """
    # Engineering Ladder

    How engineers grow here.

    ## Junior Engineer

    Learns the codebase with help.

    - **Communication**: Asks for help early.
    - **Delivery**: Ships small, well-defined tasks.

    ## Senior Engineer (L3)

    Leads projects of a few months.

    - **Communication**: Explains trade-offs to the team.
    - **Delivery**: Ships projects end to end.
    - Mentors one or two people.

    ## Promotion process

    Promotions are decided twice a year by a panel.
    """


def test_a_heading_per_level_with_bold_labelled_bullets(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.md": HEADING_PER_LEVEL})
    assert titles(draft, "Engineering") == ["Junior Engineer", "Senior Engineer"]
    senior = level(draft, "Engineering", "Senior Engineer")
    assert senior.aliases == ["L3"]
    assert texts(senior.fields["summary"]) == ["Leads projects of a few months.", "Mentors one or two people."]
    assert expectation(draft, "Engineering", "Junior Engineer", "Communication") == ["Asks for help early."]
    assert expectation(draft, "Engineering", "Senior Engineer", "Delivery") == ["Ships projects end to end."]
    assert texts(track(draft, "Engineering").description) == ["How engineers grow here."]
    [section] = draft.sections
    assert (section.title, section.kind, texts(section.pieces)) == (
        "Promotion process",
        "promotion",
        ["Promotions are decided twice a year by a panel."],
    )
    assert draft.ledger.unplaced == []
    assert unaccounted_lines(draft, tmp_path / "ladder.md") == []


def test_sub_headings_per_competency_and_sentences_as_characteristics(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "roles.md": """
                # Development Roles

                ## Graduate Developer
                > I am a committed student.

                #### I write good quality code.
                - I am learning the pipeline.

                ### Collaboration
                - Pairs every day.

                ## Developer
                > I am a valuable member of a team.

                ### Collaboration
                - Leads pairing sessions.

                ## Senior Developer
                > I am sought after.

                ### Collaboration
                - Coaches the team.

                ## Other Pathways

                Some people may choose to switch to the engineering branch.
                """
        },
    )
    assert titles(draft, "Development") == ["Graduate Developer", "Developer", "Senior Developer"]  # "Developer" too
    graduate = level(draft, "Development", "Graduate Developer")
    assert texts(graduate.fields["summary"]) == [
        "I am a committed student.",
        "I write good quality code.",
        "I am learning the pipeline.",
    ]
    assert expectation(draft, "Development", "Developer", "Collaboration") == ["Leads pairing sessions."]
    assert [(s.title, s.kind) for s in draft.sections] == [("Other Pathways", "switching")]


def test_level_headings_that_repeat_a_title_keep_their_rank(tmp_path: Path) -> None:
    rows = "| Principle | Competencies | Level Expectations |\n|---|---|---|\n"
    page = "# Writer Levels\n\n" + "".join(
        f"### Level {n}: {title}\n\n{rows}| Ownership | Scope: what do I work on? | Owns {title} work {n}. |\n\n"
        for n, title in [(1, "Writer I"), (2, "Writer I"), (3, "Senior Writer")]
    )
    draft = read(tmp_path, {"writers.md": page})
    assert titles(draft, "Writer") == ["Level 1: Writer I", "Level 2: Writer I", "Senior Writer"]
    assert level(draft, "Writer", "Senior Writer").aliases == ["Level 3"]
    assert expectation(draft, "Writer", "Level 2: Writer I", "Ownership") == ["Owns Writer I work 2."]
    # the column that says the same at every level describes the competency
    assert texts(draft.competencies["ownership"].description) == ["Scope: what do I work on?"] * 3
    assert "ownership:" in draft.yaml() and draft.yaml().count("Scope: what do I work on?") == 1


# -- (b) one file per level --------------------------------------------------------------------------


def test_one_page_per_level_ordered_by_front_matter_in_a_track_per_folder(tmp_path: Path) -> None:
    page = "---\ntitle: {title}\nlevel: {n}\n---\n\n### You {verb}\n\n- {example}\n"
    draft = read(
        tmp_path,
        {
            "engineering/senior.md": page.format(title="Senior Engineer", n=3, verb="lead designs", example="Runs reviews."),
            "engineering/junior.md": page.format(title="Junior Engineer", n=1, verb="learn fast", example="Pairs daily."),
            "engineering/mid.md": page.format(title="Engineer", n=2, verb="work alone", example="Owns a service."),
            "product/junior.md": page.format(title="Junior Product Manager", n=1, verb="learn", example="Writes tickets."),
        },
    )
    assert titles(draft, "Engineering") == ["Junior Engineer", "Engineer", "Senior Engineer"]
    assert titles(draft, "Product") == ["Junior Product Manager"]
    assert texts(level(draft, "Engineering", "Engineer").fields["summary"]) == ["You work alone", "Owns a service."]
    assert draft.ledger.unplaced == []


def test_pages_without_numbers_follow_their_index_page_or_seniority(tmp_path: Path) -> None:
    level_page = "# {title}\n\n## Craft (C{n})\n\n> Grade {n} of craft.\n\n* **Delivery**: Ships at grade {n}.\n* **Design**: Designs at grade {n}.\n"
    files = {
        "track/staff.md": level_page.format(title="Staff Engineer", n=3),
        "track/middle.md": level_page.format(title="Middle Engineer", n=1),
        "track/senior.md": level_page.format(title="Senior Engineer", n=2),
        "other/lead.md": "# TeamLead\n\n## Leading\n\n- Runs a team.\n",
        "other/head.md": "# DirectionLead\n\n## Leading\n\n- Runs teams.\n",
        "index.md": "# Profiles\n\n- [DirectionLead](other/head.md)\n- [TeamLead](other/lead.md)\n",
    }
    draft = read(tmp_path, files)
    assert titles(draft, "Track") == ["Middle Engineer", "Senior Engineer", "Staff Engineer"]  # by seniority
    assert titles(draft, "Other") == ["DirectionLead", "TeamLead"]  # as the index page lists them
    senior = level(draft, "Track", "Senior Engineer")
    assert expectation(draft, "Track", "Senior Engineer", "Craft") == ["C2", "Grade 2 of craft."]
    assert draft.competencies["delivery"].group == "Craft"
    assert "C2" in senior.aliases  # a grade code only one level carries names it
    assert draft.name == "Profiles"


def test_a_page_beside_its_folder_describes_that_folders_track(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "engineer-track.md": "# Engineer Track\n\nThis page guides engineers.\n\n| Craft | Impact |\n|---|---|\n| Delivery | Ownership |\n",
            "engineer-track/junior.md": "# Junior Engineer\n\n## Craft\n\n* **Delivery**: Ships.\n* **Testing**: Tests.\n",
            "engineer-track/senior.md": "# Senior Engineer\n\n## Impact\n\n* **Ownership**: Owns.\n* **Scope**: Team.\n",
        },
    )
    engineers = track(draft, "Engineer")
    assert texts(engineers.description) == ["This page guides engineers."]
    assert draft.competencies["delivery"].group == "Craft" and draft.competencies["ownership"].group == "Impact"


# -- (c) a page per competency -------------------------------------------------------------------------


def test_competency_major_pages_make_levels_from_their_rank_headings(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "skills/communication.md": """
                Sharing information at the right time.

                ### Level 1
                Listens with intent.
                - Asks for help.

                ### Level 2 *JUNIOR*
                Contributes to meetings.
                """,
            "skills/delivery.md": "### Level 2\nShips small tasks.\n\n### Level 3\nShips projects.\n",
        },
    )
    [ladder] = draft.tracks
    assert [lv.title for lv in ladder.levels] == ["Level 1", "Level 2", "Level 3"]
    assert level(draft, ladder.name, "Level 2").aliases == ["JUNIOR"]
    assert expectation(draft, ladder.name, "Level 1", "Communication") == ["Listens with intent.", "Asks for help."]
    assert expectation(draft, ladder.name, "Level 2", "Delivery") == ["Ships small tasks."]
    assert texts(draft.competencies["communication"].description) == ["Sharing information at the right time."]


# -- (d) and (e) tables ---------------------------------------------------------------------------------


def test_levels_as_columns_levels_as_rows_and_a_mapping_across_tracks(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Our ladder

                ## Tracks

                | Individual Contributor | IC Level | M Level | Manager |
                | --- | --- | --- | --- |
                | Engineer 1 | IC2 | | |
                | Senior Engineer 1 | IC4 | M2 | Engineering Manager 1 |
                | Staff Engineer | IC6 | M4 | Senior Engineering Manager |

                ## Individual Contributors

                ### Knowledge

                | Knowledge | Engineer 1 | Senior Engineer 1 | Staff Engineer |
                | --- | --- | --- | --- |
                | Technical understanding | Knows CS basics. | Knows the stack. | Knows many systems. |

                ## Engineering Management

                | Level | Title | People | Impact |
                | --- | --- | --- | --- |
                | M2 | Engineering Manager 1 | Hires juniors. | Delivers with the team. |
                | M4 | Senior Engineering Manager | Hires managers. | Delivers across teams. |
                """
        },
    )
    assert titles(draft, "Individual Contributor") == ["Engineer 1", "Senior Engineer 1", "Staff Engineer"]
    assert titles(draft, "Manager") == ["Engineering Manager 1", "Senior Engineering Manager"]
    senior = level(draft, "Individual Contributor", "Senior Engineer 1")
    assert senior.aliases == ["IC4"] and senior.equivalents == ["M2"]
    assert level(draft, "Manager", "Engineering Manager 1").aliases == ["M2"]
    assert expectation(draft, "Individual Contributor", "Staff Engineer", "Technical understanding") == ["Knows many systems."]
    assert draft.competencies["technical understanding"].group == "Knowledge"
    assert expectation(draft, "Manager", "Senior Engineering Manager", "People") == ["Hires managers."]
    assert draft.ledger.unplaced == []
    document = draft.document()
    [manager] = [t for t in document["tracks"] if t["name"] == "Manager"]
    assert manager["levels"][0]["equivalent"] == "senior_engineer_1"


def test_a_table_of_levels_as_rows_keeps_short_columns_as_labelled_summary(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "frontend.md": """
                # Frontend Engineer

                | Job Title | Score | Contributions |
                | --- | --- | --- |
                | Junior Frontend Engineer | 0.00 - 1.40 | Completes well-specified tasks with mentoring. |
                | Senior Frontend Engineer | 2.60 - 3.50 | Leads features and guides others on the team. |
                """
        },
    )
    assert titles(draft, "Frontend Engineer") == ["Junior Frontend Engineer", "Senior Frontend Engineer"]
    junior = level(draft, "Frontend Engineer", "Junior Frontend Engineer")
    assert texts(junior.fields["summary"]) == ["Score: 0.00 - 1.40"]
    assert expectation(draft, "Frontend Engineer", "Junior Frontend Engineer", "Contributions") == [
        "Completes well-specified tasks with mentoring."
    ]


def test_raw_html_tables_inside_markdown_are_read(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Ladder

                ### Impact

                <table>
                  <tr><td>Impact</td><td>Engineer 1</td><td>Engineer 2</td></tr>
                  <tr>
                    <td>Team impact</td>
                    <td><ul><li>Completes tasks.</li><li>Learns.</li></ul></td>
                    <td>&nbsp;</td>
                  </tr>
                </table>
                """
        },
    )
    assert titles(draft, "Ladder") == ["Engineer 1", "Engineer 2"]
    assert expectation(draft, "Ladder", "Engineer 1", "Team impact") == ["Completes tasks.", "Learns."]
    assert unaccounted_lines(draft, tmp_path / "ladder.md") == []


# -- (f) prose -----------------------------------------------------------------------------------------


def test_prose_sections_get_a_kind_and_competency_definitions_go_to_their_competencies(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": "# Ladder\n\n## Junior Engineer\n\n- **Delivery**: Ships.\n- **Quality**: Tests.\n\n"
            "## Senior Engineer\n\n- **Delivery**: Leads.\n- **Quality**: Reviews.\n",
            "guide.md": """
                # How the ladder works

                ## Switching between tracks
                Talk to your manager before moving to management.

                ## Expectations for all levels
                Everyone writes tests.

                ## Our competencies
                ### Delivery
                Getting things shipped.
                - **Quality**: Making things that last.

                ## Salary bands
                Bands are reviewed yearly.
                """,
        },
    )
    kinds = {s.title: s.kind for s in draft.sections}
    assert kinds == {
        "Switching between tracks": "switching",
        "Expectations for all levels": "all_levels",
        "Salary bands": "other",
    }  # "Our competencies" held only definitions, which went to the competencies
    assert texts(draft.competencies["delivery"].description) == ["Getting things shipped."]
    assert texts(draft.competencies["quality"].description) == ["Making things that last."]
    assert draft.ledger.unplaced == []


# -- never lose a word ---------------------------------------------------------------------------------


def test_template_markup_is_listed_not_pasted_and_formatting_becomes_plain_text(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                ---
                title: Software engineer
                layout: role
                levels:
                  - Entry
                  - II
                ---

                {% include banner.html %}

                ## Software engineer career pathway

                ### Software engineer I
                {% include role_level.html level='I' %}

                You write **working** code, see [the guide](https://example.com/guide).
                {: .text-intro }

                ### Software engineer II
                {{< callout >}}Learns quickly.{{< /callout >}}

                <!-- a draft note -->
                [docs]: https://example.com/docs
                """
        },
    )
    first = level(draft, "Software engineer", "Software engineer I")
    assert texts(first.fields["summary"]) == ["You write working code, see the guide."]
    assert first.aliases == ["Entry"]  # the front matter's `levels:` names the levels in order
    assert level(draft, "Software engineer", "Software engineer II").aliases == []  # a numeral alone names no level
    assert texts(level(draft, "Software engineer", "Software engineer II").fields["summary"]) == ["Learns quickly."]
    unplaced = {(e.piece.text, e.reason) for e in draft.ledger.unplaced}
    assert ("{% include banner.html %}", "template markup") in unplaced
    assert ("{: .text-intro }", "template markup") in unplaced
    assert ("role", "front matter markup (page metadata)") in unplaced
    assert ("a draft note", "HTML comment markup") in unplaced
    assert any("docs" in text for text, _ in unplaced)  # a link definition is listed with its line
    assert all("markup" in e.reason for e in draft.ledger.unplaced)
    assert unaccounted_lines(draft, tmp_path / "ladder.md") == []


def test_two_inputs_for_one_field_are_joined(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": "# L\n\n## Junior Engineer\n\n- **Delivery**: Ships.\n- **Delivery**: Tests too.\n\n## Senior Engineer\n\nLeads.\n"
        },
    )
    assert expectation(draft, "L", "Junior Engineer", "Delivery") == ["Ships.", "Tests too."]
    document = draft.document()
    assert document["tracks"][0]["levels"][0]["expectations"]["delivery"] == "Ships.\n\nTests too."


def test_the_imported_file_passes_the_check(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.md": HEADING_PER_LEVEL})
    result = check_framework_text(draft.yaml())
    assert result.errors == [], result.lines()


# -- titles ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "title", "aliases", "number"),
    [
        ("Senior Programmer (L3)", "Senior Programmer", ("L3",), 3),
        ("Level 2: Product Manager I", "Product Manager I", ("Level 2",), 2),
        ("1. Associate Engineer", "Associate Engineer", (), 1),
        ("D4 - Developer 4", "Developer 4", ("D4",), 4),
        ("IC4 Software Engineer", "IC4 Software Engineer", ("IC4",), 4),
        ("Staff Engineer", "Staff Engineer", (), None),
        ("Band C – Senior Data Analyst", "Senior Data Analyst", ("Band C",), 3),  # a letter grade after a rank word
        ("Grade 7 - Team Lead", "Team Lead", ("Grade 7",), 7),
        ("Stage Director", "Stage Director", (), None),  # a capital after a rank word must stand alone
        ("T2 · Product Designer", "T2 · Product Designer", ("T2",), 2),  # Notion's middle dot: the title kept whole
    ],
)
def test_codes_in_titles_become_aliases(written: str, title: str, aliases: tuple[str, ...], number: int | None) -> None:
    found = split_title(written)
    assert (found.title, found.aliases, found.number) == (title, aliases, number)


def test_seniority_orders_titles_without_numbers() -> None:
    order = [
        "Junior Engineer",
        "Middle Engineer",
        "Senior Engineer",
        "Staff Engineer",
        "Senior Staff Engineer",
        "Principal Engineer",
    ]
    assert sorted(order[::-1], key=lambda t: seniority(t) or 0) == order
    assert seniority("Senior Engineering Manager") > seniority("Engineering Manager")  # type: ignore[operator]


# -- bounds ------------------------------------------------------------------------------------------------


def test_a_file_past_the_size_bound_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"- item\n" * (MAX_FILE_BYTES // 7 + 10))
    with pytest.raises(UnreadableFile) as caught:
        read_markdown(path, Draft())
    assert "\n" not in str(caught.value) and "larger than 4 MiB" in str(caught.value)


@pytest.mark.parametrize("nested", [">" * 200 + " deep\n", "".join("  " * k + "- item\n" for k in range(120))])
def test_deep_nesting_is_refused_in_one_line(tmp_path: Path, nested: str) -> None:
    path = tmp_path / "deep.md"
    path.write_text(nested, encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        read_markdown(path, Draft())
    assert "\n" not in str(caught.value) and "deep" in str(caught.value)


def test_binary_and_empty_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02" * 50)
    with pytest.raises(UnreadableFile):
        read_markdown(tmp_path / "bin.md", Draft())
    (tmp_path / "latin.md").write_bytes("Niveau supérieur".encode("latin-1"))
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_markdown(tmp_path / "latin.md", Draft())


def test_front_matter_with_aliases_is_listed_not_expanded(tmp_path: Path) -> None:
    bomb = "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n\n# Senior Engineer\n\n- **Craft**: Builds.\n- **Care**: Helps.\n"
    draft = read(tmp_path, {"page.md": bomb})
    assert any("front matter" in e.reason for e in draft.ledger.unplaced)


# -- properties ---------------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "# ", "## ", "### ", "- ", "* ", "1. ", "> ", "**", "_", "`", "|", "| --- |", "---", "```", "\n", "\n\n", "  ",
        "Senior", "Engineer", "Level 2", "(L3)", "Junior", ":", "{% x %}", "{{< y >}}", "<!-- c -->", "<table>", "<td>",
        "</td>", "[a](b.md)", "![i](p.png)", "[r]: http://x", "Communication", "word", "ünï", "日本", "+++", "title: T",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_markdown_reads_and_every_line_with_words_is_in_the_ledger(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.md"
    path.write_text(text, encoding="utf-8")
    draft = Draft()
    try:
        read_markdown(path, draft)
        draft.finish()
        draft.yaml()
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
        return
    assert unaccounted_lines(draft, path) == []


def test_the_outline_keeps_lines_for_every_block(tmp_path: Path) -> None:
    document = parse_markdown("# Title\n\nPara one\nstill one.\n\n- a\n  - b\n", tmp_path / "x.md")
    heading, paragraph, items = document.blocks
    assert (heading.text.first, paragraph.text.first, paragraph.text.last) == (1, 3, 4)
    assert items.items[0].text.first == 6 and items.items[0].blocks[0].items[0].text.first == 7


# -- the licensed ladders as published ------------------------------------------------------------------------


def import_ladder(folder: str) -> Draft:
    draft = Draft()
    for path in sorted((LADDERS / folder).rglob("*.md")):
        if path.name not in {"SOURCE.md", "LICENSE.md"}:
            read_markdown(path, draft)
    draft.finish()
    return draft


@pytest.mark.parametrize(
    ("folder", "tracks", "levels", "competencies"),
    [
        ("artsy", {"Individual Contributor": 8, "Manager": 5}, 13, 17),
        ("indrive", {"Engineer": 10, "Manager": 4}, 14, 21),
        ("infracloud", {"Engineering": 5}, 5, 20),  # "Decision making" is a trait, not the decision_rights field
        ("postman-open-technologies", {"Open Source Contributor": 6, "OSPO Engineer": 6}, 12, 1),
        (
            "readify",
            {"Development": 6, "Data and Analytics": 5, "Design": 6, "Managed Services": 2, "Program Manager": 1},
            22,
            0,
        ),
        ("skylight", {"Software engineer": 6, "Consultant": 3, "People manager": 3}, 78, 79),
        ("carvago", {"Frontend Engineer": 4}, 4, 0),  # its competencies are in the workbook (another reader)
    ],
)
def test_licensed_ladders_import_as_published(folder: str, tracks: dict[str, int], levels: int, competencies: int) -> None:
    draft = import_ladder(folder)
    for name, count in tracks.items():
        assert len(track(draft, name).levels) == count, titles(draft, name)
    assert sum(len(t.levels) for t in draft.tracks) == levels
    assert len(draft.competencies) == competencies
    assert [e for e in draft.ledger.unplaced if "markup" not in e.reason] == []
    result = check_framework_text(draft.yaml(), f"{folder}.yaml")
    assert result.errors == [], result.lines()[:5]


def test_published_ladders_keep_their_order_codes_and_equivalents() -> None:
    artsy = import_ladder("artsy")
    assert titles(artsy, "Individual Contributor")[:3] == ["Intern", "Engineer 1", "Engineer 2"]
    assert level(artsy, "Individual Contributor", "Staff Engineer").aliases == ["IC6"]
    assert level(artsy, "Individual Contributor", "Staff Engineer").equivalents == ["M4"]
    assert "Engineer Manager 2" in level(artsy, "Manager", "Engineering Manager 2").aliases  # the table's own spelling
    indrive = import_ladder("indrive")
    assert titles(indrive, "Engineer")[-2:] == ["Principal I Engineer", "Principal II Engineer"]  # told apart by links
    assert "B0" in level(indrive, "Engineer", "Junior Engineer").aliases
    readify = import_ladder("readify")
    branch = next(t for t in readify.tracks if "Engineering Branch" in t.name)
    assert isinstance(branch.starts_after, DraftLevel) and branch.starts_after in track(readify, "Development").levels
    infracloud = import_ladder("infracloud")
    assert titles(infracloud, "Engineering")[0] == "Associate Engineer"
    assert texts(level(infracloud, "Engineering", "Senior Engineer").fields["typical_time_in_level"]) == ["~2-3 year"]
    staff = level(infracloud, "Engineering", "Staff Engineer")
    assert "decision_rights" not in staff.fields and "decision making" in staff.expectations
    assert infracloud.competencies["decision making"].group == "Enabling Traits"
    assert {s.kind for s in infracloud.sections} >= {"other", "competencies"}


# -- folders of level pages --------------------------------------------------------------------------------


def test_a_folder_mixing_managers_pages_job_descriptions_and_a_repeated_title(tmp_path: Path) -> None:
    page = "---\ntitle: {title}\n---\n\n[Job Description](jobs/{stem}) · [Being an engineer](being)\n\n## Impact\n\n- {text}\n\n## Reach\n\n- Team\n"
    job = "---\ntitle: {title}\n---\n\n[Progression Document](../{stem})\n\n## About the Role\n\n{text} every day.\n"
    files = {}
    for stem, title in [
        ("software_engineer_I", "Software Engineer I"),
        ("software_engineer_II", "Software Engineer II"),
        ("staff_engineer", "Staff Engineer"),
        ("engineering_manager", "Engineering Manager"),
        ("director_of_engineering", "Director of Engineering"),
    ]:
        files[f"ladder/{stem}.md"] = page.format(title=title, stem=stem, text=f"Works as {title}.")
        files[f"ladder/jobs/{stem}.md"] = job.format(title=title, stem=stem, text=f"{title} ships")
    draft = read(tmp_path, files)
    assert titles(draft, "Ladder") == ["Software Engineer I", "Software Engineer II", "Staff Engineer"]
    assert titles(draft, "Management") == ["Engineering Manager", "Director of Engineering"]
    assert len(draft.tracks) == 2  # the job descriptions add to their levels, no track of their own
    staff = level(draft, "Ladder", "Staff Engineer")
    assert expectation(draft, "Ladder", "Staff Engineer", "About the Role") == ["Staff Engineer ships every day."]
    assert texts(staff.expectations["impact"]) == ["Works as Staff Engineer."]
    assert all("markup" in e.reason for e in draft.ledger.unplaced)


def test_two_pages_with_one_title_are_told_apart_by_the_links_to_them(tmp_path: Path) -> None:
    level_page = "# {title}\n\n## Craft\n\n* **Delivery**: {text}\n* **Design**: Designs.\n"
    draft = read(
        tmp_path,
        {
            "ladder.md": "# Engineer Ladder\n\n* [Staff I Engineer](ladder/staff-i.md)\n* [Staff II Engineer](ladder/staff-ii.md)\n",
            "ladder/staff-i.md": level_page.format(title="Staff I Engineer", text="Leads one area."),
            "ladder/staff-ii.md": level_page.format(title="Staff I Engineer", text="Leads several areas."),
        },
    )
    assert titles(draft, "Engineer") == ["Staff I Engineer", "Staff II Engineer"]  # named by the page beside the folder
    assert expectation(draft, "Engineer", "Staff II Engineer", "Delivery") == ["Leads several areas."]
    assert any("titled 'Staff I Engineer' like another page" in d for d in draft.decisions)


def test_import_files_reads_markdown_pages_together(tmp_path: Path) -> None:
    from bot.framework.reading.files import import_files

    (tmp_path / "ladder.md").write_text(textwrap.dedent(HEADING_PER_LEVEL), encoding="utf-8")
    draft = import_files([tmp_path / "ladder.md"])
    assert [t.name for t in draft.tracks] == ["Engineering"]
    assert draft.shapes == [f"{tmp_path / 'ladder.md'}: a heading per level (2 levels of Engineering)"]
    assert check_framework_text(draft.yaml()).errors == []


@pytest.mark.parametrize(
    ("heading", "track"),
    [("Finance Ops Bands", "Finance Ops"), ("Support Grades", "Support"), ("Engineer Track", "Engineer"), ("Sales", "Sales")],
)
def test_a_page_title_names_its_track_without_the_word_for_levels(heading: str, track: str) -> None:
    assert track_name(heading) == track


def test_a_table_of_contents_linking_to_the_levels_headings_is_no_section(tmp_path: Path) -> None:
    """A README's "Table of contents" whose entries link to the levels' own headings (and one to a section): its
    heading is navigation, listed as not placed, not a section of prose whose text is its title."""
    draft = read(
        tmp_path,
        {
            "README.md": """
            # Planning Ladder

            ## Table of contents

            - [P1 – Planner](#p1--planner)
            - [P2 – Senior Planner](#p2--senior-planner)
            - [Changing teams](#changing-teams)

            ## P1 – Planner

            **Scope:** One site's weekly plan.

            ## P2 – Senior Planner

            **Scope:** The national plan.

            ## Changing teams

            Ask your lead a quarter ahead.
            """
        },
    )
    assert [s.title for s in draft.sections] == ["Changing teams"]
    assert any("Table of contents" in e.piece.text for e in draft.ledger.unplaced)
