"""What a panelist, a chair, a nominee appealing and an appeal's hearer fill in, and the checks before storing.

Field names are the modals' block ids, so a problem goes back to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

from bot.errors import InvalidAnswers
from bot.framework.model import Competency, Framework
from bot.nominations.form import MAX_TEXT, rating_field

PROMOTE, NOT_YET, DEFER = "promote", "not_yet", "defer"
OUTCOMES: dict[str, str] = {PROMOTE: "Promote", NOT_YET: "Not yet", DEFER: "Defer to the next cycle"}
UPHELD = "upheld"
APPEAL_OUTCOMES: dict[str, str] = {UPHELD: "Uphold the decision", PROMOTE: "Overturn it: promote"}
RECOMMENDATION, RATIONALE, FLAGGED, FLAG_NOTE = "recommendation", "rationale", "flagged", "flag_note"
OUTCOME, EFFECTIVE, SUMMARY, REASON = "outcome", "effective_on", "summary", "reason"


CYCLE_NAME, APPEAL_DAYS, REVIEW_CAP = "cycle_name", "appeal_days", "review_cap"
CYCLE_DATES = {
    "opens_on": "Nominations open",
    "reviews_due_on": "Peer reviews due",
    "panel_from": "Panel review starts",
    "decisions_on": "Decisions published",
}
PANEL_NAME, CHAIR, MEMBERS, CHANNEL, FAMILIES, TRACKS, LEVELS, PANEL_KIND = (
    "panel_name", "chair", "members", "channel", "families", "tracks", "levels", "panel_kind",
)  # fmt: skip


@dataclass(frozen=True)
class CycleAnswers:
    name: str = ""
    dates: Mapping[str, date | None] = field(default_factory=dict)
    appeal_days: int | None = None
    review_cap: int | None = None

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> CycleAnswers:
        dates = {key: values.get(key) if isinstance(values.get(key), date) else _day(values.get(key)) for key in CYCLE_DATES}
        return cls(_text(values.get(CYCLE_NAME)), dates, _number(values.get(APPEAL_DAYS)), _number(values.get(REVIEW_CAP)))

    def missing(self) -> None:
        problems = {key: f"Pick the day: {label.lower()}." for key, label in CYCLE_DATES.items() if self.dates.get(key) is None}
        if problems:
            raise InvalidAnswers(problems)


def feedback_field(competency_id: str) -> str:
    return f"feedback:{competency_id}"


def next_field(competency_id: str) -> str:
    return f"next:{competency_id}"


@dataclass(frozen=True)
class ScoreAnswers:
    ratings: Mapping[str, str] = field(default_factory=dict)
    recommendation: str | None = None
    rationale: str = ""
    flagged: tuple[str, ...] = ()
    """Competency ids whose criterion the panelist found unclear or inconsistent."""
    flag_note: str = ""

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> ScoreAnswers:
        ratings = {k.removeprefix("rating:"): str(v) for k, v in values.items() if k.startswith("rating:") and v}
        recommendation = values.get(RECOMMENDATION)
        flagged = tuple(str(v) for v in values.get(FLAGGED) or () if v)
        return cls(
            ratings,
            str(recommendation) if recommendation else None,
            _text(values.get(RATIONALE)),
            flagged,
            _text(values.get(FLAG_NOTE)),
        )

    def flags(self) -> list[dict[str, str]]:
        return [{"competency": c, "note": self.flag_note} for c in self.flagged]


def check_score(answers: ScoreAnswers, framework: Framework, competencies: Sequence[Competency]) -> None:
    problems: dict[str, str] = {}
    for competency in competencies:
        rating = answers.ratings.get(competency.id)
        if rating is None or framework.rating(rating) is None:
            problems[rating_field(competency.id)] = f"Rate {competency.name} against the level's expectation."
    if answers.recommendation not in OUTCOMES:
        problems[RECOMMENDATION] = "Pick what you recommend."
    if not answers.rationale:
        problems[RATIONALE] = "Say why, in a sentence or two: the chair reads it beside the others."
    known = {c.id for c in competencies}
    if any(c not in known for c in answers.flagged):
        problems[FLAGGED] = "Pick competencies from the list."
    if answers.flagged and not answers.flag_note:
        problems[FLAG_NOTE] = "Say what is unclear or inconsistent, so the ladder can be improved."
    for key, text in ((RATIONALE, answers.rationale), (FLAG_NOTE, answers.flag_note)):
        if len(text) > MAX_TEXT:
            problems[key] = f"Keep this under {MAX_TEXT} characters (it has {len(text)})."
    if problems:
        raise InvalidAnswers(problems)


@dataclass(frozen=True)
class DecisionAnswers:
    outcome: str | None = None
    effective_on: date | None = None
    feedback: Mapping[str, str] = field(default_factory=dict)
    next_steps: Mapping[str, str] = field(default_factory=dict)
    summary: str = ""

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> DecisionAnswers:
        feedback = {k.removeprefix("feedback:"): _text(v) for k, v in values.items() if k.startswith("feedback:") and _text(v)}
        steps = {k.removeprefix("next:"): _text(v) for k, v in values.items() if k.startswith("next:") and _text(v)}
        outcome = values.get(OUTCOME)
        return cls(str(outcome) if outcome else None, _day(values.get(EFFECTIVE)), feedback, steps, _text(values.get(SUMMARY)))


def check_decision(answers: DecisionAnswers, competencies: Sequence[Competency], *, earliest: date) -> None:
    problems: dict[str, str] = {}
    if answers.outcome not in OUTCOMES:
        problems[OUTCOME] = "Pick the decision."
    if answers.outcome == PROMOTE:
        if answers.effective_on is None:
            problems[EFFECTIVE] = "A promotion needs the date it takes effect."
        elif answers.effective_on < earliest:
            problems[EFFECTIVE] = f"Pick {earliest:%d %B %Y} or later: a promotion cannot take effect in the past."
    for competency in competencies:
        if not answers.feedback.get(competency.id):
            problems[feedback_field(competency.id)] = f"Write the panel's feedback on {competency.name}."
        if answers.outcome == NOT_YET and not answers.next_steps.get(competency.id):
            problems[next_field(competency.id)] = f"A 'not yet' is a plan: say what's next for {competency.name}."
    for key, text in [
        *((feedback_field(k), v) for k, v in answers.feedback.items()),
        *((next_field(k), v) for k, v in answers.next_steps.items()),
        (SUMMARY, answers.summary),
    ]:
        if len(text) > MAX_TEXT:
            problems[key] = f"Keep this under {MAX_TEXT} characters (it has {len(text)})."
    if problems:
        raise InvalidAnswers(problems)


@dataclass(frozen=True)
class AppealDecisionAnswers:
    outcome: str | None = None
    effective_on: date | None = None
    summary: str = ""

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> AppealDecisionAnswers:
        outcome = values.get(OUTCOME)
        return cls(str(outcome) if outcome else None, _day(values.get(EFFECTIVE)), _text(values.get(SUMMARY)))


def check_appeal_decision(answers: AppealDecisionAnswers, *, earliest: date) -> None:
    problems: dict[str, str] = {}
    if answers.outcome not in APPEAL_OUTCOMES:
        problems[OUTCOME] = "Pick the outcome of the appeal."
    if answers.outcome == PROMOTE and (answers.effective_on is None or answers.effective_on < earliest):
        problems[EFFECTIVE] = f"A promotion needs the date it takes effect, {earliest:%d %B %Y} or later."
    if not answers.summary:
        problems[SUMMARY] = "Give the reasons: the nominee reads them, and the outcome is final."
    elif len(answers.summary) > MAX_TEXT:
        problems[SUMMARY] = f"Keep this under {MAX_TEXT} characters (it has {len(answers.summary)})."
    if problems:
        raise InvalidAnswers(problems)


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidAnswers({REASON: "Say why you are appealing: the people who hear it read this."})
    if len(reason) > MAX_TEXT:
        raise InvalidAnswers({REASON: f"Keep this under {MAX_TEXT} characters (it has {len(reason)})."})
    return reason


def _number(value: Any) -> int | None:
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
