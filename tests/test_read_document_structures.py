"""Documents, round 2: level fields named exactly, tracks that fork from a trunk, pages that join levels read from
other files, and what changes between two levels."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.framework.loader import check_framework_text
from bot.framework.reading.draft import Draft, DraftLevel
from tests.document_drafts import level, read, texts, track

# -- level fields: only their exact names, each taken once per level -------------------------------------------


LABELLED = """
    # Engineering

    ## Junior Engineer

    - **Summary**: Learns the codebase.
    - **Description**: Works on one team's backlog.
    - **Scope**: A feature at a time.
    - **Impact**: Their own tasks.
    - **Decision making**: Asks before deciding.
    - **Decision rights**: Chooses how to test their work.
    - **Tenure**: 1-2 years

    ## Senior Engineer

    - **Scope**: A product area.
    - **Scope**: And its on-call rotation.
    - **Impact**: The team's roadmap.
    - **Tenure**: as long as it takes
    """


def test_a_label_is_a_level_field_only_by_its_exact_name_and_once_per_level(tmp_path: Path) -> None:
    draft = read(tmp_path, {"ladder.md": LABELLED})
    junior = level(draft, "Engineering", "Junior Engineer")
    assert texts(junior.fields["summary"]) == ["Learns the codebase."]
    assert texts(junior.fields["scope"]) == ["A feature at a time."]
    assert texts(junior.fields["decision_rights"]) == ["Chooses how to test their work."]
    assert texts(junior.fields["typical_time_in_level"]) == ["1-2 years"]  # a tenure said as a duration
    # another label for a field already taken, or a label that only resembles a field's name, is a dimension of its own
    assert texts(junior.expectations["description"]) == ["Works on one team's backlog."]
    assert texts(junior.expectations["impact"]) == ["Their own tasks."]
    assert texts(junior.expectations["decision making"]) == ["Asks before deciding."]
    senior = level(draft, "Engineering", "Senior Engineer")
    assert texts(senior.fields["scope"]) == ["A product area.", "And its on-call rotation."]  # one label, said twice
    assert texts(senior.expectations["impact"]) == ["The team's roadmap."]
    assert "typical_time_in_level" not in senior.fields  # not a duration: kept as a dimension, not a time
    assert texts(senior.expectations["tenure"]) == ["as long as it takes"]
    assert {"Description", "Impact", "Decision making"} <= {c.name for c in draft.competencies.values()}


def test_table_rows_and_columns_take_a_field_once_and_by_its_exact_name(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Ladder

                | | Engineer I | Engineer II |
                |---|---|---|
                | Scope | A task | A feature |
                | Impact | The team | Several teams |
                | Summary | Learns | Leads |
                | Description | Junior role | Mid role |

                | Title | Scope | Decision making |
                |---|---|---|
                | Manager I | A team | Hires |
                | Manager II | Two teams | Reorganises |
                """
        },
    )
    engineer = level(draft, "Ladder", "Engineer II")
    assert texts(engineer.fields["scope"]) == ["A feature"]
    assert texts(engineer.fields["summary"]) == ["Leads"]
    assert texts(engineer.expectations["impact"]) == ["Several teams"]
    assert texts(engineer.expectations["description"]) == ["Mid role"]
    manager = next(lv for t in draft.tracks for lv in t.levels if lv.title == "Manager II")
    assert texts(manager.fields["scope"]) == ["Two teams"]
    assert "decision_rights" not in manager.fields  # a short column is kept as "Header: value", never as the field
    assert "Decision making: Reorganises" in texts(manager.fields["summary"])
    assert check_framework_text(draft.yaml()).errors == []


# -- tracks that fork from a trunk ----------------------------------------------------------------------------


def starts_after(draft: Draft, name: str) -> str | None:
    after = track(draft, name).starts_after
    return after.title if isinstance(after, DraftLevel) else after


