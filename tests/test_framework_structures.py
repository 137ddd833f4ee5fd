"""The framework file's structures as organisations write them: equivalence groups across any number of tracks, a trunk
that forks (starts_after), one title on two tracks, competency scales and groups, prose sections, question words, ids
in any script; the checks on them (each located at its line and column), the model's API, and answers and pages that
say what the file says and nothing more."""

from __future__ import annotations

import re
import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from bot.framework.loader import check_framework_text, load_framework
from bot.framework.names import make_id
from bot.framework.spec import Id
from bot.questions.answers import Answerer
from bot.questions.ladder_table import side_by_side
from messages.pages import Pages
from messages.render import Renderer

RENDERER = Renderer()

FORK = """\
name: Forking Co
sections:
  - {title: Moving between tracks, kind: switching, text: Talk to your manager first; a move has a six-month trial.}
  - {title: How promotions are decided, kind: promotion, text: Evidence over a year; a panel reads it.}
  - {title: Testing defined, kind: competencies, about: [testing], text: Testing is how we know code works.}
question_words:
  next: [nächste]
competencies:
  - id: testing
    name: Testing
    group: Core technical
    scale:
      - {label: Aware, description: Runs the tests.}
      - {label: Practitioner, description: Writes tests that catch regressions.}
      - {label: Expert, description: Shapes how teams test.}
tracks:
  - id: engineer
    name: Software Engineer
    levels:
      - {id: se_i, title: Software Engineer I, expectations: {testing: Runs tests.}}
      - {id: se_ii, title: Software Engineer II, expectations: {testing: Writes tests.}}
      - {id: se_iii, title: Software Engineer III, expectations: {testing: Designs tests.}}
  - id: professional
    name: Professional
    starts_after: se_iii
    levels:
      - {id: staff, title: Staff Engineer, summary: Leads across teams., expectations: {testing: Sets direction.}}
      - {id: principal, title: Principal Engineer}
  - id: management
    name: Management
    starts_after: se_iii
    levels:
      - {id: em, title: Engineering Manager, summary: Leads a team.}
      - {id: director, title: Director}
"""

FOUR = """\
name: Four Tracks
tracks:
  - id: ic
    name: Engineering
    levels:
      - {id: e1, title: Engineer 1}
      - {id: e2, title: Senior Engineer 2}
      - {id: e3, title: Staff Engineer, equivalent: [m2, d3]}
  - id: mgmt
    name: Management
    levels:
      - {id: m1, title: Team Lead}
      - {id: m2, title: Engineering Manager}
  - id: design
    name: Design
    levels:
      - {id: d1, title: Designer}
      - {id: d2, title: Senior Engineer 2}
      - {id: d3, title: Staff Designer, equivalent: a2}
  - id: data
    name: Data
    levels:
      - {id: a1, title: Analyst}
      - {id: a2, title: Staff Analyst}
"""

UNALIGNED = """\
name: No Equivalents
tracks:
  - id: ic
    name: Individual Contributor
    levels: [{id: ic1, title: IC1}, {id: ic2, title: IC2}, {id: ic3, title: IC3}]
  - id: m
    name: Manager
    levels: [{id: m3, title: M3}, {id: m4, title: M4}]
"""


def load(text: str, source: str = "org.yaml"):
    result = check_framework_text(text, source)
    assert result.framework is not None and not result.errors, result.lines()
    return result.framework


def problems(text: str, severity: str = "error") -> list[str]:
    result = check_framework_text(text, "org.yaml")
    return [p.format("org.yaml") for p in result.problems if p.severity == severity]


def render(answer) -> str:
    return RENDERER.terminal(answer.template, **answer.context)


# -- the file: each new field, good and bad, with where ------------------------------------------------------


