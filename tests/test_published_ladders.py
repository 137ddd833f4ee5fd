"""Issue #17: real career ladders, as their organisations published them, imported and asked in their own words.

The ladders are byte-for-byte copies of those whose licence allows it (tests/data/ladders/<org>/, each with SOURCE.md
and LICENSE.md); the questions and what a correct answer must contain are bench/ladders/<org>/questions.yaml, the
same files bench/bench_ladders.py measures every ladder with. The counts below were taken by reading the sources.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("bot.framework.reading.files")  # the importer (issue #17) is being built; nothing else is skipped

from bench.bench_ladders import LadderResult, load_spec, run_ladder  # noqa: E402
from bot.framework.names import normalize  # noqa: E402

LADDERS = Path(__file__).parent / "data" / "ladders"
ORGS = sorted(p.name for p in LADDERS.iterdir() if p.is_dir())

# What each source holds, counted by reading it: tracks, levels, and competencies (None where the source's shape
# leaves the count to the importer's reading, e.g. Readify's first-person "defining characteristics").
SUMMARY: dict[str, tuple[int, int, int | None]] = {
    # IC: Intern, Engineer 1, Engineer 2, Senior Engineer 1/2, Staff, Senior Staff, Principal (8);
    # management M2-M6 (5). 13 IC rows in four criteria tables + People & Business Leadership, Impact, Influence,
    # Discretion as the manager table's columns (Impact/Influence/Discretion are also the IC criteria's names).
    "artsy": (2, 13, None),
    "carvago": (1, 4, 4),  # Frontend Engineer; Junior/Medior/Senior/Expert; Delivery, Know-how, Communication, Leadership
    "indrive": (2, 14, 18),  # 10 engineer + 4 manager levels; 8 Craftsmanship + 6 Impact + 4 Behavior competencies
    "infracloud": (1, 5, None),  # Associate Engineer .. Principal Engineer
    # two families x 6 levels of prose (an "Experience:" line each, which an import may keep as a competency)
    "postman-open-technologies": (2, 12, None),
    # Development 6, its engineering branch 2, Data and Analytics 5, Design 6, Managed Services 2, Program Manager 1
    "readify": (6, 22, None),
    "skylight": (14, 78, None),  # 12 families x 6 levels, Consultant and People manager x 3
}

# Competencies each source names (a heading, a table row or column, a sheet), which the import must keep by name (as a
# competency, or as the group its competencies belong to: InfraCloud's "Enabling Traits" are bold-labelled traits).
COMPETENCIES: dict[str, set[str]] = {
    "artsy": {
        "Technical understanding",
        "Technical decision-making",
        "Code quality",
        "Industry knowledge",
        "Team impact",
        "Product impact",
        "Team influence",
        "Engineering influence",
        "Cross-functional collaboration",
        "Communication",
        "Oversight",
        "Initiative",
        "Management relationship",
        "People & Business Leadership",
    },
    "carvago": {"Delivery", "Know-how", "Communication", "Leadership"},
    "indrive": {"Delivery Process", "Systems Thinking", "Aspiration to Extend", "Strategy Execution", "Talent Growth"},
    "infracloud": {
        "Core Competencies",
        "Management",
        "Delighting People",
        "Organization Building",
        "Social Capital",
        "Enabling Traits",
    },
    "skylight": {"Software development", "Code quality", "User focus", "Empathy", "Delivering feedback", "Business development"},
}

# Cells that are not ladder text and may be listed as not placed: the assessment workbook's form values and formulas.
FORM_CELLS = {"carvago": {"nope", "somewhat", "yes", "level result", "achieved", "not there yet"}}


@cache
def result(org: str) -> LadderResult:
    return run_ladder(load_spec(org), LADDERS / org)


def test_every_licensed_ladder_is_here() -> None:
    assert ORGS == sorted(SUMMARY)


@pytest.mark.parametrize("org", ORGS)
def test_imports_as_published_and_checks(org: str) -> None:
    imported = result(org).imported
    assert imported.status == "yes", imported.reason
    assert imported.errors == []
    assert imported.framework is not None


@pytest.mark.parametrize("org", ORGS)
def test_summary_matches_the_source(org: str) -> None:
    framework = result(org).imported.framework
    assert framework is not None, result(org).imported.reason
    tracks, levels, competencies = SUMMARY[org]
    assert len(framework.tracks) == tracks
    assert sum(len(t.levels) for t in framework.tracks) == levels
    groups = {normalize(c.group) for c in framework.competencies if c.group}
    if competencies is not None:
        # a group's own text per level (inDrive's "Craftsmanship (C3)" summary) may sit under the group's name
        name_of = {c.id: normalize(c.name) for c in framework.competencies}
        used = {c for t in framework.tracks for level in t.levels for c in level.expectations if name_of[c] not in groups}
        assert len(used) == competencies
    names = {normalize(c.name) for c in framework.competencies} | groups
    assert {normalize(n) for n in COMPETENCIES.get(org, set())} <= names


@pytest.mark.parametrize("org", ORGS)
def test_nothing_is_left_out_but_markup(org: str) -> None:
    imported = result(org).imported
    assert imported.draft is not None, imported.reason
    form = FORM_CELLS.get(org, set())
    lost = [
        f"{e.piece.where}: {e.piece.text[:60]!r} ({e.reason})"
        for e in imported.draft.ledger.unplaced
        if "markup" not in e.reason.lower()
        and not (e.piece.text.strip().casefold() in form or (form and e.piece.text.strip().startswith("=")))
    ]
    assert lost == []


@pytest.mark.parametrize("org", ORGS)
def test_answers_nine_of_ten_in_the_organisations_own_words(org: str) -> None:
    outcome = result(org)
    assert outcome.imported.framework is not None, outcome.imported.reason
    wrong = [f"{s.question.ask!r}: missing {s.missing}, shows {s.wrong}" for s in outcome.scored if not s.correct]
    assert outcome.correct >= 9, "\n".join(wrong)


@pytest.mark.parametrize("org", ORGS)
def test_every_level_code_and_short_name_resolves(org: str) -> None:
    outcome = result(org)
    assert outcome.imported.framework is not None, outcome.imported.reason
    unresolved = [f"{r.code.code!r} -> {r.got}" for r in outcome.resolved if not r.resolved]
    assert unresolved == []


def test_artsy_names_each_ic_and_manager_pair_as_equivalent() -> None:
    framework = result("artsy").imported.framework
    assert framework is not None
    by_title = {normalize(level.title): level for t in framework.tracks for level in t.levels}
    pairs = [
        ("Senior Engineer 1", "Engineering Manager 1"),
        ("Senior Engineer 2", "Engineer Manager 2"),
        ("Staff Engineer", "Senior Engineering Manager"),
        ("Senior Staff Engineer", "Director of Engineering"),
        ("Principal Engineer", "Senior Director of Engineering"),
    ]
    for ic, manager in pairs:
        manager_level = by_title.get(normalize(manager)) or by_title[normalize(manager.replace("Engineer ", "Engineering "))]
        assert manager_level in framework.equivalents_of(by_title[normalize(ic)])
    assert framework.equivalents_of(by_title[normalize("Engineer 2")]) == ()


def test_readify_engineering_branch_starts_after_senior_developer() -> None:
    framework = result("readify").imported.framework
    assert framework is not None
    development = next(t for t in framework.tracks if "development" in normalize(t.name) and t.starts_after is None)
    senior_developer = next(level for level in development.levels if normalize(level.title) == "senior developer")
    titles = {normalize(level.title) for level in framework.next_levels(senior_developer)}
    assert titles == {"senior consultant", "senior engineer"}
