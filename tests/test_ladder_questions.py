"""The yardstick of issue #17: the question files in bench/ladders/ and the scoring bench/bench_ladders.py does.

Every published ladder the bench measures (bench/ladders/<org>/) has ten questions in its organisation's own words; the expectations must be the
source's own text (checked here against the copies whose licence lets them live in tests/data/ladders/), and the
scoring must count an answer right only when it says what the source says.
"""

from __future__ import annotations

import importlib.util
import json
import string
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.bench_ladders import (
    QUESTIONS,
    Code,
    LadderSpec,
    Question,
    all_orgs,
    check_phrases,
    load_spec,
    normalised,
    resolve,
    score,
)

LADDERS = Path(__file__).parent / "data" / "ladders"
LICENSED = sorted(p.name for p in LADDERS.iterdir() if p.is_dir())
PUBLISHED = [
    "artsy",
    "carvago",
    "findmypast",
    "gemba",
    "gmv-syncromatics",
    "indrive",
    "infracloud",
    "invitation-homes",
    "leads-io",
    "magnit-online",
    "mattermost",
    "postman-open-technologies",
    "qulture-rocks",
    "readify",
    "skore",
    "skylight",
]
KINDS_EVERY_LADDER_ASKS = {"level", "difference"}


def test_every_published_ladder_has_a_question_file() -> None:
    assert all_orgs() == PUBLISHED


@pytest.mark.parametrize("org", PUBLISHED)
def test_ten_questions_of_the_kinds_the_issue_names(org: str) -> None:
    spec = load_spec(org)
    assert len(spec.questions) == 10
    kinds = {q.kind for q in spec.questions}
    assert KINDS_EVERY_LADDER_ASKS <= kinds
    assert kinds & {"next", "fork"}
    assert kinds & {"competency_at_level", "competency_between"}  # Postman's levels are prose: no competency at all
    assert kinds & {"equivalent", "equivalent_none"}
    assert kinds & {"switching", "promotion", "time", "prose"}
    for q in spec.questions:
        assert q.expect or q.expect_any, q.ask
        # a phrase cut at its comma by a YAML flow list ("[a, b, and c]") leaves a piece starting "and"/"or"
        assert not [p for p in q.expect + q.expect_not if p.split()[0] in {"and", "or"}], q.ask
    assert spec.codes
    for code in spec.codes:
        assert bool(code.levels) + bool(code.ambiguous) + bool(code.means) == 1, code.code


@pytest.mark.parametrize("org", LICENSED)
def test_expectations_are_the_sources_own_words(org: str) -> None:
    assert check_phrases(load_spec(org), LADDERS / org) == []


def test_licensed_copies_carry_their_source_and_licence() -> None:
    for org in LICENSED:
        assert (LADDERS / org / "SOURCE.md").is_file()
        assert "Licence" in (LADDERS / org / "LICENSE.md").read_text(encoding="utf-8")
    assert set(LICENSED) == {"artsy", "carvago", "indrive", "infracloud", "postman-open-technologies", "readify", "skylight"}


# -- the scoring ------------------------------------------------------------------------------------------


def test_an_answer_is_right_only_with_every_expected_phrase_and_no_wrong_one() -> None:
    q = Question("what is an IC4", "level", ["Senior Engineer 1", "Knows their own technical area well"], [], ["Staff"])
    assert score(q, "Senior Engineer 1\n==\nKnows their own   technical area WELL.").correct
    assert not score(q, "Senior Engineer 1").correct
    assert not score(q, "Senior Engineer 1: knows their own technical area well; next: Staff Engineer").correct


def test_typographic_quotes_emphasis_and_spacing_do_not_matter() -> None:
    assert normalised("You’ll **progress**  from a _Level I_ consultant") == normalised(
        "you'll progress from a Level I consultant"
    )


def test_expect_any_needs_one_of_its_phrases() -> None:
    q = Question("which manager level matches Staff?", "equivalent_none", [], ["names no equivalent", "names none"])
    assert score(q, "The framework names no equivalent for Staff Engineer.").correct
    assert not score(q, "Staff Engineer is level 4.").correct


class _Answer:
    def __init__(self, template: str, **context: Any) -> None:
        self.template, self.context = template, context


class _Level:
    def __init__(self, title: str, aliases: tuple[str, ...] = ()) -> None:
        self.title, self.aliases = title, aliases