LEVEL_PAGE = "---\ntitle: {title}\n---\n\nAs a {title}, you {text}.\n\n## Impact\n\n- {text} every day.\n"
FLOWCHART = """
    ---
    title: Career Framework
    ---

    How we grow.

    ```mermaid
    ---
    config:
      theme: neutral
    ---
    flowchart TD
        E1["Engineer 1"] --> E2["Engineer 2"]
        E2 -- Professional Track --> Staff["Staff Engineer"]
        E2 -- Management Track --> EM["Engineering Manager"]
        Staff --- Gap[ ]
        Gap --> Principal["Principal Engineer"]
        EM --> Dir["Engineering Director"]
        E1:::plain
        click E1 "./engineer_1" _blank
        click Dir href "./director_of_engineering"
    ```
    """


def test_a_flowchart_forks_a_trunk_into_the_tracks_its_arrows_name(tmp_path: Path) -> None:
    files = {"ladder/index.md": FLOWCHART}
    for stem, title in [
        ("engineer_1", "Engineer I"),
        ("engineer_2", "Engineer II"),
        ("staff_engineer", "Staff Engineer"),
        ("principal_engineer", "Principal Engineer"),
        ("engineering_manager", "Engineering Manager"),
        ("director_of_engineering", "Director of Engineering"),
    ]:
        files[f"ladder/{stem}.md"] = LEVEL_PAGE.format(title=title, text=f"work as {title}")
    draft = read(tmp_path, files)
    assert [t.name for t in draft.tracks][0] == "Ladder"  # the trunk, then the tracks continuing from it
    assert {t.name for t in draft.tracks} == {"Ladder", "Professional", "Management"}
    assert [lv.title for lv in track(draft, "Ladder").levels] == ["Engineer I", "Engineer II"]
    assert [lv.title for lv in track(draft, "Professional").levels] == ["Staff Engineer", "Principal Engineer"]  # across the gap
    assert starts_after(draft, "Professional") == starts_after(draft, "Management") == "Engineer II"
    assert "Engineering Director" in level(draft, "Management", "Director of Engineering").aliases  # the diagram's words
    assert "E1" in level(draft, "Ladder", "Engineer I").aliases  # a node's key that reads as a code
    placed = [e.placed_at for e in draft.ledger.entries if e.piece.text.startswith("---\nconfig")]
    assert placed and "drawn as a diagram" in (placed[0] or "")
    moved = [e.placed_at for e in draft.ledger.entries if e.piece.text == "work as Staff Engineer every day."]
    assert moved == ["Professional › Staff Engineer › Impact"]  # the ledger says where the text is now
    assert any("forks after Engineer II" in d for d in draft.decisions)
    document = draft.document()
    assert {t["id"]: t.get("starts_after") for t in document["tracks"]} == {
        "ladder": None,
        "professional": "engineer_ii",
        "management": "engineer_ii",
    }
    assert check_framework_text(draft.yaml()).errors == []


Y_DRAWING = """
    <html><body>
    <h1>Levels</h1>
    <h2>Junior</h2><p>Learns.</p>
    <h2>Mid</h2><p>Delivers.</p>
    <h2>Senior</h2><p>Leads work.</p>
    <h2>Coordinator</h2><p>Coordinates a team.</p>
    <h2>Specialist I</h2><p>Deep expertise.</p>
    <h2>Manager</h2><p>Manages teams.</p>
    <h2>Specialist II</h2><p>Wider expertise.</p>
    <svg viewBox="0 0 800 600">
      <line x1="400" y1="560" x2="400" y2="490"/><line x1="400" y1="490" x2="400" y2="420"/>
      <line x1="400" y1="420" x2="250" y2="330"/><line x1="400" y1="420" x2="550" y2="330"/>
      <line x1="250" y1="330" x2="250" y2="270"/><line x1="550" y1="330" x2="550" y2="270"/>
      <g transform="translate(0, 10)">
        <a href="#junior"><rect x="360" y="530" width="80" height="40"/><text x="400" y="555">Junior</text></a>
      </g>
      <rect x="360" y="470" width="80" height="40"/><text x="400" y="495">Mid</text>
      <rect x="360" y="400" width="80" height="40"/><text x="400" y="425">Senior</text>
      <rect x="170" y="330" width="160" height="40"/><text x="250" y="355">Coordinator</text>
      <rect x="470" y="330" width="160" height="40"/><text x="550" y="355">Specialist I</text>
      <rect x="170" y="260" width="160" height="40"/><text x="250" y="285">Manager</text>
      <rect x="470" y="260" width="160" height="40"/><text x="550" y="285">Specialist II</text>
      <text x="20" y="300" transform="rotate(-90, 20, 300)">Tactical</text>
    </svg>
    </body></html>
    """


