"""Everything Ladder holds about one person, in one place: what their export reads and what their erasure changes.

Reads are one query per kind of record. Erasure is in two parts: :meth:`PersonData.remove` deletes rows that are the
person's own (or about them alone), and :meth:`PersonData.replace_everywhere` then rewrites every remaining mention of
them — their Slack id, their recorded name, their email — in every text and JSON column of every table
(:data:`SQLModel.metadata`, so a table added later is covered without a change here) with their pseudonym.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from sqlalchemy import JSON, ColumnElement, String, Table, Text, bindparam, cast, delete, func, or_, select, update
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, col

from bot.nominations.stages import DRAFT
from storage.models import (
    Appeal,
    Checkin,
    CheckinDraft,
    CheckinSchedule,
    ConflictDeclaration,
    EvidenceItem,
    LevelChange,
    MentorOffer,
    Mentorship,
    Nomination,
    OutboxMessage,
    Panel,
    PanelDecision,
    PanelMember,
    PanelScore,
    Person,
    PersonGroup,
    PromotionCycle,
    ReviewRequest,
    Role,
    StretchAssignment,
    StretchInterest,
)
from storage.repositories.held import held

SENDING_STATES = ("pending", "sending")
NOMINATION_CHILDREN: tuple[type[SQLModel], ...] = (
    ReviewRequest, ConflictDeclaration, PanelScore, PanelDecision, Appeal, LevelChange,
)  # fmt: skip
"""Rows that hang from a nomination (by ``nomination_id``): removed with it, before it (PostgreSQL checks the keys)."""
SHORTEST_NAME = 3
ASCII_RUN = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+")
"""Printable ASCII but quotes and backslashes: written the same in plain text and in JSON."""
"""A recorded name shorter than this is not looked for inside text (it would match parts of ordinary words)."""


@dataclass(frozen=True)
class Needles:
    """What identifies a person inside text: their Slack id (exact, as Slack writes it), and their recorded name and
    email (any case, as whole words)."""

    user_id: str
    words: tuple[str, ...] = ()

    def patterns(self) -> list[re.Pattern[str]]:
        found = [re.compile(rf"(?<![A-Za-z0-9]){re.escape(self.user_id)}(?![A-Za-z0-9])")]
        found += [re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.IGNORECASE) for w in self.words]
        return found

    def searched(self) -> list[str]:
        """Fragments a row must hold (in any case) to be worth reading: the id, and for a name or email its longest
        run of plain ASCII (JSON text escapes other characters, and SQLite folds the case of ASCII alone) — the whole
        word when it has no such run. Python then looks for the whole words in what is read."""
        fragments = {self.user_id}
        for word in self.words:
            runs = ASCII_RUN.findall(word)
            best = max(runs, key=len) if runs else ""
            fragments |= {best} if len(best) >= SHORTEST_NAME else {word, json.dumps(word)[1:-1]}
        return sorted(fragments)


def needles_for(user_id: str, name: str | None, email: str | None) -> Needles:
    words = [w.strip() for w in (name, email) if w and len(w.strip()) >= SHORTEST_NAME]
    return Needles(user_id, tuple(dict.fromkeys(words)))


class PersonData:
    """One team's records of one person, inside the caller's unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- what the export reads ---------------------------------------------------------------------------------------

    def person(self, team_id: str, user_id: str, *, for_update: bool = False) -> Person | None:
        """Their people-table row; ``for_update`` holds it (:func:`held`): two erasures of one person run one after the
        other, and the second finds nothing left."""
        query = select(Person).where(col(Person.team_id) == team_id, col(Person.user_id) == user_id)
        return self._session.execute(held(self._session, query) if for_update else query).scalars().first()

    def _all(self, model: type[SQLModel], *where: Any, order: Any = None) -> list[Any]:
        query = select(model).where(*where)
        if order is not None:
            query = query.order_by(order)
        return list(self._session.execute(query).scalars())

    def roles(self, team_id: str, user_id: str) -> list[Role]:
        return self._all(Role, col(Role.team_id) == team_id, col(Role.user_id) == user_id, order=col(Role.id))

    def level_history(self, team_id: str, user_id: str) -> list[LevelChange]:
        return self._all(
            LevelChange,
            col(LevelChange.team_id) == team_id,
            col(LevelChange.user_id) == user_id,
            order=col(LevelChange.effective_on),
        )

    def checkins(self, team_id: str, user_id: str) -> list[Checkin]:
        return self._all(
            Checkin, col(Checkin.team_id) == team_id, col(Checkin.user_id) == user_id, order=col(Checkin.submitted_at)
        )

    def checkin_draft(self, team_id: str, user_id: str) -> CheckinDraft | None:
        return self._session.get(CheckinDraft, (team_id, user_id))

    def schedule(self, team_id: str, user_id: str) -> CheckinSchedule | None:
        found = self._all(CheckinSchedule, col(CheckinSchedule.team_id) == team_id, col(CheckinSchedule.user_id) == user_id)
        return found[0] if found else None

    def evidence(self, team_id: str, user_id: str) -> list[EvidenceItem]:
        """Evidence about them and evidence they logged about others."""
        mine = or_(col(EvidenceItem.subject) == user_id, col(EvidenceItem.author) == user_id)
        return self._all(EvidenceItem, col(EvidenceItem.team_id) == team_id, mine, order=col(EvidenceItem.created_at))

    def nominations(self, team_id: str, user_id: str) -> list[Nomination]:
        """Nominations of them, and those they made."""
        theirs = or_(col(Nomination.nominee) == user_id, col(Nomination.nominator) == user_id)
        return self._all(Nomination, col(Nomination.team_id) == team_id, theirs, order=col(Nomination.id))

    def cycle_names(self, team_id: str, cycle_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(cycle_ids))
        if not ids:
            return {}
        rows = self._session.execute(
            select(col(PromotionCycle.id), col(PromotionCycle.name)).where(
                col(PromotionCycle.team_id) == team_id, col(PromotionCycle.id).in_(ids)
            )
        )
        return {cycle_id: name for cycle_id, name in rows}

    def reviews_written(self, team_id: str, user_id: str) -> list[ReviewRequest]:
        return self._all(
            ReviewRequest,
            col(ReviewRequest.team_id) == team_id,
            col(ReviewRequest.reviewer) == user_id,
            order=col(ReviewRequest.id),
        )

    def scores_given(self, team_id: str, user_id: str) -> list[PanelScore]:
        return self._all(
            PanelScore, col(PanelScore.team_id) == team_id, col(PanelScore.panelist) == user_id, order=col(PanelScore.id)
        )

    def conflicts_declared(self, team_id: str, user_id: str) -> list[ConflictDeclaration]:
        return self._all(
            ConflictDeclaration, col(ConflictDeclaration.team_id) == team_id, col(ConflictDeclaration.user_id) == user_id,
            order=col(ConflictDeclaration.id),
        )  # fmt: skip

    def panels_sat_on(self, team_id: str, user_id: str) -> list[tuple[Panel, bool]]:
        """Panels they sit on or chair: (panel, whether they chair it)."""
        member_of = select(col(PanelMember.panel_id)).where(
            col(PanelMember.team_id) == team_id, col(PanelMember.user_id) == user_id
        )
        panels = self._all(
            Panel,
            col(Panel.team_id) == team_id,
            or_(col(Panel.chair) == user_id, col(Panel.id).in_(member_of)),
            order=col(Panel.id),
        )
        return [(p, p.chair == user_id) for p in panels]

    def decisions_taken(self, team_id: str, user_id: str) -> list[PanelDecision]:
        return self._all(
            PanelDecision,
            col(PanelDecision.team_id) == team_id,
            col(PanelDecision.decided_by) == user_id,
            order=col(PanelDecision.id),
        )

    def mentor_offer(self, team_id: str, user_id: str) -> MentorOffer | None:
        found = self._all(MentorOffer, col(MentorOffer.team_id) == team_id, col(MentorOffer.user_id) == user_id)
        return found[0] if found else None

    def mentorships(self, team_id: str, user_id: str) -> list[Mentorship]:
        either = or_(col(Mentorship.mentee) == user_id, col(Mentorship.mentor) == user_id)
        return self._all(Mentorship, col(Mentorship.team_id) == team_id, either, order=col(Mentorship.id))

    def stretch_interests(self, team_id: str, user_id: str) -> list[tuple[StretchInterest, StretchAssignment]]:
        rows = self._session.execute(
            select(StretchInterest, StretchAssignment)
            .join(StretchAssignment, col(StretchAssignment.id) == col(StretchInterest.assignment_id))
            .where(col(StretchInterest.team_id) == team_id, col(StretchInterest.user_id) == user_id)
            .order_by(col(StretchInterest.id))
        )
        return [(interest, assignment) for interest, assignment in rows]

    def stretch_posted(self, team_id: str, user_id: str) -> list[StretchAssignment]:
        theirs = or_(col(StretchAssignment.poster) == user_id, col(StretchAssignment.contact) == user_id)
        return self._all(StretchAssignment, col(StretchAssignment.team_id) == team_id, theirs, order=col(StretchAssignment.id))

    def count(self, model: type[SQLModel], *where: Any) -> int:
        return int(self._session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())

    def export_pending(self, team_id: str, user_id: str, purpose: str) -> bool:
        """Whether a message of ``purpose`` to the person waits to be sent (a second press adds nothing)."""
        return bool(
            self.count(
                OutboxMessage,
                col(OutboxMessage.team_id) == team_id,
                col(OutboxMessage.recipient) == user_id,
                col(OutboxMessage.purpose) == purpose,
                col(OutboxMessage.status).in_(SENDING_STATES),
            )  # fmt: skip
        )

    # -- what erasure removes ----------------------------------------------------------------------------------------

    def remove(self, team_id: str, user_id: str) -> dict[str, int]:
        """Delete the rows that are the person's own or about them alone; table → rows removed.

        Their nominations as nominee go whole (with reviews, scores, decisions, appeal and level change); their drafts as
        nominator too (nobody else rests on a draft). Evidence about them goes, whoever logged it. A stretch
        opportunity they posted goes when nobody else raised a hand for it. Panel membership goes (a judge who can never
        score would hold a seat): who judged a nomination stays in its scores and decision."""
        removed: dict[str, int] = {}

        def gone(model: type[SQLModel], *where: Any) -> None:
            table = model.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; table=True classes have one
            result = self._session.exec(delete(model).where(table.c.team_id == team_id, *where))
            if result.rowcount:
                removed[table.name] = removed.get(table.name, 0) + result.rowcount

        own_nominations = select(col(Nomination.id)).where(
            col(Nomination.team_id) == team_id,
            or_(col(Nomination.nominee) == user_id, (col(Nomination.nominator) == user_id) & (col(Nomination.stage) == DRAFT)),
        )
        ids = list(self._session.execute(own_nominations).scalars())
        if ids:
            for child in NOMINATION_CHILDREN:
                gone(child, col(child.nomination_id).in_(ids))  # type: ignore[attr-defined]  # each of NOMINATION_CHILDREN has the column; SQLModel's base type does not
            gone(Nomination, col(Nomination.id).in_(ids))
        gone(LevelChange, col(LevelChange.user_id) == user_id)
        gone(Checkin, col(Checkin.user_id) == user_id)
        gone(CheckinDraft, col(CheckinDraft.user_id) == user_id)
        gone(CheckinSchedule, col(CheckinSchedule.user_id) == user_id)
        gone(EvidenceItem, col(EvidenceItem.subject) == user_id)
        gone(MentorOffer, col(MentorOffer.user_id) == user_id)
        gone(Mentorship, or_(col(Mentorship.mentee) == user_id, col(Mentorship.mentor) == user_id))
        gone(StretchInterest, col(StretchInterest.user_id) == user_id)
        others_interested = select(col(StretchInterest.assignment_id)).where(col(StretchInterest.team_id) == team_id)
        lonely = select(col(StretchAssignment.id)).where(
            col(StretchAssignment.team_id) == team_id, col(StretchAssignment.poster) == user_id,
            col(StretchAssignment.id).not_in(others_interested),
        )  # fmt: skip
        gone(StretchAssignment, col(StretchAssignment.id).in_(lonely))
        gone(PersonGroup, col(PersonGroup.user_id) == user_id)
        gone(Role, col(Role.user_id) == user_id)
        gone(PanelMember, col(PanelMember.user_id) == user_id)
        gone(OutboxMessage, col(OutboxMessage.recipient) == user_id)
        gone(Person, col(Person.user_id) == user_id)
        return removed

    def forget_as_manager(self, team_id: str, user_id: str) -> int:
        """Their reports' manager is no longer known (rather than a pseudonym no one can be)."""
        result = self._session.exec(
            update(Person)
            .where(col(Person.team_id) == team_id, col(Person.manager_user_id) == user_id)
            .values(manager_user_id=None)
        )
        return int(result.rowcount or 0)

    def stop_reminders(self, team_id: str, user_id: str) -> None:
        """Review requests they left unanswered are never chased again (the reviewer no longer exists)."""
        self._session.execute(
            update(ReviewRequest)
            .where(col(ReviewRequest.team_id) == team_id, col(ReviewRequest.reviewer) == user_id)
            .values(next_reminder_at=None)
        )

    def outbox_mentioning(self, team_id: str, needles: Needles) -> int:
        """Messages to others about them (a review declined, a mentoring check-in): not sent, and not kept. Afterwards
        no outbox row mentions them (the sweep need not read the outbox again)."""
        table = OutboxMessage.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; table=True classes have one
        searched = searchable_columns(table)
        candidates = self._session.execute(
            _mentioning(table, team_id, [table.c.id, *searched], searched, needles.searched(), self._postgres)
        ).all()
        patterns = needles.patterns()
        ids = [row_id for row_id, *values in candidates if _mentions(values, patterns)]
        if ids:
            self._session.execute(delete(OutboxMessage).where(col(OutboxMessage.id).in_(ids)))
        return len(ids)

    # -- what erasure pseudonymises ------------------------------------------------------------------------------------

    def replace_everywhere(
        self, team_id: str, needles: Needles, pseudonym: str, *, cleared: frozenset[str] = frozenset()
    ) -> dict[str, int]:
        """Rewrite every mention of the person left in any table — a user id column, a free-text field, a JSON value or
        key — with ``pseudonym``; table → rows changed. Candidate rows are found in SQL (one query a table), the exact
        matches (whole ids, whole words) in Python. ``cleared``: tables the caller has already rid of every mention."""
        patterns, fragments = needles.patterns(), needles.searched()
        changed: dict[str, int] = {}
        for table in SQLModel.metadata.sorted_tables:
            columns = searchable_columns(table)
            if not columns or table.name in cleared:
                continue
            keys = list(table.primary_key.columns)
            rows = self._session.execute(_mentioning(table, team_id, keys + columns, columns, fragments, self._postgres)).all()
            names = [c.name for c in columns]
            batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                values = dict(zip(names, row[len(keys) :], strict=True))
                new = {name: _replaced(value, patterns, pseudonym) for name, value in values.items()}
                new = {name: value for name, value in new.items() if value != values[name]}
                if new:
                    params = {f"key_{k.name}": v for k, v in zip(keys, row[: len(keys)], strict=True)}
                    batches.setdefault(tuple(sorted(new)), []).append(params | {f"new_{n}": v for n, v in new.items()})
            for changing, each_row in batches.items():  # one statement (executemany) per set of columns changed
                statement = (
                    update(table)
                    .where(*(k == bindparam(f"key_{k.name}", type_=k.type) for k in keys))
                    .values({n: bindparam(f"new_{n}", type_=table.c[n].type) for n in changing})
                )
                self._session.execute(statement, each_row)
            count = sum(len(p) for p in batches.values())
            if count:
                changed[table.name] = count
        return changed

    @property
    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"


