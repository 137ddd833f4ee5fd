"""What a check-in asks, and whether the answers are complete. Field names here are the contract
with the modal (messages/checkins.py), which keys its blocks by them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from bot.errors import InvalidAnswers
from bot.framework.model import Competency, Framework

MAX_TEXT = 3000
"""Slack's limit for a plain-text input, and what a check-in keeps per answer."""
SUPPORT = {"mentor": "A mentor", "stretch": "A stretch assignment", "training": "Training"}
"""The kinds of support a person can ask for, by id."""

WENT_WELL, GOALS, OBSTACLES, SUPPORT_WANTED, SHARE = "went_well", "goals", "obstacles", "support", "share"


def rating_field(competency_id: str) -> str:
    return f"rating.{competency_id}"


def note_field(competency_id: str) -> str:
    return f"note.{competency_id}"


@dataclass(frozen=True)
class CheckinAnswers:
    went_well: str = ""
    goals: str = ""
    obstacles: str = ""
    ratings: Mapping[str, str] = field(default_factory=dict)
    """Competency id → rating id."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """Competency id → the person's own words about it."""
    support: tuple[str, ...] = ()
    share: bool = False

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> "CheckinAnswers":
        """From field name → value (strings, a list for support, a bool for share), as the modal reads them."""
        ratings = {k.removeprefix("rating."): str(v) for k, v in values.items() if k.startswith("rating.") and v}
        notes = {
            k.removeprefix("note."): str(v).strip() for k, v in values.items() if k.startswith("note.") and v and str(v).strip()
        }
        return cls(
            went_well=_text(values.get(WENT_WELL)),
            goals=_text(values.get(GOALS)),
            obstacles=_text(values.get(OBSTACLES)),
            ratings=ratings,
            notes=notes,
            support=tuple(s for s in values.get(SUPPORT_WANTED) or () if s in SUPPORT),
            share=bool(values.get(SHARE)),
        )

    def as_fields(self) -> dict[str, Any]:
        """The inverse of :meth:`from_fields`: what a draft stores and the modal shows again."""
        fields: dict[str, Any] = {
            WENT_WELL: self.went_well,
            GOALS: self.goals,
            OBSTACLES: self.obstacles,
            SUPPORT_WANTED: list(self.support),
            SHARE: self.share,
        }
        fields.update({rating_field(c): r for c, r in self.ratings.items()})
        fields.update({note_field(c): n for c, n in self.notes.items()})
        return fields


def check(answers: CheckinAnswers, framework: Framework, competencies: tuple[Competency, ...]) -> None:
    """Raise :class:`InvalidAnswers` naming each field to fix; return quietly when the check-in can be saved."""
    problems: dict[str, str] = {}
    if not answers.went_well:
        problems[WENT_WELL] = "Write a line about what went well since your last check-in."
    if not answers.goals:
        problems[GOALS] = "Write at least one goal for the next period."
    for name, text in ((WENT_WELL, answers.went_well), (GOALS, answers.goals), (OBSTACLES, answers.obstacles)):
        if len(text) > MAX_TEXT:
            problems[name] = f"Keep this under {MAX_TEXT:,} characters (it has {len(text):,})."
    for competency in competencies:
        chosen = answers.ratings.get(competency.id)
        if chosen is None:
            problems[rating_field(competency.id)] = f"Rate yourself on {competency.name}."
        elif framework.rating(chosen) is None:
            problems[rating_field(competency.id)] = "Pick one of the ratings listed."
        note = answers.notes.get(competency.id, "")
        if len(note) > MAX_TEXT:
            problems[note_field(competency.id)] = f"Keep this under {MAX_TEXT:,} characters (it has {len(note):,})."
    if problems:
        raise InvalidAnswers(problems)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
