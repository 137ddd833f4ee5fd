"""The framework loader's bounds: whatever a file holds, loading it costs bounded memory and work, and what is refused is
one line at its place in the file. A real-sized framework (200 levels) loads."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main as ladder
from bot.framework.loader import MAX_CHARACTERS, MAX_FILE_BYTES, MAX_NODES, check_framework_file, check_framework_text
from bot.framework.spec import MAX_ALIAS
from tests.frameworks import large_framework_text, long_alias_list_text, long_text_aliased_text

LADDER = str(Path(sys.executable).parent / "ladder")
ROOT = Path(__file__).resolve().parent.parent

BOMB = "\n".join(
    [f"a: &a [{', '.join(['lol'] * 9)}]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)
"""'Billion laughs': 9 lines, 9**9 strings once every alias is expanded."""
BOMB_LINE = (
    "bomb.yaml:6:4: the aliases in this value expand it to more than 200,000 YAML values, far more than a framework "
    "file needs; write the values out instead of aliasing them"
)


def _memory_capped(megabytes: int):
    def cap() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def test_a_200_level_framework_loads(tmp_path):
    path = tmp_path / "large.yaml"
    path.write_text(large_framework_text())
    assert path.stat().st_size < MAX_FILE_BYTES / 4  # the cap leaves room for far wordier ladders
    result = check_framework_file(path)
    assert result.errors == [] and len(result.framework.levels) == 200
    nodes = yaml.compose(path.read_text(), Loader=yaml.CSafeLoader)
    assert MAX_NODES > 10 * _tree_size(nodes)


def _tree_size(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode):
        return 1 + sum(_tree_size(k) + _tree_size(v) for k, v in node.value)
    return 1 + sum(_tree_size(child) for child in node.value) if isinstance(node, yaml.SequenceNode) else 1


def test_the_alias_bomb_is_one_line_at_the_alias_that_explodes_in_bounded_memory(tmp_path):
    (tmp_path / "bomb.yaml").write_text(BOMB)
    result = subprocess.run(
        [LADDER, "framework", "check", "bomb.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_memory_capped(512),  # the loader before the bounds grew past 5 GB on this file
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, BOMB_LINE + "\n", "")


CHARACTERS_LINE = (
    "the aliases in this value expand it to more than 4,194,304 characters of text, far more than a framework file "
    "needs; write the values out instead of aliasing them"
)


@pytest.mark.parametrize(
    "text, line",
    [
        (long_text_aliased_text(), f"f.yaml:58:7: {CHARACTERS_LINE}"),
        (long_alias_list_text(10), f"f.yaml:8:18: {CHARACTERS_LINE}"),
        (long_alias_list_text(1, length=MAX_CHARACTERS // 2 + 1), f"f.yaml:8:18: {CHARACTERS_LINE}"),
    ],
    ids=["long-text-aliased-90000-times", "3-million-character-alias-10-times", "half-the-bound-twice"],
)
def test_aliases_of_long_text_are_refused_by_the_characters_they_expand_to_in_bounded_memory(tmp_path, text, line):
    """Counting values alone let a 113 KB file through at a 1.85 GB peak: each alias of a 19,990-character text became a
    string of its own. Refused before anything is built, in 256 MB of address space."""
    (tmp_path / "f.yaml").write_text(text)
    result = subprocess.run(
        [LADDER, "framework", "check", "f.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_memory_capped(256),
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, line + "\n", "")


def test_long_text_aliased_within_the_bound_loads_as_if_written_out():
    paragraph = "Leads the design of systems other teams build on, and says why in writing. " * 40  # 3,000 characters
    written = ["name: A", "tracks:", "  - id: ic", "    name: IC", "    levels:"]
    written += [f"      - {{id: l{n}, title: L{n}, summary: '{paragraph}'}}" for n in range(100)]
    aliased = [*written[:5], f"      - {{id: l0, title: L0, summary: &p '{paragraph}'}}"]
    aliased += [f"      - {{id: l{n}, title: L{n}, summary: *p}}" for n in range(1, 100)]
    first, second = check_framework_text("\n".join(written), "a.yaml"), check_framework_text("\n".join(aliased), "a.yaml")
    assert first.errors == second.errors == []
    assert [lv.summary for lv in first.framework.levels] == [lv.summary for lv in second.framework.levels]


def test_an_alias_is_at_most_100_characters_and_may_be_a_number():
    level = "name: A\ntracks:\n  - id: ic\n    name: IC\n    levels:\n      - id: one\n        title: One\n        aliases: {}\n"
    fits = check_framework_text(level.format(f'[6, L6, "{"x" * MAX_ALIAS}"]'), "f.yaml")
    assert fits.errors == [] and fits.framework.levels[0].aliases == ("6", "L6", "x" * MAX_ALIAS)
    for alias in ("x" * (MAX_ALIAS + 1), "a" * 3_000_000):  # matching names normalised 3,000,000 characters in 0.3 s
        assert check_framework_text(level.format(f'["{alias}"]'), "f.yaml").lines() == [
            "f.yaml:8:19: tracks[0].levels[0].aliases[0]: is too long (at most 100 characters)"
        ]
    assert check_framework_text(level.format("[yes]"), "f.yaml").lines() == [
        "f.yaml:8:19: tracks[0].levels[0].aliases[0]: expected a string, got true/false"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "name: A\n? " + "k" * 1_000_000 + "\n: 1\ntracks: [{id: ic, name: IC, levels: [{id: one, title: One}]}]\n",
        "name: A\n? " + "k" * 1_000_000 + "\n: 1\n? " + "k" * 1_000_000 + "\n: 2\n",
        "name: A\ntracks: [{id: ic, name: IC, levels: [{id: one, title: One, band: {min: 1, max: 2, currency: "
        + "k" * 1_000_000
        + "}}]}]\n",
        "name: A\ntracks: [{id: " + "k" * 1_000_000 + ", name: IC, levels: [{id: one, title: One}]}]\n",
    ],
    ids=["unknown-key", "duplicate-key", "currency", "id"],
)
def test_a_problem_quoting_a_huge_value_is_still_one_short_line(text):
    lines = check_framework_text(text, "f.yaml").lines()
    assert lines and all(len(line) < 400 for line in lines), [line[:400] for line in lines]


def test_the_server_refuses_to_start_on_an_alias_bomb_with_the_same_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "bomb.yaml").write_text(BOMB)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LADDER_FRAMEWORK", "bomb.yaml")
    assert ladder(["ask", "what does Staff mean"]) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [BOMB_LINE]


def test_aliases_within_the_bound_load_as_if_written_out():
    written_out = "name: Acme\ntracks:\n  - id: ic\n    name: IC\n    levels:\n"
    written_out += "      - id: one\n        title: One\n        band: {min: 1, max: 2, currency: USD}\n"
    written_out += "      - id: two\n        title: Two\n        band: {min: 1, max: 2, currency: USD}\n"
    aliased = written_out.replace("band: {min: 1, max: 2, currency: USD}", "band: &band {min: 1, max: 2, currency: USD}", 1)
    aliased = aliased.replace("band: {min: 1, max: 2, currency: USD}", "band: *band")
    assert aliased.count("*band") == 1
    first, second = check_framework_text(written_out, "a.yaml"), check_framework_text(aliased, "a.yaml")
    assert first.errors == second.errors == []
    assert [lv.band for lv in first.framework.levels] == [lv.band for lv in second.framework.levels]


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: &x [*x]\n", "f.yaml:1:4: an alias refers to the value that contains it, which would never end"),
        ("&x {a: *x}\n", "f.yaml:1:1: an alias refers to the value that contains it, which would never end"),
        ("? [a]\n: b\n", "f.yaml:1:3: not valid YAML: a key must be a plain value, not a list or a mapping"),
        ("name: 1" + "0" * 5000 + "\n", None),
        ("name: 2001-13-45\n", "f.yaml:1:7: not valid YAML: cannot read this value as timestamp (month must be in 1..12)"),
        ("x: 1\nname: a\x07b\n", "f.yaml:2:8: not valid YAML: control characters are not allowed (character #x0007)"),
        ("name: x\nm:\n  <<: {a: 1}\n", None),
    ],
    ids=["self-alias", "self-alias-mapping", "list-as-key", "5000-digit-number", "no-such-day", "control-character", "merge-key"],
)
def test_values_python_cannot_hold_are_one_line_at_their_node(text, line):
    lines = check_framework_text(text, "f.yaml").lines()
    if line is None:
        assert len(lines) >= 1 and lines[0].startswith("f.yaml:") and "not valid YAML" in lines[0], lines
    else:
        assert lines[0] == line, lines


def test_merge_keys_say_they_are_not_supported():
    lines = check_framework_text("name: x\nm:\n  <<: {a: 1}\n", "f.yaml").lines()
    assert lines[0].startswith("f.yaml:3:3: not valid YAML") and "merge keys ('<<') are not supported" in lines[0]


@pytest.mark.parametrize(
    "text",
    [
        "name: " + "[" * 990 + "]" * 990 + "\n",
        "".join(" " * i + f"k{i}:\n" for i in range(990)) + " " * 990 + "v\n",
        "".join(" " * i + "-\n" for i in range(990)) + " " * 990 + "v\n",
        "name: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["flow-990", "block-mappings-990", "block-lists-990", "flow-5000"],
)
def test_deep_nesting_is_a_problem_not_a_recursion_error(text):
    result = check_framework_text(text, "deep.yaml")
    assert result.framework is None and result.errors


def test_many_small_values_are_refused_after_counting_them_without_building_them():
    dense = "[" + ",".join(["1"] * (MAX_NODES + 1)) + "]\n"
    assert check_framework_text(dense, "dense.yaml").lines() == [
        "dense.yaml: the file holds more than 200,000 YAML values, far more than a framework file needs"
    ]


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # 5 GB on paper, nothing on disk: only the cap's worth is ever read
        handle.truncate(5 * 1024**3)
    assert check_framework_file(huge).lines() == [
        f"{huge}: the file is larger than 4 MiB, the most Ladder reads for a framework file"
    ]
    assert check_framework_text("x" * (MAX_FILE_BYTES + 1), "big.yaml").lines() == [
        "big.yaml: the file is larger than 4 MiB, the most Ladder reads for a framework file"
    ]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_file_that_never_ends_is_refused(capsys):
    assert ladder(["framework", "check", "/dev/zero"]) == 1
    assert capsys.readouterr().out == "/dev/zero: the file is larger than 4 MiB, the most Ladder reads for a framework file\n"


def test_without_libyaml_the_pure_python_loader_is_bounded_too(tmp_path):
    """PyYAML without its C extension: the same refusals, counted in Python."""
    (tmp_path / "bomb.yaml").write_text(BOMB)
    (tmp_path / "dense.yaml").write_text("[" + ",".join(["1"] * (MAX_NODES + 1)) + "]\n")
    (tmp_path / "deep.yaml").write_text("name: " + "[" * 3000 + "]" * 3000 + "\n")
    script = (
        "import sys, yaml\n"
        "del yaml.CSafeLoader, yaml.CSafeDumper\n"
        "from bot.framework.loader import check_framework_file\n"
        "for name in sys.argv[1:]:\n"
        "    print(check_framework_file(name).lines()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "bomb.yaml", "dense.yaml", "deep.yaml"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_memory_capped(1024),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        BOMB_LINE,
        "dense.yaml: the file holds more than 200,000 YAML values, far more than a framework file needs",
        "deep.yaml: nested too deeply for a framework file",
    ]


_FRAGMENTS = st.sampled_from(
    ["&a ", "&b ", "*a", "*b", "[", "]", "{", "}", ", ", ": ", "- ", "\n", "  ", "<<: ", "? ", "name", "tracks", "x"]
    + ["'", '"', "#"]
    + ["!!int ", "!!bool ", "!!timestamp ", "!!map ", "!!set ", "!!omap ", "1", "2001-13-45 "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=60).map("".join))
def test_any_yaml_with_anchors_and_aliases_is_checked_without_crashing(text):
    result = check_framework_text(text, "fuzz.yaml")
    assert result.framework is not None or result.errors
