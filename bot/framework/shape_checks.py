"""Warnings for a framework that looks read the wrong way round: rows taken for columns, competencies for levels.

A file can be valid and still say nonsense, most often after a spreadsheet or document was turned into a framework the
wrong way: levels named "Competency", "Proficiency" and "Evidence" (a header row read as levels), as many competencies as
levels with one each (levels read as competencies), competencies named "Senior Engineer" or "Level 3". Each signal is
generic (a few heading words, the structure of the file), reported once, as a warning, with what to look at.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from bot.framework.names import normalize

Finding = tuple[str, str, Literal["error", "warning"]]
"""(where in the file, the problem, its severity)."""

HEADING_WORDS = frozenset(
    {
        "area",
        "behaviour",
        "behavior",
        "category",
        "competency",
        "criteria",
        "description",
        "detail",
        "dimension",
        "evidence",
        "example",
        "expectation",
        "impact",
        "level",
        "note",
        "proficiency",
        "requirement",
        "responsibility",
        "role",
        "scope",
        "skill",
        "summary",
        "theme",
        "title",
        "track",
        "track record",
    }
)
"""Words that head a column or a row of a ladder rather than name a level (compared singular, case and spacing ignored)."""

_SENIORITY = frozenset(
    {"junior", "jr", "mid", "middle", "senior", "sr", "staff", "principal", "intern", "trainee", "graduate", "associate",
     "entry", "distinguished", "fellow"}
)  # fmt: skip
"""First words of level titles in most organisations' ladders."""
_LEVEL_CODE = re.compile(r"^(?:(?:level|grade|band|step|[a-z]{1,2})\s?)?\d+[a-z]?$")
"""'Level 3', 'Grade 2', 'L5', 'IC4', 'M 2', '3': a level code alone."""
_TRAILING_NUMERAL = re.compile(r"\s(?:i{1,3}|iv|v|vi{1,3}|ix|x)$")
"""'Engineer II', 'Software Engineer IV': a title with a roman step number at its end (an arabic one ends names of
every kind: 'Web 2', 'Competency number 0')."""


def read_the_wrong_way_round(doc: dict[str, Any]) -> list[Finding]:
    return [
        *_heading_titles(doc),
        *_one_competency_per_level(doc),
        *_competencies_named_like_levels(doc),
        *_number_titles_beside_names(doc),
    ]


def _singular(name: str) -> str:
    words = normalize(name).split()
    if words and len(words[-1]) > 3 and words[-1].endswith("ies"):
        words[-1] = words[-1][:-3] + "y"
    elif words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _heading_titles(doc: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    for ti, track in enumerate(doc["tracks"]):
        headings = [(li, lv["title"]) for li, lv in enumerate(track["levels"]) if _singular(lv["title"]) in HEADING_WORDS]
        if headings:
            titles = ", ".join(f"'{title}'" for _li, title in headings[:3]) + (" …" if len(headings) > 3 else "")
            message = (
                f"level titles {titles} read like headings, not levels: was a header row or column read as levels? "
                "(if levels run across the columns, they were probably read down the rows)"
            )
            findings.append((f"tracks[{ti}].levels[{headings[0][0]}].title", message, "warning"))
    return findings


def _one_competency_per_level(doc: dict[str, Any]) -> list[Finding]:
    levels = [lv for track in doc["tracks"] for lv in track["levels"]]
    used = [key for lv in levels for key in lv["expectations"]]
    if len(levels) < 3 or any(len(lv["expectations"]) != 1 for lv in levels):
        return []
    if len(set(used)) != len(levels) or len(doc["competencies"]) != len(levels):
        return []
    message = (
        f"each of the {len(levels)} levels has exactly one competency, and there are as many competencies as levels: "
        "were levels and competencies swapped (a competency per column read as a level per column)?"
    )
    return [("competencies", message, "warning")]


def _looks_like_a_level(name: str) -> bool:
    text = normalize(name)
    words = text.split()
    return bool(words) and (words[0] in _SENIORITY or bool(_LEVEL_CODE.match(text)) or bool(_TRAILING_NUMERAL.search(text)))


def _competencies_named_like_levels(doc: dict[str, Any]) -> list[Finding]:
    competencies = doc["competencies"]
    alike = [(i, c["name"]) for i, c in enumerate(competencies) if _looks_like_a_level(c["name"])]
    if len(alike) < 2 or 2 * len(alike) < len(competencies):
        return []
    names = ", ".join(f"'{name}'" for _i, name in alike[:3]) + (" …" if len(alike) > 3 else "")
    message = (
        f"{len(alike)} of {len(competencies)} competencies are named like levels ({names}): were levels read as "
        "competencies (levels down the rows taken for competencies)?"
    )
    return [(f"competencies[{alike[0][0]}].name", message, "warning")]


def _number_titles_beside_names(doc: dict[str, Any]) -> list[Finding]:
    """Levels titled 1, 2, 3 while one competency holds a short, different name at each: a number column was read as
    the titles and the column of names beside it as a competency."""
    findings: list[Finding] = []
    for ti, track in enumerate(doc["tracks"]):
        levels = track["levels"]
        if len(levels) < 2 or not all(str(lv["title"]).strip().isdecimal() for lv in levels):
            continue
        for competency in doc["competencies"]:
            texts = [lv["expectations"].get(competency["id"]) for lv in levels]
            short = all(
                isinstance(t, str) and 0 < len(t.split()) <= 6 and not t.rstrip().endswith((".", "!", "?")) for t in texts
            )
            if short and len({normalize(t) for t in texts}) == len(texts):
                message = (
                    f"level titles of track '{track['name']}' are bare numbers while competency '{competency['name']}' "
                    f"names each level ('{texts[0]}', '{texts[1]}' …): make those names the titles and the numbers aliases"
                )
                findings.append((f"tracks[{ti}].levels[0].title", message, "warning"))
                break
    return findings
