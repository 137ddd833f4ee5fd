"""Frameworks for tests, loaded once per process: property-based tests ask for one per example."""

from __future__ import annotations

from functools import cache

from bot.framework.loader import load_framework
from bot.framework.model import Framework


@cache
def default_framework() -> Framework:
    return load_framework()


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