def test_a_drawing_of_a_y_splits_one_list_of_levels_into_a_trunk_and_two_branches(tmp_path: Path) -> None:
    from bot.framework.reading.html import read_html

    path = tmp_path / "career.html"
    path.write_text(textwrap.dedent(Y_DRAWING), encoding="utf-8")
    draft = Draft()
    read_html(path, draft)
    draft.finish()
    assert [lv.title for lv in track(draft, "Levels").levels] == ["Junior", "Mid", "Senior"]
    branches = [t for t in draft.tracks if t.starts_after is not None]
    assert [[lv.title for lv in t.levels] for t in branches] == [["Coordinator", "Manager"], ["Specialist I", "Specialist II"]]
    assert all(starts_after(draft, t.name) == "Senior" for t in branches)
    assert [e for e in draft.ledger.unplaced if "SVG" in e.reason] == []  # the drawing was read, not dropped


def test_a_sentence_naming_a_track_says_which_level_it_starts_after(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Engineering

                ## Engineer
                Builds features.
                ## Senior Engineer
                Leads projects.
                ## Staff Engineer
                Leads areas.
                """,
            "managers.md": """
                # Manager Track

                ## Engineering Manager
                Manages a team.
                ## Director
                Manages managers.
                """,
            "paths.md": """
                # Career paths

                Everyone starts as an engineer. The Manager track branches off from Senior Engineer, for those who
                want to lead people.
                """,
        },
    )
    assert starts_after(draft, "Manager") == "Senior Engineer"
    assert starts_after(draft, "Engineering") is None


def test_the_same_levels_at_the_start_of_two_paths_are_one_trunk(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Career paths

                ## Individual contributor track

                ### Engineer I
                ### Engineer II
                ### Staff Engineer

                Leads technical direction.

                ## Management track

                ### Engineer I
                ### Engineer II
                ### Engineering Manager

                Manages a team.
                """
        },
    )
    assert [lv.title for lv in track(draft, "Individual contributor").levels] == ["Engineer I", "Engineer II", "Staff Engineer"]
    assert [lv.title for lv in track(draft, "Management").levels] == ["Engineering Manager"]
    assert starts_after(draft, "Management") == "Engineer II"
    assert check_framework_text(draft.yaml()).errors == []


def test_levels_with_text_of_their_own_are_not_a_shared_trunk(tmp_path: Path) -> None:
    page = "---\ntitle: {title}\n---\n\nWrites code with help.\n"
    draft = read(
        tmp_path,
        {
            "android/junior.md": page.format(title="Junior"),
            "android/senior.md": page.format(title="Senior"),
            "android/lead.md": page.format(title="Tech Lead"),
            "backend/junior.md": page.format(title="Junior"),
            "backend/senior.md": page.format(title="Senior"),
            "backend/architect.md": page.format(title="Architect"),
        },
    )
    assert [len(t.levels) for t in draft.tracks] == [3, 3]  # a stack's Junior is its own, even with the same words
    assert all(t.starts_after is None for t in draft.tracks)


# -- what changes between two levels ------------------------------------------------------------------------