def test_the_new_fields_load_into_the_model():
    fw = load(FORK)
    testing = fw.competency("testing")
    assert testing.group == "Core technical"
    assert [(s.label, s.rank) for s in testing.scale] == [("Aware", 0), ("Practitioner", 1), ("Expert", 2)]
    assert [(s.title, s.kind, s.about) for s in fw.sections][2] == ("Testing defined", "competencies", ("testing",))
    assert fw.question_words == {"next": ("nächste",)}
    assert fw.track("professional").starts_after == "se_iii"
    assert [s.title for s in fw.sections_of("switching", "promotion")] == ["Moving between tracks", "How promotions are decided"]


def test_ids_and_names_in_any_script():
    text = """\
name: 日本のラダー
tracks:
  - id: エンジニア
    name: エンジニア
    levels:
      - {id: シニア, title: シニアエンジニア}
      - {id: वरिष्ठ_अभियंता, title: वरिष्ठ अभियंता}
      - {id: старший_2, title: Старший 2}
"""
    fw = load(text)
    assert [lv.id for lv in fw.levels] == ["シニア", "वरिष्ठ_अभियंता", "старший_2"]


@pytest.mark.parametrize("bad", ["Staff", "2nd", "_x", "sr-em", "a b", "Сеньор"])
def test_an_id_that_is_not_one_is_refused_at_its_line(bad):
    text = f"name: X\ntracks:\n  - id: ic\n    name: IC\n    levels:\n      - id: '{bad}'\n        title: One\n"
    assert problems(text) == [
        f"org.yaml:6:13: tracks[0].levels[0].id: '{bad}' is not a valid id (lower-case letters of any script, digits and "
        "'_', starting with a letter)"
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sets(st.sampled_from(["a", "n1", "senior", "シニア", "item"]), max_size=4))
def test_make_id_always_makes_a_valid_new_id(name, taken):
    before = set(taken)
    made = make_id(name, taken)
    TypeAdapter(Id).validate_python(made)
    assert made not in before and made in taken


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " -_.()", max_size=30))
def test_make_id_keeps_the_letters_and_digits_of_an_ascii_name(name):
    made = make_id(name, set())
    kept = re.sub(r"[^a-z0-9]", "", name.lower())
    assert re.sub(r"[^a-z0-9]", "", made).endswith(kept)


def test_a_group_of_equivalents_spans_four_tracks_and_needs_no_symmetry():
    fw = load(FOUR)
    staff = fw.level("e3")
    assert [lv.id for lv in fw.equivalents_of(staff)] == ["m2", "d3", "a2"]  # a2 only through d3: transitive
    assert [lv.id for lv in fw.equivalents_of(fw.level("a2"))] == ["e3", "m2", "d3"]  # named from the other side only
    assert fw.equivalent_of(staff, "data").id == "a2" and fw.equivalent_of(staff).id == "m2"
    assert fw.equivalent_of(staff, "ic") is None and fw.equivalents_of(fw.level("e1")) == ()
    assert fw.has_equivalents and not load(UNALIGNED).has_equivalents


def test_old_single_equivalents_keep_loading():
    fw = load_framework()
    assert fw.equivalent_of(fw.level("staff")).id == "sr_em"
    assert fw.equivalent_of(fw.level("sr_em")).id == "staff"


def test_a_group_with_two_levels_of_one_track_is_refused_with_the_chain():
    text = FOUR.replace("{id: a2, title: Staff Analyst}", "{id: a2, title: Staff Analyst, equivalent: e2}")
    assert problems(text) == [
        "org.yaml:24:52: tracks[3].levels[1].equivalent: this would make 'e3' and 'e2' equivalent (e3 ≈ d3 ≈ a2 ≈ e2), "
        "and both are on track 'ic'; a group of equivalent levels holds one level per track"
    ]


def test_a_list_item_that_is_no_id_is_reported_at_the_item_and_a_number_once():
    listed = FOUR.replace("equivalent: [m2, d3]", "equivalent: [m2, D3]")
    assert problems(listed) == [
        "org.yaml:8:58: tracks[0].levels[2].equivalent[1]: 'D3' is not a valid id (lower-case letters of any script, "
        "digits and '_', starting with a letter)"
    ]
    number = FOUR.replace("equivalent: [m2, d3]", "equivalent: 5")
    assert problems(number) == ["org.yaml:8:53: tracks[0].levels[2].equivalent: expected a string or a list, got a whole number"]
    unknown = FOUR.replace("equivalent: [m2, d3]", "equivalent: [m2, d33]")
    assert problems(unknown) == ["org.yaml:8:58: tracks[0].levels[2].equivalent[1]: no level 'd33'; did you mean 'd3'?"]


