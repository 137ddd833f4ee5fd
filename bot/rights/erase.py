"""Erasing a person: what is theirs goes, and what others' decisions rest on keeps the facts under a pseudonym.

Removed: their person row, level history, check-ins, check-in draft and preferences, evidence about them (whoever
logged it), their nominations as nominee (with everything that hangs from them: reviews, scores, decisions, appeal,
level change — in an open cycle too, as if withdrawn), their nomination drafts, mentoring offer and pairs, stretch
interests (and opportunities they posted that nobody else raised a hand for), group data (their own answers and
HR's), roles, panel seats, and every outbox message to them or about them.

Pseudonymised (one random pseudonym, e.g. ``erased-7f3a2c``, the same in every record): reviews they wrote,
nominations they made, scores they gave, decisions they took or judged, conflicts they declared, appeals they heard,
panels they chaired, opportunities others took from them, evidence they logged about others, check-ins shared with
them, and the audit trail (actors and details). Their Slack id, recorded name and email are replaced wherever they
appear — in id columns, free text and JSON — in every table. What they wrote in those kept records stays: others'
outcomes rest on it. Their reports' manager becomes unknown.

The pseudonym is recorded in ``erasure`` with who erased and the counts, never with the old id: nothing maps it back.
Erasing again finds nothing and writes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlmodel import Session, col, select

from storage.models import AuditEvent, Erasure, OutboxMessage, Panel
from storage.repositories.person_data import PersonData, needles_for

PSEUDONYM_PREFIX = "erased-"
OUTBOX = OutboxMessage.__tablename__


@dataclass(frozen=True)
class ErasureResult:
    pseudonym: str | None
    """None when nothing was held about the person (erased already, or never known)."""
    removed: dict[str, int] = field(default_factory=dict)
    """Table → rows deleted."""
    pseudonymised: dict[str, int] = field(default_factory=dict)
    """Table → rows whose mentions of them now carry the pseudonym."""
    chairless_panels: tuple[str, ...] = ()
    """Panels they chaired: the chair is now the pseudonym, and an admin should name another."""

    @property
    def nothing_held(self) -> bool:
        return not self.removed and not self.pseudonymised

    def summary(self) -> dict[str, int]:
        return {
            **{f"removed.{t}": n for t, n in self.removed.items()},
            **{f"pseudonymised.{t}": n for t, n in self.pseudonymised.items()},
        }


def erase_person(session: Session, team_id: str, user_id: str, *, by: str, now: Callable[[], datetime]) -> ErasureResult:
    """Erase ``user_id`` from ``team_id`` in the caller's transaction (roll it back for a dry run: the counts are the
    same). ``by`` is who erased (an admin's user id, or ``cli``)."""
    data = PersonData(session)
    person = data.person(team_id, user_id, for_update=True)
    needles = needles_for(user_id, person.name if person else None, person.email if person else None)
    pseudonym = _new_pseudonym(session, team_id)
    chaired = tuple(
        session.exec(select(Panel.name).where(Panel.team_id == team_id, Panel.chair == user_id).order_by(col(Panel.name)))
    )
    managed = data.forget_as_manager(team_id, user_id)
    data.stop_reminders(team_id, user_id)
    removed = data.remove(team_id, user_id)
    mentioned = data.outbox_mentioning(team_id, needles)
    if mentioned:
        removed[OUTBOX] = removed.get(OUTBOX, 0) + mentioned
    pseudonymised = data.replace_everywhere(team_id, needles, pseudonym, cleared=frozenset({OUTBOX}))
    if managed:
        pseudonymised["person"] = pseudonymised.get("person", 0) + managed
    result = ErasureResult(pseudonym, removed, pseudonymised, chaired)
    if result.nothing_held:
        return ErasureResult(None)
    erasure = Erasure(
        team_id=team_id,
        pseudonym=pseudonym,
        erased_by=pseudonym if by == user_id else by,
        summary=result.summary(),
        erased_at=now(),
    )
    session.add(erasure)
    session.flush()
    assert erasure.id is not None
    session.add(
        AuditEvent(
            team_id=team_id, object_kind="person", object_id=erasure.id, action="erased", actor=erasure.erased_by,
            detail={"pseudonym": pseudonym}, at=now(),
        )
    )  # fmt: skip
    session.flush()
    return result


def _new_pseudonym(session: Session, team_id: str) -> str:
    """Random, so nothing about the person can be read from it; never one the team has used."""
    while True:
        candidate = PSEUDONYM_PREFIX + secrets.token_hex(3)
        taken = session.exec(select(Erasure.id).where(Erasure.team_id == team_id, Erasure.pseudonym == candidate)).first()
        if taken is None:
            return candidate
