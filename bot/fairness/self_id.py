"""Self-identification: a person's own answers to the framework's fairness questions, from their App Home.

Every question is optional and offers "Prefer not to say" (stored as :data:`PREFER_NOT_TO_SAY`: the person is counted in
no group by their own answer, and the audit reads what HR holds instead, as for a question left unanswered); answers
can be changed or cleared at any time. Only the person reads or
changes their answers (:data:`bot.confidentiality.Action.READ_OWN_GROUPS`); the audit reads them with everyone's,
aggregated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlmodel import Session

from bot.confidentiality import Action, can, relations
from bot.errors import InvalidAnswers, NotAllowed
from bot.framework.model import Framework, SelfIdQuestion
from storage.repositories.groups import PREFER_NOT_TO_SAY, GroupRepository

__all__ = ["PREFER_NOT_TO_SAY", "SelfIdForm", "SelfIdentification"]


@dataclass(frozen=True)
class SelfIdForm:
    """What the form shows one person: the questions, their current answers, and the audit's smallest group shown."""

    questions: tuple[SelfIdQuestion, ...]
    answers: Mapping[str, str]
    """Attribute → their answer (a choice, or :data:`PREFER_NOT_TO_SAY`); questions they left unanswered are absent."""
    min_group_size: int


class SelfIdentification:
    def __init__(self, framework: Framework, session: Session) -> None:
        self.framework = framework
        self._groups = GroupRepository(session)

    @property
    def questions(self) -> tuple[SelfIdQuestion, ...]:
        """The framework's fairness questions; none when self-identification is turned off."""
        return self.framework.fairness.questions

    def form(self, team_id: str, viewer: str, owner: str) -> SelfIdForm:
        """The form of ``owner`` as ``viewer`` may read it: only their own."""
        self._allowed(viewer, owner)
        return SelfIdForm(self.questions, self._groups.own_answers(team_id, owner), self.framework.fairness.min_group_size)

    def answer(self, team_id: str, user_id: str, answers: Mapping[str, str | None]) -> dict[str, str]:
        """Store the person's answers as given: a question answered None (or not at all) is unanswered, and an answer
        they gave before is removed. The same answers twice leave the same rows. Returns what is stored."""
        questions = {q.id: q for q in self.questions}
        if not questions:
            raise NotAllowed("Self-identification is turned off in this workspace's career framework.")
        problems = {
            attribute: "Pick one of the answers offered."
            for attribute, value in answers.items()
            if value is not None
            and (attribute not in questions or (value != PREFER_NOT_TO_SAY and value not in questions[attribute].choices))
        }
        if problems:
            raise InvalidAnswers(problems)
        kept = {attribute: value for attribute, value in answers.items() if value is not None}
        self._groups.set_own_answers(team_id, user_id, kept)
        return kept

    def clear(self, team_id: str, user_id: str) -> int:
        """Remove every answer the person gave; how many there were."""
        return self._groups.clear_own_answers(team_id, user_id)

    @staticmethod
    def _allowed(viewer: str, owner: str) -> None:
        if not can(relations(viewer, owner), Action.READ_OWN_GROUPS):
            raise NotAllowed("Only the person themselves can read their answers.")