def test_equivalences_that_cross_are_a_warning():
    text = UNALIGNED.replace("{id: ic1, title: IC1}", "{id: ic1, title: IC1, equivalent: m4}").replace(
        "{id: ic3, title: IC3}", "{id: ic3, title: IC3, equivalent: m3}"
    )
    warnings = [w for w in problems(text, "warning") if "cross" in w]
    assert warnings == [
        "org.yaml:5:76: tracks[0].levels[2]: equivalences between tracks 'ic' and 'm' cross: 'ic3' ≈ 'm3' but the lower "
        "'ic1' ≈ the higher 'm4' (warning)"
    ]
    table = side_by_side(load(text), list(load(text).tracks))  # crossing groups cannot share rows: every level still once
    assert sorted(lv.id for row in table.rows for lv in row if lv) == ["ic1", "ic2", "ic3", "m3", "m4"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("starts_after: se_iiii", "org.yaml:25:19: tracks[1].starts_after: no level 'se_iiii'; did you mean 'se_iii'?"),
        (
            "starts_after: principal",
            "org.yaml:25:19: tracks[1].starts_after: 'principal' is on the same track; the level it starts after must be "
            "on another track",
        ),
    ],
)
def test_starts_after_names_a_level_on_another_track(change, expected):
    assert problems(
        FORK.replace("starts_after: se_iii\n    levels:\n      - {id: staff", f"{change}\n    levels:\n      - {{id: staff", 1)
    ) == [expected]


def test_tracks_that_start_after_one_another_in_a_circle_are_refused():
    text = FORK.replace("    name: Software Engineer\n", "    name: Software Engineer\n    starts_after: staff\n")
    assert problems(text) == [
        "org.yaml:19:19: tracks[0].starts_after: tracks start after one another in a circle (engineer → professional → "
        "engineer); one of them must start on its own"
    ]


def test_one_title_on_two_tracks_and_names_shared_across_kinds_are_allowed():
    fw = load(FOUR)  # "Senior Engineer 2" on Engineering and Design
    assert [lv.id for lv in fw.levels if lv.title == "Senior Engineer 2"] == ["e2", "d2"]
    clash = FOUR.replace("name: Management", "name: Engineering Manager")  # a track named like a level
    clash = clash.replace("name: Four Tracks", "name: Four Tracks\ncompetencies: [{id: staff_designer, name: Staff Designer}]")
    assert problems(clash) == []


def test_two_levels_of_one_track_titled_alike_are_refused():
    text = FOUR.replace("{id: e1, title: Engineer 1}", "{id: e1, title: 'Staff engineer'}")
    assert problems(text) == [
        "org.yaml:8:25: tracks[0].levels[2].title: 'Staff Engineer' is already the title of level 'e1' on this track; "
        "titles on one track must differ"
    ]


def test_an_alias_that_names_two_levels_is_a_warning_not_a_silent_pick():
    text = FOUR.replace("{id: m1, title: Team Lead}", "{id: m1, title: Team Lead, aliases: [Lead]}").replace(
        "{id: d1, title: Designer}", "{id: d1, title: Designer, aliases: [lead, Staff Engineer]}"
    )
    assert [w for w in problems(text, "warning") if "names" in w] == [
        "org.yaml:12:46: tracks[1].levels[0].aliases[0]: 'Lead' names 2 levels, 'm1' and 'd1'; a question using it "
        "alone will be asked which one is meant (warning)",
        "org.yaml:17:51: tracks[2].levels[0].aliases[1]: 'Staff Engineer' names 2 levels, 'e3' and 'd1'; a question "
        "using it alone will be asked which one is meant (warning)",
    ]
    assert problems(text) == []
    steps = "\n".join(
        f"  - {{id: f{f}, name: Family {f}, levels: [{{id: f{f}_1, title: Writer {f}, aliases: [Level 1]}}]}}" for f in range(5)
    )
    many = [w for w in problems(f"name: Families\ntracks:\n{steps}\n", "warning") if "names" in w]
    assert many == [  # one warning for a name shared by every family, not one per family
        "org.yaml:3:77: tracks[0].levels[0].aliases[0]: 'Level 1' names 5 levels, 'f0_1', 'f1_1', 'f2_1' and 2 more; "
        "a question using it alone will be asked which one is meant (warning)"
    ]