GRADE_PAGE = "# Delivery\n\n- {text}\n\n# Craft\n\n- Keeps learning at grade {n}.\n"
TRANSITION = """
    # Progressing from {a} → {b}

    This step is about {what}.

    ## Sphere of Influence

    - {a}: {low}
    - {b}: {high}
    """


def test_pages_about_moving_between_two_levels_are_one_section_about_them(tmp_path: Path) -> None:
    files = {f"expectations/grade-{n}.md": GRADE_PAGE.format(text=f"Delivers work of grade {n}.", n=n) for n in (1, 2, 3)}
    files["transitions/expectations-1-to-2.md"] = TRANSITION.format(
        a="Learner", b="Doer", what="owning your work", low="your tasks", high="your team's tasks"
    )
    files["transitions/expectations-2-to-3.md"] = TRANSITION.format(
        a="Doer", b="Guide", what="helping others", low="your team's tasks", high="other teams"
    )
    draft = read(tmp_path, files)
    assert [lv.title for lv in track(draft, "Expectations").levels] == ["Grade 1", "Grade 2", "Grade 3"]
    first, second = draft.sections
    assert (first.title, first.kind) == ("Progressing from Learner → Doer", "promotion")
    assert texts(first.pieces) == [
        "This step is about owning your work.",
        "Sphere of Influence",
        "Learner: your tasks",
        "Doer: your team's tasks",
    ]
    assert [lv.title for lv in first.about] == ["Grade 1", "Grade 2"]  # by the numbers in the file's name
    assert [lv.title for lv in second.about] == ["Grade 2", "Grade 3"]
    aliases = [level(draft, "Expectations", f"Grade {n}").aliases for n in (1, 2, 3)]
    assert [[a for a in found if not a[0].isdigit()] for found in aliases] == [["Learner"], ["Doer"], ["Guide"]]
    assert "Sphere of Influence" not in [s.title for s in draft.sections]  # each page's sub-headings stay its own
    assert any("what changes from Grade 1 to Grade 2" in shape for shape in draft.shapes)
    document = draft.document()
    assert [s.get("about") for s in document["sections"]] == [["grade_1", "grade_2"], ["grade_2", "grade_3"]]
    assert check_framework_text(draft.yaml()).errors == []


def test_a_heading_from_one_level_to_another_is_about_those_levels(tmp_path: Path) -> None:
    draft = read(
        tmp_path,
        {
            "ladder.md": """
                # Engineering

                ## Junior Engineer
                Learns.
                ## Senior Engineer
                Leads.
                """,
            "growing.md": """
                # Growing here

                ## From Junior Engineer to Senior Engineer

                Take on a project of your own.

                ## Feedback

                Ask for it often.
                """,
        },
    )
    step = next(s for s in draft.sections if s.title == "From Junior Engineer to Senior Engineer")
    assert step.kind == "promotion" and [lv.title for lv in step.about] == ["Junior Engineer", "Senior Engineer"]
    assert next(s for s in draft.sections if s.title == "Feedback").about == []
    assert len(track(draft, "Engineering").levels) == 2  # a page titled "From … to …" is no level


def test_a_table_of_grades_and_pages_per_grade_with_transitions_make_one_ladder(tmp_path: Path) -> None:
    from bot.framework.reading.files import import_files

    (tmp_path / "grades.csv").write_text(
        "grade,roleLevel,persona\n1,Junior,The Learner\n2,Mid,The Doer\n3,Senior,The Guide\n", encoding="utf-8"
    )
    paths = [tmp_path / "grades.csv"]
    for n in (1, 2, 3):
        page = tmp_path / "expectations" / f"grade-{n}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(GRADE_PAGE.format(text=f"Delivers work of grade {n}.", n=n), encoding="utf-8")
        paths.append(page)
    step = tmp_path / "transitions" / "expectations-2-to-3.md"
    step.parent.mkdir()
    step.write_text(
        textwrap.dedent(TRANSITION).format(a="Doer", b="Guide", what="helping others", low="tasks", high="teams"),
        encoding="utf-8",
    )
    draft = import_files([*paths, step], "Grades")
    assert len(draft.tracks) == 1 and [lv.title for lv in draft.tracks[0].levels] == ["Junior", "Mid", "Senior"]
    document = draft.document()
    [section] = document["sections"]
    assert section["about"] == ["mid", "senior"]  # the pages' levels, joined to the table's rows
    assert check_framework_text(draft.yaml()).errors == []


