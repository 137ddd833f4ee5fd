"""The framework file: the shipped ones load, and every kind of mistake is reported with its path."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.framework.loader import (
    FrameworkError,
    check_framework_file,
    check_framework_text,
    default_framework_path,
    load_framework,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))


def _level(id_, title, track_competencies, equivalent=None, **extra):
    level = {
        "id": id_,
        "title": title,
        "aliases": [id_.upper()],
        "summary": f"{title} summary.",
        "expectations": {c: f"{title} {c}." for c in track_competencies},
        "scope": "Team.",
        "decision_rights": "Design.",
        **extra,
    }
    if equivalent:
        level["equivalent"] = equivalent
    return level


BASE = {
    "name": "Test Org",
    "version": "1.0",
    "competencies": [
        {"id": "craft", "name": "Craft", "description": "Doing the work.", "tracks": ["ic"]},
        {"id": "leading", "name": "Leading", "description": "Leading people.", "tracks": ["mgmt"]},
    ],
    "tracks": [
        {
            "id": "ic",
            "name": "IC",
            "levels": [
                _level("mid", "Mid Engineer", ["craft"]),
                _level("senior", "Senior Engineer", ["craft"], "manager", band={"min": 100, "max": 200, "currency": "USD"}),
            ],
        },
        {
            "id": "mgmt",
            "name": "Management",
            "levels": [
                _level("manager", "Manager", ["leading"], "senior", band={"min": 100, "max": 200, "currency": "USD"}),
            ],
        },
    ],
}


def check(mutate=None):
    document = copy.deepcopy(BASE)
    if mutate:
        mutate(document)
    return check_framework_text(yaml.safe_dump(document, sort_keys=False), "org.yaml")


def test_a_valid_file_has_no_problems():
    result = check()
    assert result.problems == [] and result.framework is not None
    assert result.framework.level("senior").equivalents == ("manager",)


def test_the_shipped_default_is_a_dual_ladder():
    framework = load_framework()
    assert [lv.title for lv in framework.track("ic").levels][:3] == [
        "Software Engineer I",
        "Software Engineer II",
        "Senior Software Engineer",
    ]
    assert len(framework.track("ic").levels) == 6 and len(framework.track("management").levels) == 5
    assert framework.equivalent_of(framework.level("staff")).id == "sr_em"
    assert framework.equivalent_of(framework.level("principal")).id == "director"
    assert framework.equivalents_of(framework.level("cto")) == ()
    assert {c.id for c in framework.competencies_for("ic")} == {
        "technical_depth",
        "project_execution",
        "strategic_influence",
        "mentoring",
    }
    assert check_framework_file(default_framework_path()).problems == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_load_cleanly(path):
    result = check_framework_file(path)
    assert result.problems == [], result.lines()


def test_examples_include_a_ladder_outside_engineering():
    families = {t.family for path in EXAMPLES for t in load_framework(path).tracks}
    assert families - {"engineering", None}


MISTAKES = [
    (lambda d: d["tracks"][1]["levels"][0].update(equivalent="sr_em"), "tracks[1].levels[0].equivalent", "no level 'sr_em'"),
    (lambda d: d["tracks"][0]["levels"][1].update(equivalent="mid"), "tracks[0].levels[1].equivalent", "same track"),
    (lambda d: d["tracks"][1]["levels"][0].update(equivalent="mid"), "tracks[1].levels[0].equivalent", "one level per track"),
    (lambda d: d["tracks"][0]["levels"][0].pop("title"), "tracks[0].levels[0]", "missing required field 'title'"),
    (
        lambda d: d["tracks"][0]["levels"][0].update(sumary="typo"),
        "tracks[0].levels[0].sumary",
        "unknown field 'sumary'; did you mean 'summary'?",
    ),
    (lambda d: d.update(name=["a", "list"]), "name", "expected a string, got a list"),
    (lambda d: d["tracks"][0]["levels"][0].update(id="Mid Level"), "tracks[0].levels[0].id", "not a valid id"),
    (lambda d: d["tracks"][1]["levels"][0].update(id="mid"), "tracks[1].levels[0].id", "duplicate level id 'mid'"),
    (
        lambda d: d["tracks"][0]["levels"][1].update(title="Mid engineer"),
        "tracks[0].levels[1].title",
        "already the title of level 'mid' on this track",
    ),
    (
        lambda d: d["tracks"][0]["levels"][0]["expectations"].update(leading="x"),
        "tracks[0].levels[0].expectations.leading",
        "does not apply to track 'ic'",
    ),
    (lambda d: d["competencies"][0].update(tracks=["ic", "sales"]), "competencies[0].tracks[1]", "no track 'sales'"),
    (
        lambda d: d["tracks"][0]["levels"][0].update(switch_points=[{"to": "cto"}]),
        "tracks[0].levels[0].switch_points[0].to",
        "no level 'cto'",
    ),
    (lambda d: d["tracks"][0]["levels"][1]["band"].update(min=300), "tracks[0].levels[1].band", "min 300 is above max 200"),
    (lambda d: d["tracks"][1].update(levels=[]), "tracks[1].levels", "must not be empty"),
    (lambda d: d["competencies"].append(dict(d["competencies"][0])), "competencies[2].id", "duplicate competency id 'craft'"),
]


@pytest.mark.parametrize(("mutate", "path", "reason"), MISTAKES, ids=[m[2] for m in MISTAKES])
def test_each_mistake_is_reported_with_its_path(mutate, path, reason):
    result = check(mutate)
    assert result.framework is None
    matching = [p for p in result.errors if p.path == path and reason in p.message]
    assert matching, result.lines()
    assert re.match(r"org\.yaml:\d+:\d+: ", result.lines()[0])


def test_warnings_do_not_stop_loading():
    def lower_manager_band(d):
        d["tracks"][1]["levels"][0]["band"]["min"] = 50
        d["tracks"][0]["levels"][0]["expectations"].clear()

    result = check(lower_manager_band)
    assert result.framework is not None and not result.errors
    messages = [p.format("org.yaml") for p in result.warnings]
    assert any("tracks[1].levels[0].band: min 50 USD is below its equivalent 'senior'" in m for m in messages)
    assert any(
        "tracks[0].levels[0]: 1 of 2 levels of track 'ic' has no expectation for competency 'Craft'" in m for m in messages
    )


def test_an_equivalent_named_from_one_side_is_enough():
    result = check(lambda d: d["tracks"][1]["levels"][0].pop("equivalent"))
    assert result.framework is not None and result.problems == []
    framework = result.framework
    assert framework.equivalent_of(framework.level("manager")).id == "senior"
    assert framework.equivalent_of(framework.level("senior")).id == "manager"


def test_a_level_named_as_equivalent_by_two_levels_of_one_track_is_refused():
    def two_name_manager(d):
        d["tracks"][1]["levels"][0].pop("equivalent")
        d["tracks"][0]["levels"][0]["equivalent"] = "manager"

    result = check(two_name_manager)
    messages = [p.format("org.yaml") for p in result.errors]
    assert len(messages) == 1, result.lines()
    assert "tracks[0].levels[1].equivalent: this would make 'senior' and 'mid' equivalent (senior ≈ manager ≈ mid)" in messages[0]
    assert "both are on track 'ic'; a group of equivalent levels holds one level per track" in messages[0]


def test_a_level_named_like_an_undeclared_competency_is_allowed():
    text = PARTIAL.replace("title: Sales Manager", "title: Closing")  # a level now has the name of an inferred competency
    result = check_framework_text(text, "acme.yaml")
    assert not result.errors, result.lines()
    assert result.framework.level("sm1").title == "Closing" and result.framework.competency("closing").name == "Closing"


def test_yaml_mistakes_name_the_line():
    result = check_framework_text("name: x\nversion: '1'\ntracks: [\n", "bad.yaml")
    assert result.framework is None
    assert re.match(r"bad\.yaml:[34]:\d+: not valid YAML: ", result.lines()[0]), result.lines()
    duplicate = check_framework_text("name: a\nname: b\n", "dup.yaml")
    assert duplicate.lines() == ["dup.yaml:2:1: not valid YAML: duplicate key 'name'"]
    assert "must be a YAML mapping" in check_framework_text("- a list\n").lines()[0]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path):
    result = check_framework_file(tmp_path / "nope.yaml")
    assert "cannot read the file" in result.lines()[0]
    with pytest.raises(FrameworkError) as raised:
        load_framework(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(raised.value)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_checked_without_crashing(text):
    result = check_framework_text(text, "fuzz.yaml")
    assert result.framework is not None or result.errors


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["name", "version", "tracks", "levels", "id", "title", "competencies", "equivalent", "band"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_any_yaml_structure_is_checked_without_crashing(document):
    result = check_framework_text(yaml.safe_dump(document), "fuzz.yaml")
    assert result.framework is None and result.errors


PARTIAL = """\
name: Acme Sales
tracks:
  - id: sales
    name: Sales
    levels:
      - id: ae1
        title: Account Executive I
        summary: Sells to small customers.
        expectations:
          Prospecting: Books their own meetings.
          closing: Closes small deals.
      - id: ae2
        title: Account Executive II
        summary: Sells to mid-size customers.
        expectations:
          Prospecting: Builds a pipeline.
        equivalent: sm1
  - id: mgmt
    name: Sales management
    levels:
      - id: sm1
        title: Sales Manager
        equivalent: ae2
