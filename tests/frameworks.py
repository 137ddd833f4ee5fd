"""Frameworks for tests, loaded once per process: property-based tests ask for one per example."""

from __future__ import annotations

from functools import cache

from bot.framework.loader import check_framework_text, load_framework
from bot.framework.model import Framework


@cache
def default_framework() -> Framework:
    return load_framework()


def framework_of(text: str) -> Framework:
    """The framework a test's file text makes; the test fails with the loader's problems if it makes none."""
    result = check_framework_text(text)
    assert result.framework is not None, [str(p) for p in result.problems]
    return result.framework


def asked(text: str, question: str) -> tuple[str, str]:
    """(template, the answer as a terminal shows it) for ``question`` asked of the framework ``text`` makes."""
    from bot.questions.answers import Answerer
    from messages.render import Renderer

    answer = Answerer(framework_of(text)).ask(question)
    return answer.template, Renderer().terminal(answer.template, **answer.context)


_FAMILIES = ("Platform", "Product", "Data", "Security", "Reliability")


def large_framework_text(tracks: int = 5, levels_per_track: int = 40, competencies: int = 12) -> str:
    """A real-sized framework file: ``tracks`` × ``levels_per_track`` levels (200 by default), each with a summary,
    scope, decision rights, aliases, a band, a paragraph per competency, equivalents between neighbouring tracks and
    a switching point; it loads without errors. Used by the loader's tests and bench/bench_loader.py."""
    sentence = "Shows it in the work of the team and beyond it, with evidence a panel can read, consistently, unprompted. "
    lines = [
        "name: Large Example Engineering",
        'version: "2026.1"',
        "description: A ladder the size of a large organisation's, for tests and benchmarks.",
        "competencies:",
    ]
    for c in range(competencies):
        lines += [f"  - id: competency_{c}", f"    name: Competency number {c}", f"    description: {sentence}"]
    lines.append("tracks:")
    for t in range(tracks):
        family = _FAMILIES[t % len(_FAMILIES)] + (f" {t}" if t >= len(_FAMILIES) else "")
        lines += [f"  - id: track_{t}", f"    name: {family} track", "    levels:"]
        for n in range(levels_per_track):
            lines += [
                f"      - id: t{t}_l{n}",
                f"        title: {family} step {n}",
                f"        aliases: [T{t}-L{n}, {family.lower()} grade {n}]",
                f"        summary: What step {n} of the {family} track means. {sentence * 2}",
                f"        scope: The scope of step {n}, {sentence}",
                f"        decision_rights: What step {n} decides. {sentence}",
                "        typical_time_in_level: 2-4 years",
                f"        band: {{min: {100_000 + n * 5_000}, max: {130_000 + n * 5_000}, currency: USD}}",
                "        expectations:",
            ]
            lines += [f"          competency_{c}: {sentence * 2}" for c in range(competencies)]
            if t % 2 == 1:
                lines.append(f"        equivalent: t{t - 1}_l{n}")
            elif t + 1 < tracks:
                lines += [
                    f"        equivalent: t{t + 1}_l{n}",
                    "        switch_points:",
                    f"          - to: t{t + 1}_l{n}",
                    "            note: A six-month trial, at the same pay; moving back is always possible.",
                ]
    return "\n".join(lines) + "\n"


def long_text_aliased_text(levels: int = 1800, competencies: int = 50) -> str:
    """A reviewer's file (113 KB): one 19,990-character text aliased by every expectation of every level, through an
    aliased mapping. Written out it would be 1.8 billion characters; before the character bound it passed the check
    with a 1.85 GB peak (pydantic copies each expanded string). Used by the loader's tests and bench/bench_loader.py."""
    text = ("lorem ipsum " * 1700)[:19990].strip()
    lines = ["name: Bomb", "competencies:"] + [f"  - {{id: c{i}, name: C{i}}}" for i in range(competencies)]
    lines += [f'description: &s "{text}"', "tracks:", "  - id: ic", "    name: IC", "    levels:"]
    expectations = "{" + ", ".join(f"c{i}: *s" for i in range(competencies)) + "}"
    lines.append(f"      - {{id: l0, title: L0, expectations: &E {expectations}}}")
    lines += [f"      - {{id: l{j}, title: L{j}, expectations: *E}}" for j in range(1, levels)]
    return "\n".join(lines) + "\n"


def long_alias_list_text(repeats: int = 10, length: int = 3_000_000) -> str:
    """A reviewer's file (3 MB): a level's aliases, one of ``length`` characters and ``repeats`` aliases of it. Before the
    character bound and the alias length limit, matching names cost 0.3 s per alias (200 of them: 64 s)."""
    aliases = ", ".join([f'&s "{"a" * length}"'] + ["*s"] * repeats)
    level = "      - id: one\n        title: One\n"
    return f"name: Bomb\ntracks:\n  - id: ic\n    name: IC\n    levels:\n{level}        aliases: [{aliases}]\n"