def test_two_competencies_of_one_track_named_alike_are_refused_but_not_on_separate_tracks():
    separate = (
        UNALIGNED
        + "competencies:\n  - {id: talk, name: Communication, tracks: [ic]}\n  - {id: talk_m, name: communication, tracks: [m]}\n"
    )
    assert problems(separate) == []
    shared = separate.replace("tracks: [m]", "tracks: [m, ic]")
    assert problems(shared) == [
        "org.yaml:11:24: competencies[1].name: 'communication' already names competency 'talk', which applies to track "
        "'ic' too; a question could not tell them apart"
    ]


def test_sections_question_words_and_scales_are_checked():
    about = FORK.replace("about: [testing]", "about: [testin]")
    assert problems(about) == [
        "org.yaml:5:58: sections[2].about[0]: no track, level or competency 'testin'; did you mean 'testing'?"
    ]
    kind = FORK.replace("kind: promotion", "kind: promotions")
    assert problems(kind) == [
        "org.yaml:4:47: sections[1].kind: 'promotions' is not one of 'switching', 'promotion', 'competencies', "
        "'all_levels' or 'other'"
    ]
    words = FORK.replace("  next: [nächste]", "  next: [nächste]\n  nxt: [danach]")
    assert problems(words) == [
        "org.yaml:8:3: question_words.nxt: unknown question kind 'nxt' (allowed: 'difference', 'next', 'equivalent', "
        "'switch', 'promotion', 'ladder', 'competencies', 'help', 'personal' or 'time')"
    ]
    twice = FORK.replace("  next: [nächste]", "  next: [nächste]\n  ladder: [Nächste]")
    assert problems(twice, "warning")[0] == (
        "org.yaml:8:12: question_words.ladder[0]: 'Nächste' is also a word for 'next' questions; a question with it may "
        "be read as either (warning)"
    )
    scale = FORK.replace("{label: Expert, description: Shapes how teams test.}", "{label: aware}")
    assert "org.yaml:15:17: competencies[0].scale[2].label: 'aware' is already a step of this scale (warning)" in problems(
        scale, "warning"
    )


# -- a framework read the wrong way round ----------------------------------------------------------------------


def test_level_titles_that_read_like_headings_are_a_warning():
    text = """\
name: Sideways
tracks:
  - id: ic
    name: Engineering
    levels: [{id: a, title: Expectations}, {id: b, title: Competencies}, {id: c, title: Track record}]
"""
    assert [w for w in problems(text, "warning") if "headings" in w] == [
        "org.yaml:5:29: tracks[0].levels[0].title: level titles 'Expectations', 'Competencies', 'Track record' read like "
        "headings, not levels: was a header row or column read as levels? (if levels run across the columns, they were "
        "probably read down the rows) (warning)"
    ]


def test_a_competency_for_every_level_is_a_warning():
    levels = ", ".join(f"{{id: l{i}, title: Grade {i}, expectations: {{Skill {i}: Does {i}.}}}}" for i in range(4))
    text = f"name: Swapped\ntracks:\n  - id: ic\n    name: IC\n    levels: [{levels}]\n"
    assert any("each of the 4 levels has exactly one competency" in w for w in problems(text, "warning"))


def test_competencies_named_like_levels_are_a_warning():
    text = UNALIGNED + "competencies:\n  - {id: a, name: Senior Engineer}\n  - {id: b, name: Level 3}\n  - {id: c, name: Craft}\n"
    assert any("2 of 3 competencies are named like levels ('Senior Engineer', 'Level 3')" in w for w in problems(text, "warning"))


