"""What a nominator and a reviewer fill in, and the checks every answer passes before it is stored.

Field names are the modal's block ids, so a problem goes back to the field it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from bot.errors import InvalidAnswers
from bot.framework.model import Competency, Framework

MAX_TEXT = 3000
"""Slack's limit for a plain-text input, checked again here: a forged payload is refused as clearly."""
MIN_REVIEWERS, MAX_REVIEWERS = 2, 6

NOMINEE, TARGET, CYCLE = "nominee", "target", "cycle"
NEXT_LEVEL = "next"
"""The target option meaning "the next level on their current track"."""
EVIDENCE, REVIEWERS = "portfolio_evidence", "reviewers"
PORTFOLIO_KINDS: dict[str, str] = {
    "shipped": "Shipped contributions",
    "patent": "Patents",
    "external": "External talks and articles",
    "mentoring": "Mentoring of others",
    "other": "Other",
}
RECOMMENDATION, CONFLICTS, COMMENT, DECLINE_REASON, REPLACEMENT = (
    "recommendation",
    "conflicts",
    "comment",
    "reason",
    "replacement",
)
RECOMMENDATIONS: dict[str, str] = {
    "strong_yes": "Strongly support",
    "yes": "Support",
    "not_yet": "Not yet",
    "cannot_say": "I cannot judge",
}
CONFLICT_KINDS: dict[str, str] = {
    "reports_to": "I report to this person",
    "manages": "I manage this person",
    "works_closely": "I work closely with this person",
}
_LINK = re.compile(r"<?(https?://[^\s<>|]+)(?:\|[^>]*)?>?")


def case_field(competency_id: str) -> str:
    return f"case:{competency_id}"


def portfolio_field(kind: str) -> str:
    return f"portfolio:{kind}"


def rating_field(competency_id: str) -> str:
    return f"rating:{competency_id}"


def example_field(competency_id: str) -> str:
    return f"example:{competency_id}"


@dataclass(frozen=True)
class CaseAnswers:
    """The second page of a nomination: evidence per competency, portfolio lines per kind, logged evidence, reviewers."""

    case: Mapping[str, str] = field(default_factory=dict)
    portfolio: Mapping[str, str] = field(default_factory=dict)
    evidence_ids: tuple[int, ...] = ()
    reviewers: tuple[str, ...] = ()

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> CaseAnswers:
        case = {k.removeprefix("case:"): _text(v) for k, v in values.items() if k.startswith("case:") and _text(v)}
        portfolio = {k.removeprefix("portfolio:"): _text(v) for k, v in values.items() if k.startswith("portfolio:") and _text(v)}
        evidence = tuple(int(v) for v in values.get(EVIDENCE) or () if str(v).isdigit())
        reviewers = tuple(dict.fromkeys(str(r) for r in values.get(REVIEWERS) or () if r))
        return cls(case, portfolio, evidence, reviewers)

    def portfolio_items(self) -> list[dict[str, Any]]:
        """One item per non-empty line, by kind, with the first link in it."""
        items = []
        for kind in PORTFOLIO_KINDS:
            for line in self.portfolio.get(kind, "").splitlines():
                if line.strip():
                    link = _LINK.search(line)
                    items.append({"kind": kind, "text": line.strip(), "link": link.group(1) if link else None})
        return items


def check_case(answers: CaseAnswers, competencies: Sequence[Competency], *, nominee: str, nominator: str) -> None:
    problems: dict[str, str] = {}
    for competency_id, text in answers.case.items():
        if len(text) > MAX_TEXT:
            problems[case_field(competency_id)] = f"Keep this under {MAX_TEXT} characters (it has {len(text)})."
    for kind, text in answers.portfolio.items():
        if len(text) > MAX_TEXT:
            problems[portfolio_field(kind)] = f"Keep this under {MAX_TEXT} characters (it has {len(text)})."
    if not any(answers.case.get(c.id) for c in competencies) and competencies:
        problems[case_field(competencies[0].id)] = (
            "Give evidence for at least one competency: what they did, against this expectation."
        )
    reviewers = answers.reviewers
    if nominee in reviewers:
        problems[REVIEWERS] = "The person nominated cannot review their own nomination: pick someone else."
    elif nominator in reviewers:
        problems[REVIEWERS] = "You started this nomination, so you cannot also review it: pick peers who saw the work."
    elif len(reviewers) < MIN_REVIEWERS:
        problems[REVIEWERS] = f"Pick at least {MIN_REVIEWERS} peer reviewers who saw the work."
    elif len(reviewers) > MAX_REVIEWERS:
        problems[REVIEWERS] = f"Pick at most {MAX_REVIEWERS} reviewers (you picked {len(reviewers)})."
    if problems:
        raise InvalidAnswers(problems)


@dataclass(frozen=True)
class ReviewAnswers:
    ratings: Mapping[str, str] = field(default_factory=dict)
    examples: Mapping[str, str] = field(default_factory=dict)
    recommendation: str | None = None
    conflicts: tuple[str, ...] = ()
    comment: str = ""

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> ReviewAnswers:
        ratings = {k.removeprefix("rating:"): str(v) for k, v in values.items() if k.startswith("rating:") and v}
        examples = {k.removeprefix("example:"): _text(v) for k, v in values.items() if k.startswith("example:") and _text(v)}
        conflicts = tuple(str(c) for c in values.get(CONFLICTS) or () if c in CONFLICT_KINDS)
        recommendation = values.get(RECOMMENDATION)
        return cls(ratings, examples, str(recommendation) if recommendation else None, conflicts, _text(values.get(COMMENT)))


def check_review(answers: ReviewAnswers, framework: Framework, competencies: Sequence[Competency]) -> None:
    problems: dict[str, str] = {}
    for competency in competencies:
        rating = answers.ratings.get(competency.id)
        if rating is None:
            problems[rating_field(competency.id)] = f"Rate {competency.name}: pick the description closest to what you saw."
        elif framework.rating(rating) is None:
            problems[rating_field(competency.id)] = "Pick one of the ratings shown."
        if len(answers.examples.get(competency.id, "")) > MAX_TEXT:
            problems[example_field(competency.id)] = f"Keep this under {MAX_TEXT} characters."
    if answers.recommendation not in RECOMMENDATIONS:
        problems[RECOMMENDATION] = "Pick an overall recommendation."
    if len(answers.comment) > MAX_TEXT:
        problems[COMMENT] = f"Keep this under {MAX_TEXT} characters (it has {len(answers.comment)})."
    if problems:
        raise InvalidAnswers(problems)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