class _Asker:
    def __init__(self, answer: _Answer, text: str) -> None:
        self.answer, self.text = answer, text

    def ask(self, question: str) -> tuple[_Answer, str]:
        return self.answer, self.text


def _spec(code: Code) -> LadderSpec:
    return LadderSpec("x", "X", Path("."), [], [], "what is {code}", [code], [])


def test_a_code_resolves_to_its_level_by_title_or_alias() -> None:
    code = Code("IC4", levels=["Senior Engineer 1"])
    level = _Level("IC4 Senior Engineer 1", aliases=("IC4", "Senior Engineer 1"))
    assert resolve(code, _spec(code), _Asker(_Answer("level", level=level), "")).resolved  # type: ignore[arg-type]
    assert resolve(code, _spec(code), _Asker(_Answer("level", level=_Level("Senior Engineer 1 (IC4)")), "")).resolved  # type: ignore[arg-type]
    assert not resolve(code, _spec(code), _Asker(_Answer("level", level=_Level("Senior Engineer 2")), "")).resolved  # type: ignore[arg-type]


def test_an_ambiguous_name_must_name_each_meaning_and_pick_none() -> None:
    code = Code("Senior", ambiguous=["Senior (Individual contributor)", "Senior (Lead)"])
    text = "Senior could mean Senior (Individual contributor) or Senior (Lead)."
    assert resolve(code, _spec(code), _Asker(_Answer("did_you_mean"), text)).resolved  # type: ignore[arg-type]
    picked = _Answer("level", level=_Level("Senior (Lead)"))
    assert not resolve(code, _spec(code), _Asker(picked, text)).resolved  # type: ignore[arg-type]
    assert not resolve(code, _spec(code), _Asker(_Answer("did_you_mean"), "Senior (Lead)?")).resolved  # type: ignore[arg-type]


# -- the conversions (JSON data and JavaScript constants copied into CSV cells) ----------------------------


def _module(org: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"convert_{org}", QUESTIONS / org / "convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_text = st.text(alphabet=string.ascii_letters + string.digits + " .,:'\"\\/-áê", max_size=20)
_values = st.recursive(
    st.none() | _text,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=20,
)


def _as_js(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + "".join(f"\n  {_as_js(v)}," for v in value) + "\n]"  # a trailing comma, as index.js writes
    return "{" + "".join(f" {k}: {_as_js(v)}," for k, v in value.items()) + " }"


@given(_values)
def test_the_javascript_literal_reader_reads_back_what_was_written(value: Any) -> None:
    reader = _module("skore")._Literal("const jobs = " + _as_js(value) + "\n", len("const jobs = "))
    assert reader.value()[0] == value


def test_skore_conversion_copies_every_value_into_a_cell(tmp_path: Path) -> None:
    folder = tmp_path / "career-ladder"
    folder.mkdir()
    (folder / "index.js").write_text(
        "const jobs = [\n  { id: 'a', name: 'Júnior', behaviors: ['Um.', 'Dois.'], },\n  { id: 'b', pair: null, },\n]\n"
        "const functionalRoles = []\nconst raciData = [{ task: 'T', Head: 'A' }]\ndocument.addEventListener('x', f)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    written = _module("skore").convert(tmp_path, out)
    jobs = (out / "jobs.csv").read_text(encoding="utf-8")
    assert [p.name for p in written] == ["jobs.csv", "functional_roles.csv", "raci.csv"]
    assert jobs.splitlines()[0] == "id,name,behaviors,pair"
    assert 'a,Júnior,"Um.\nDois.",' in jobs.replace("\r\n", "\n")


def test_gemba_conversion_flattens_nested_objects_keeping_their_parents_values(tmp_path: Path) -> None:
    data = tmp_path / "assets" / "data"
    data.mkdir(parents=True)
    (data / "grades.json").write_text(json.dumps({"grades": [{"grade": 1, "roleLevel": "Junior"}]}), encoding="utf-8")
    matrix = {"categories": [{"id": "c", "name": "Cat", "capabilities": [{"id": "x", "name": "X", "description": "D."}]}]}
    (data / "matrix.json").write_text(json.dumps(matrix), encoding="utf-8")
    _module("gemba").convert(tmp_path, tmp_path)
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8").splitlines() == ["grade,roleLevel", "1,Junior"]
    assert (tmp_path / "matrix.csv").read_text(encoding="utf-8").splitlines() == [
        "categories.id,categories.name,id,name,description",
        "c,Cat,x,X,D.",
    ]