@pytest.mark.parametrize("text", [FORK, FOUR, UNALIGNED])
def test_well_read_frameworks_raise_none_of_these_warnings(text):
    assert not [w for w in problems(text, "warning") if "read like headings" in w or "swapped" in w or "named like levels" in w]


def test_the_shipped_default_and_a_large_ladder_raise_none_of_these_warnings():
    from bot.framework.loader import check_framework_file, default_framework_path
    from tests.frameworks import large_framework_text

    assert check_framework_file(default_framework_path()).problems == []
    assert check_framework_text(large_framework_text(), "large.yaml").problems == []  # "Competency number 0" is no level


# -- the model: where a level leads ---------------------------------------------------------------------------


def test_a_trunk_that_forks_leads_to_every_track_that_starts_after_it():
    fw = load(FORK)
    lv = fw.level
    assert [x.id for x in fw.next_levels(lv("se_iii"))] == ["staff", "em"]
    assert fw.next_level(lv("se_iii")).id == "staff" and [x.id for x in fw.next_levels(lv("se_ii"))] == ["se_iii"]
    assert fw.previous_level(lv("em")).id == "se_iii" and fw.previous_level(lv("se_i")) is None
    assert [x.id for x in fw.path_between(lv("se_i"), lv("director"))] == ["se_i", "se_ii", "se_iii", "em", "director"]
    assert fw.path_between(lv("staff"), lv("em")) is None and fw.path_between(lv("staff"), lv("se_i")) is None
    assert fw.next_levels(lv("director")) == () and [t.id for t in fw.tracks_starting_after(lv("se_iii"))] == [
        "professional",
        "management",
    ]


def test_levels_apart_follows_the_trunk_and_the_groups_and_says_none_where_the_file_does_not():
    fw = load(FORK)
    assert fw.levels_apart("staff", fw.level("se_ii")) == 2
    assert fw.levels_apart("se_i", fw.level("director")) == -4
    assert fw.levels_apart("staff", fw.level("em")) is None  # two branches, no equivalents between them
    four = load(FOUR)
    assert four.levels_apart("a2", four.level("e3")) == 0  # through the group
    assert four.levels_apart("a2", four.level("e2")) == 1
    assert four.levels_apart("m1", four.level("e1")) is None
    linked = load(
        FORK.replace(
            "{id: principal, title: Principal Engineer}", "{id: principal, title: Principal Engineer, equivalent: director}"
        )
    )
    assert linked.levels_apart("director", linked.level("staff")) == 1


# -- answers --------------------------------------------------------------------------------------------------


def test_what_comes_after_the_fork_names_every_next_level_with_its_track():
    fw = load(FORK)
    answer = Answerer(fw).ask("what comes after Software Engineer III")
    assert answer.template == "next_levels"
    assert [(lv.id, t.id) for lv, t in answer.context["options"]] == [("staff", "professional"), ("em", "management")]
    text = render(answer)
    assert "Staff Engineer (Professional track)" in text and "Engineering Manager (Management track)" in text
    assert "top of the" not in text
    mine = Answerer(fw).ask("what's my next level", person_level=fw.level("se_iii"))
    assert mine.template == "next_levels" and mine.context["you"]
    one = Answerer(fw).ask("what comes after Software Engineer II")
    assert one.template == "compare" and one.context["after"].id == "se_iii"


def test_a_comparison_up_the_trunk_into_a_branch_is_a_step_up_not_a_switch():
    fw = load(FORK)
    answer = Answerer(fw).ask("difference between software engineer ii and staff engineer")
    assert answer.context["on_one_path"] and answer.context["steps"] == 2
    assert "Software Engineer II → Software Engineer III → Staff Engineer" in render(answer)
    below = Answerer(fw).ask("what's below staff engineer")
    assert (below.context["before"].id, below.context["after"].id) == ("se_iii", "staff")
    asked = Answerer(fw).ask("how do I become a staff engineer", person_level=fw.level("se_ii"))
    assert asked.template != "switch"