# -- prose beside levels read from other files ------------------------------------------------------------------


SKETCH_PAGE = """
    ---
    title: Career Plan
    ---
    <section><h2>Contents</h2>
      <ul><li><a href="#path">The path</a></li><li><a href="#roles">Roles</a></li></ul>
    </section>
    <section id="path"><h2>Career path</h2>
      <svg viewBox="0 0 200 300">
        <line x1="100" y1="260" x2="100" y2="180"/><line x1="100" y1="180" x2="40" y2="100"/>
        <line x1="100" y1="180" x2="160" y2="100"/>
        <rect x="60" y="240" width="80" height="40"/><text x="100" y="265">Junior</text>
        <rect x="60" y="160" width="80" height="40"/><text x="100" y="185">Senior</text>
        <rect x="0" y="80" width="80" height="40"/><text x="40" y="105">Manager</text>
        <rect x="120" y="80" width="80" height="40"/><text x="160" y="105">Specialist</text>
      </svg>
    </section>
    <section id="roles"><h2>Functional roles</h2>
      <p>Roles such as Tech Lead are taken on for a while; they are not promotions.</p>
    </section>
    """


def test_a_page_of_prose_and_a_drawing_joins_the_levels_a_table_gives(tmp_path: Path) -> None:
    from bot.framework.reading.files import import_files

    (tmp_path / "jobs.csv").write_text(
        "name,description\nJunior,Learns the craft.\nSenior,Leads the work.\nManager,Leads people.\nSpecialist,Leads in depth.\n",
        encoding="utf-8",
    )
    (tmp_path / "index.html").write_text(textwrap.dedent(SKETCH_PAGE).lstrip(), encoding="utf-8")
    draft = import_files([tmp_path / "index.html", tmp_path / "jobs.csv"], "Plan")  # the page alone gives no level
    assert [lv.title for lv in draft.tracks[0].levels] == ["Junior", "Senior"]
    assert {t.name: starts_after(draft, t.name) for t in draft.tracks[1:]} == {"Manager": "Senior", "Specialist": "Senior"}
    assert [(s.title, texts(s.pieces)) for s in draft.sections] == [
        ("Functional roles", ["Roles such as Tech Lead are taken on for a while; they are not promotions."])
    ]
    unplaced = {e.piece.text: e.reason for e in draft.ledger.unplaced}
    assert unplaced["Contents"].startswith("navigation markup") and unplaced["Roles"].startswith("navigation markup")
    assert "Career path" not in unplaced  # the heading of the drawing that was read
    assert check_framework_text(draft.yaml()).errors == []


def test_a_first_pages_front_matter_names_the_level_its_track_follows(tmp_path: Path) -> None:
    page = "---\ntitle: {title}\nlevel: {n}\n{extra}---\n\nWorks as {title}.\n"
    draft = read(
        tmp_path,
        {
            "engineers/engineer.md": page.format(title="Engineer", n=1, extra=""),
            "engineers/senior.md": page.format(title="Senior Engineer", n=2, extra=""),
            "managers/manager.md": page.format(title="Engineering Manager", n=1, extra="after: Senior Engineer\n"),
            "managers/director.md": page.format(title="Director", n=2, extra=""),
        },
    )
    assert starts_after(draft, "Managers") == "Senior Engineer"
    assert [e for e in draft.ledger.unplaced if e.piece.text == "Senior Engineer"] == []  # the key was used