"""


def test_a_partial_ladder_loads_with_grouped_warnings():
    result = check_framework_text(PARTIAL, "acme.yaml")
    assert not result.errors, result.lines()
    framework = result.framework
    assert [lv.id for lv in framework.levels] == ["ae1", "ae2", "sm1"]
    assert {c.name for c in framework.competencies} == {"Prospecting", "Closing"}
    assert framework.level("sm1").summary == "" and framework.level("ae1").scope == ""
    lines = result.lines()
    assert "acme.yaml:6:9: tracks[0].levels[0]: 3 of 3 levels have no scope (warning)" in lines
    assert "acme.yaml:6:9: tracks[0].levels[0]: 3 of 3 levels have no decision_rights (warning)" in lines
    assert any(line.startswith("acme.yaml:21:9: tracks[1].levels[0]: 1 of 3 levels has no summary") for line in lines)
    assert len(lines) == len(set(lines))  # each problem once
    assert [p.line for p in result.problems] == sorted(p.line for p in result.problems)


def test_an_unquoted_version_is_refused_with_how_to_write_it():
    result = check_framework_text("version: 2026.10\n" + PARTIAL, "acme.yaml")
    assert result.lines()[0].startswith(
        'acme.yaml:1:10: version: quote the version, e.g. version: "2026.10"; unquoted, YAML reads it as the number 2026.1'
    )


def test_band_currencies_are_iso_codes():
    result = check(lambda d: d["tracks"][0]["levels"][1]["band"].update(currency="usd"))
    assert any("'usd' is not a currency code" in line for line in result.lines())


def test_a_file_without_a_version_cites_a_stable_fingerprint():
    first, again = check_framework_text(PARTIAL).framework, check_framework_text(PARTIAL).framework
    assert first.version == "" and first.citation == again.citation
    assert re.fullmatch(r"content fingerprint [0-9a-f]{10}", first.citation)
    changed = check_framework_text(PARTIAL.replace("small deals", "deals")).framework
    assert changed.citation != first.citation
    assert check_framework_text('version: "2026.1"\n' + PARTIAL).framework.citation == "version 2026.1"


def test_problems_are_located_at_the_offending_node():
    broken = PARTIAL.replace("        equivalent: ae2\n", "        equivalent: ae9\n").replace(
        "title: Account Executive II", "titel: Account Executive II"
    )
    result = check_framework_text(broken, "acme.yaml")
    assert result.lines() == [
        "acme.yaml:12:9: tracks[0].levels[1]: missing required field 'title'",
        "acme.yaml:13:9: tracks[0].levels[1].titel: unknown field 'titel'; did you mean 'title'?",
    ]


def test_the_published_schema_is_generated_from_the_one_spec():
    from bot.framework.loader import schema_path
    from bot.framework.spec import json_schema, json_schema_text

    assert schema_path().read_text(encoding="utf-8") == json_schema_text(), (
        "regenerate: ladder framework schema > bot/framework/schema.json"
    )
    schema = json_schema()
    assert schema["required"] == ["name", "tracks"]
    assert schema["$defs"]["LevelSpec"]["required"] == ["id", "title"]
    assert schema["$defs"]["TrackSpec"]["required"] == ["id", "name", "levels"]


def test_the_schema_and_the_loader_agree_on_every_shipped_file():
    from jsonschema import Draft202012Validator

    from bot.framework.spec import json_schema

    validator = Draft202012Validator(json_schema())
    for path in [default_framework_path(), *EXAMPLES]:
        assert not list(validator.iter_errors(yaml.safe_load(path.read_text()))), path
    assert list(validator.iter_errors(yaml.safe_load(PARTIAL))) == []


def test_common_yaml_mistakes_say_what_to_do():
    tab = check_framework_text("name: A\ntracks:\n\t- id: x\n", "tab.yaml").lines()[0]
    assert tab.startswith("tab.yaml:3:1: not valid YAML") and tab.endswith("a tab character: YAML indents with spaces only")
    indent = check_framework_text(
        "name: A\ntracks:\n  - id: ic\n    name: IC\n    levels:\n      - id: one\n        title: One\n       summary: x\n",
        "i.yaml",
    )
    assert "check the indentation of this line" in indent.lines()[0]


def test_an_unknown_reference_suggests_the_nearest_level_on_another_track():
    result = check(lambda d: d["tracks"][0]["levels"][1].update(equivalent="manger"))
    assert any("no level 'manger'; did you mean 'manager'?" in line for line in result.lines())