def test_the_level_answer_lists_each_next_level_and_each_equivalent():
    text = render(Answerer(load(FORK)).ask("what does Software Engineer III mean"))
    assert (
        "Next levels, one per track it leads to:\n• Staff Engineer (Professional track)\n• Engineering Manager (Management track)"
        in text
    )
    assert "the framework names no equivalent levels between tracks" in text
    staff = render(Answerer(load(FOUR)).ask("what does Staff Engineer mean"))
    for line in (
        "on the Management track:* Engineering Manager",
        "on the Design track:* Staff Designer",
        "on the Data track:* Staff Analyst",
    ):
        assert line.replace("*", "") in staff


def test_equivalents_across_four_tracks_are_all_listed():
    answer = Answerer(load(FOUR)).ask("what's the equivalent of Staff Engineer")
    text = render(answer)
    for title, track in (("Engineering Manager", "Management"), ("Staff Designer", "Design"), ("Staff Analyst", "Data")):
        assert f"• {title} ({track} track)" in text
    assert [lv.id for lv, _t in answer.context["equivalents"]] == ["m2", "d3", "a2"]


def test_a_level_without_equivalents_is_said_to_have_none():
    none_at_all = render(Answerer(load(UNALIGNED)).ask("what's the equivalent of IC1"))
    assert "The framework names no equivalent levels between tracks" in none_at_all
    assert "M3" not in none_at_all.split("=\n", 1)[1]  # IC1 is never put beside M3
    some = render(Answerer(load(FOUR)).ask("what's the equivalent of Analyst"))
    assert "The framework names no equivalent of Analyst (Data track)" in some


def test_the_ladder_claims_no_equivalence_the_file_does_not_make():
    answer = Answerer(load(UNALIGNED)).ask("show me the ladder")
    (table,) = answer.context["tables"]
    assert not table.aligned and table.rows == ()
    text = render(answer)
    assert "same row" not in text and "names no equivalent levels between tracks" in text
    assert text.index("1. IC1") < text.index("3. IC3") < text.index("1. M3")
    message = RENDERER.message(answer.template, **answer.context)
    assert not [b for b in message.blocks if b.get("fields")]  # no table whose rows could be read as pairs


def test_the_ladder_shares_a_row_only_within_a_group():
    fw = load(FOUR)
    table = side_by_side(fw, list(fw.tracks))
    shared = [tuple(lv.id for lv in row if lv) for row in table.rows if sum(lv is not None for lv in row) > 1]
    assert shared == [("e3", "m2", "d3", "a2")]
    assert [lv.id for row in table.rows for lv in row if lv and lv.track_id == "ic"] == ["e1", "e2", "e3"]
    assert "Levels on the same row are named as equivalent" in render(Answerer(fw).ask("show me the ladder"))


def test_a_forked_ladder_says_where_each_branch_continues_from():
    text = render(Answerer(load(FORK)).ask("show me the ladder"))
    assert "Professional, continuing after Software Engineer III" in text
    assert "Management, continuing after Software Engineer III" in text


def test_a_competency_answer_shows_its_own_scale_group_and_definition():
    text = render(Answerer(load(FORK)).ask("what is testing"))
    assert "Part of Core technical" in text and "Testing is how we know code works." in text
    assert (
        "1. Aware: Runs the tests.\n2. Practitioner: Writes tests that catch regressions.\n3. Expert: Shapes how teams test."
        in text
    )
    assert "How it grows on the Management track" not in text  # no level of it states Testing


def test_switching_answers_quote_the_switching_sections():
    text = render(Answerer(load(FORK)).ask("how do I switch to management"))
    assert "Moving between tracks\nTalk to your manager first; a move has a six-month trial." in text


# -- pages ----------------------------------------------------------------------------------------------------


def test_the_index_page_lines_up_no_tracks_the_file_does_not():
    page = Pages(load(UNALIGNED)).index()
    assert "same row" not in page and "<table" not in page
    assert "The framework names no equivalent levels between tracks" in page
    aligned = Pages(load(FOUR)).index()
    assert "Levels on the same row are named as equivalent in the framework" in aligned
    assert aligned.count("<tr>") == 1 + 7  # the header, one row for the group and one for each of the 6 other levels


