"""The evidence log: Slack messages saved as evidence of someone's work, with a note and competencies.

A person logs evidence about themselves; a manager (anyone up the chain) about a report, who sees it
too. Whoever nominates the person is offered it as portfolio entries. Only its author deletes an item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from bot.confidentiality import Action, can, relations
from bot.errors import InvalidAnswers, NotAllowed, NotFound
from bot.nominations.form import MAX_TEXT
from bot.nominations.service import Nominations
from storage.models import EvidenceItem

SUBJECT, NOTE, COMPETENCIES = "subject", "note", "competencies"


@dataclass(frozen=True)
class SavedMessage:
    """The message the shortcut was used on: where it is, and its permalink if Slack gave one."""

    channel: str | None
    ts: str | None
    permalink: str | None


class Evidence:
    def __init__(self, nominations: Nominations) -> None:
        self._nominations = nominations
        self.repo = nominations.evidence_log
        self._audit = nominations.audit_trail
        self._framework = nominations.framework

    def save(
        self, team_id: str, author: str, submission_key: str, message: SavedMessage, *, subject: str | None, note: str,
        competencies: Sequence[str],
    ) -> EvidenceItem:  # fmt: skip
        subject = subject or author
        chain = frozenset(self._nominations.chain(team_id, subject))
        if not can(relations(author, subject, chain=chain), Action.LOG_EVIDENCE_ABOUT):
            raise InvalidAnswers({SUBJECT: "You can save evidence about yourself, or about someone who reports to you."})
        note = note.strip()
        if not note:
            raise InvalidAnswers({NOTE: "Say in a line what this shows about the work."})
        if len(note) > MAX_TEXT:
            raise InvalidAnswers({NOTE: f"Keep the note under {MAX_TEXT} characters."})
        known = [c for c in competencies if self._framework.competency(c)]
        if not known:
            raise InvalidAnswers({COMPETENCIES: "Tag at least one competency it shows."})
        item, saved = self.repo.add_evidence(
            EvidenceItem(
                team_id=team_id, subject=subject, author=author, submission_key=submission_key, permalink=message.permalink,
                channel=message.channel, message_ts=message.ts, note=note, competencies=known, created_at=self._nominations.now(),
            )
        )  # fmt: skip
        assert item.id is not None
        if saved:  # not when the same submission arrives again
            self._audit.audit(team_id, "evidence", item.id, "evidence_saved", author, self._nominations.now(), subject=subject)
        return item

    def visible_to(self, team_id: str, viewer: str, competency: str | None = None) -> list[EvidenceItem]:
        """The viewer's own log and what they logged about others, newest first, optionally for one competency."""
        seen: dict[int, EvidenceItem] = {}
        for item in [*self.repo.evidence_about(team_id, viewer), *self.repo.evidence_by(team_id, viewer)]:
            if item.id is not None and can(relations(viewer, item.subject, author=item.author), Action.READ_EVIDENCE):
                seen[item.id] = item
        items = sorted(seen.values(), key=lambda i: (i.created_at, i.id or 0), reverse=True)
        return [i for i in items if competency is None or competency in i.competencies]

    def delete(self, team_id: str, actor: str, item_id: int) -> EvidenceItem:
        item = self.repo.evidence(team_id, item_id, for_update=True)
        if item is None:
            raise NotFound("That evidence item is already gone.")
        if not can(relations(actor, item.subject, author=item.author), Action.DELETE_EVIDENCE):
            raise NotAllowed("Only the person who saved an evidence item can delete it.")
        self.repo.delete_evidence(item)
        self._audit.audit(team_id, "evidence", item_id, "evidence_deleted", actor, self._nominations.now())
        return item