def searchable_columns(table: Table) -> list[Any]:
    """The columns text about a person can sit in: strings and JSON (never the team id, a binary or a number)."""
    return [c for c in table.columns if c.name != "team_id" and (isinstance(c.type, JSON) or _holds_text(c.type))]


def _holds_text(kind: Any) -> bool:
    """String, Text, Unicode — and SQLModel's AutoString, a decorator over String."""
    base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    return isinstance(base, String)


def _mentioning(table: Table, team_id: str, wanted: list[Any], searched: list[Any], fragments: list[str], postgres: bool) -> Any:
    """``wanted`` columns of the team's rows whose ``searched`` columns hold any of ``fragments`` (in any case): the
    searched columns joined into one text a row, in a subquery the planner keeps apart (``OFFSET 0``), so the join is
    made once a row however many fragments are looked for."""
    joined: ColumnElement[str] = func.coalesce(_as_text(searched[0]), "")
    for column in searched[1:]:
        joined = joined + "\x1f" + func.coalesce(_as_text(column), "")
    inner = select(*wanted, joined.label("haystack_"))
    if "team_id" in table.c:
        inner = inner.where(table.c.team_id == team_id)
    rows = inner.offset(0).subquery()
    return select(*(rows.c[c.name] for c in wanted)).where(or_(*(_like(rows.c.haystack_, f, postgres) for f in fragments)))


def _like(text: ColumnElement[str], fragment: str, postgres: bool) -> ColumnElement[bool]:
    """Case-insensitive: ILIKE on PostgreSQL; SQLite's LIKE folds ASCII letters itself."""
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return text.ilike(pattern, escape="\\") if postgres else text.like(pattern, escape="\\")


def _as_text(column: Any) -> ColumnElement[str]:
    return cast(column, Text) if isinstance(column.type, JSON) else column


def _mentions(value: Any, patterns: Sequence[re.Pattern[str]]) -> bool:
    return _replaced(value, patterns, "\x00") != value


def _replaced(value: Any, patterns: Sequence[re.Pattern[str]], pseudonym: str) -> Any:
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(pseudonym, value)
        return value
    if isinstance(value, list):
        return [_replaced(v, patterns, pseudonym) for v in value]
    if isinstance(value, dict):
        return {_replaced(k, patterns, pseudonym): _replaced(v, patterns, pseudonym) for k, v in value.items()}
    return value