def test_level_pages_show_a_fork_and_sections_reach_the_index():
    pages = Pages(load(FORK))
    page = pages.level("se_iii")
    assert "Levels above (the ladder forks here)" in page and 'href="staff"' in page and 'href="em"' in page
    assert "the Professional track continues after it" in pages.level("staff")
    assert "Testing is how we know code works." in pages.index()
    pairs = {(a.id, b.id) for a, b in pages.static_pairs()}
    assert {("se_iii", "staff"), ("se_iii", "em")} <= pairs
    four = {(a.id, b.id) for a, b in Pages(load(FOUR)).static_pairs()}
    assert {("e3", "a2"), ("a2", "e3"), ("m2", "d3")} <= four


# -- properties over any equivalences and forks ------------------------------------------------------------------


@st.composite
def _ladders(draw):
    tracks = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(tracks)]
    ids = [[f"t{t}_{n}" for n in range(size)] for t, size in enumerate(sizes)]
    every = [i for track in ids for i in track]
    doc = {"name": "Prop", "tracks": []}
    for t, levels in enumerate(ids):
        track = {"id": f"t{t}", "name": f"Track {t}", "levels": []}
        if t and draw(st.booleans()):
            track["starts_after"] = draw(st.sampled_from([i for track_ids in ids[:t] for i in track_ids]))
        for level_id in levels:
            level = {"id": level_id, "title": f"Level {level_id}"}
            links = draw(st.lists(st.sampled_from(every), max_size=2))
            if links:
                level["equivalent"] = links if len(links) > 1 else links[0]
            track["levels"].append(level)
        doc["tracks"].append(track)
    return doc


@settings(max_examples=150, deadline=None)
@given(_ladders())
def test_any_equivalences_and_forks_load_or_are_refused_and_loaded_ones_hold(doc):
    result = check_framework_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "prop.yaml")
    assert result.framework is not None or result.errors
    for problem in result.problems:
        assert problem.line is not None, problem
    fw = result.framework
    if fw is None:
        return
    for level in fw.levels:
        group = fw.equivalence_group(level)
        assert len({lv.track_id for lv in group}) == len(group)  # one level per track
        for other in fw.equivalents_of(level):
            assert any(x.id == level.id for x in fw.equivalents_of(other))  # symmetric however it was written
        for following in fw.next_levels(level):
            assert fw.previous_level(following).id == level.id
            assert fw.levels_apart(following.id, level) == 1
    for tracks in (list(fw.tracks), list(fw.tracks)[::-1]):
        table = side_by_side(fw, tracks)
        if not table.aligned:
            assert not fw.has_equivalents or len(tracks) == 1 or table.rows == ()
            continue
        placed = [lv for row in table.rows for lv in row if lv]
        assert sorted(lv.id for lv in placed) == sorted(lv.id for t in tracks for lv in t.levels)  # each level once
        for row in table.rows:
            members = [lv for lv in row if lv]
            for lv in members[1:]:
                assert any(x.id == lv.id for x in fw.equivalents_of(members[0]))  # a shared row is a group
        position = {lv.id: r for r, row in enumerate(table.rows) for lv in row if lv}
        for track in tracks:
            order = [position[lv.id] for lv in track.levels]
            assert order == sorted(order)  # each track lowest first


def test_a_spec_error_is_not_a_crash_for_a_bad_question_word_value():
    with pytest.raises(ValidationError):
        from bot.framework.spec import FrameworkSpec

        FrameworkSpec.model_validate(
            {
                "name": "x",
                "tracks": [{"id": "a", "name": "A", "levels": [{"id": "l", "title": "L"}]}],
                "question_words": {"next": "x"},
            }
        )
    assert problems(FORK.replace("  next: [nächste]", "  next: nächste")) == [
        "org.yaml:7:9: question_words.next: expected a list, got a string"
    ]
