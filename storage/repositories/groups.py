"""Group data (gender, location, working pattern, …), kept apart in ``person_group`` and read by the fairness audit alone.

Two sources are held side by side for each person and attribute: ``hr`` (``ladder people groups import``) and ``self``
(the person's own answer from their App Home, which may be :data:`PREFER_NOT_TO_SAY`). The audit reads the person's own
answer first, unless they preferred not to say, else HR's (:meth:`GroupRepository.effective_groups`). Every write is
idempotent (an import run twice, a form submitted twice) and works inside the caller's unit of work, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from sqlalchemy import and_, delete, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import Person, PersonGroup, utcnow

HR, SELF = "hr", "self"
PREFER_NOT_TO_SAY = "prefer_not_to_say"
"""A person's own answer that they would rather not say: stored (so their form shows it), never counted as a group;
the audit reads HR's value for that attribute instead, as for a question they left unanswered."""
_BATCH = 500
"""Rows per statement of a large import: well under either database's limit on bound parameters."""


class GroupRepository:
    """Group data of one team's people, inside the caller's session (one unit of work)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- HR's data ------------------------------------------------------------------------------------------------------

    def hr_groups(self, team_id: str, user_ids: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
        """User id → attribute → value, as HR's import stored it (of ``user_ids`` alone when given)."""
        return self._of_source(team_id, HR, user_ids)

    def save_hr(self, team_id: str, changes: Mapping[str, Mapping[str, str | None]]) -> None:
        """Write HR's values: for each user id, attribute → value, or None to remove HR's value. Attributes not given are
        left alone; writing what is stored again changes nothing (not even ``updated_at``)."""
        values = {(user, attribute): value for user, given in changes.items() for attribute, value in given.items()}
        self._upsert(team_id, HR, {key: value for key, value in values.items() if value is not None})
        self._remove(team_id, HR, [key for key, value in values.items() if value is None])

    # -- a person's own answers ---------------------------------------------------------------------------------------

    def own_answers(self, team_id: str, user_id: str) -> dict[str, str]:
        """The person's own answers, attribute → value (``prefer_not_to_say`` included): for their form and export."""
        return self._of_source(team_id, SELF, [user_id]).get(user_id, {})

    def set_own_answers(self, team_id: str, user_id: str, answers: Mapping[str, str]) -> None:
        """Make the person's own answers exactly ``answers``: those given are stored, every other answer of theirs is
        removed. Submitting the same answers twice leaves the same rows."""
        self._session.execute(
            delete(PersonGroup).where(
                col(PersonGroup.team_id) == team_id,
                col(PersonGroup.user_id) == user_id,
                col(PersonGroup.source) == SELF,
                col(PersonGroup.attribute).not_in(list(answers)),
            )
        )
        self._upsert(team_id, SELF, {(user_id, attribute): value for attribute, value in answers.items()})

    def clear_own_answers(self, team_id: str, user_id: str) -> int:
        """Remove every answer the person gave about themselves; how many there were."""
        return self._delete(team_id, user_id, SELF)

    # -- the audit, and erasure ---------------------------------------------------------------------------------------

    def effective_groups(self, team_id: str) -> dict[str, dict[str, str]]:
        """Every person's group under each attribute, in one query (:func:`effective_groups`)."""
        rows = self._session.exec(
            select(PersonGroup.user_id, PersonGroup.attribute, PersonGroup.value, PersonGroup.source).where(
                PersonGroup.team_id == team_id,
                col(PersonGroup.source).in_((HR, SELF)),
            )
        ).all()
        return effective_groups(rows)

    def remove_person(self, team_id: str, user_id: str, *, source: str | None = None) -> int:
        """Remove the person's group data (of one source, or all of it); how many rows there were."""
        return self._delete(team_id, user_id, source)

    def teams(self) -> list[str]:
        """The teams whose people Ladder knows."""
        return sorted(set(self._session.exec(select(Person.team_id).distinct())))

    def recorded_people(self, team_id: str) -> set[str]:
        """The Slack user ids of the team's people Ladder knows (group data is held for them alone)."""
        return set(self._session.exec(select(Person.user_id).where(Person.team_id == team_id)))

    # -- statements -----------------------------------------------------------------------------------------------------

    def _of_source(self, team_id: str, source: str, user_ids: Iterable[str] | None) -> dict[str, dict[str, str]]:
        """One query, whatever the number of people: the team's rows of the source, kept for ``user_ids`` if given."""
        query = select(PersonGroup.user_id, PersonGroup.attribute, PersonGroup.value).where(
            PersonGroup.team_id == team_id, PersonGroup.source == source
        )
        wanted = None if user_ids is None else set(user_ids)
        if wanted is not None and len(wanted) <= _BATCH:
            query = query.where(col(PersonGroup.user_id).in_(sorted(wanted)))
        found: dict[str, dict[str, str]] = {}
        for user_id, attribute, value in self._session.exec(query):
            if wanted is None or user_id in wanted:
                found.setdefault(user_id, {})[attribute] = value
        return found

    def _upsert(self, team_id: str, source: str, values: Mapping[tuple[str, str], str]) -> None:
        """Insert each (user, attribute) → value, or update a stored row whose value differs."""
        if not values:
            return
        insert = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        rows = [
            {"team_id": team_id, "user_id": user, "attribute": attribute, "value": value, "source": source, "updated_at": now}
            for (user, attribute), value in sorted(values.items())
        ]
        table = PersonGroup.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; table=True classes have one
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["team_id", "user_id", "attribute", "source"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
            where=table.c.value != statement.excluded.value,
        )
        self._session.execute(statement, rows)  # one statement, executed for every row (the driver's executemany)

    def _remove(self, team_id: str, source: str, keys: list[tuple[str, str]]) -> None:
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            self._session.execute(
                delete(PersonGroup).where(
                    col(PersonGroup.team_id) == team_id,
                    col(PersonGroup.source) == source,
                    tuple_(col(PersonGroup.user_id), col(PersonGroup.attribute)).in_(batch),
                )
            )

    def _delete(self, team_id: str, user_id: str, source: str | None) -> int:
        conditions = [col(PersonGroup.team_id) == team_id, col(PersonGroup.user_id) == user_id]
        if source is not None:
            conditions.append(col(PersonGroup.source) == source)
        result = self._session.exec(delete(PersonGroup).where(and_(*conditions)))
        return result.rowcount or 0


__all__ = ["HR", "PREFER_NOT_TO_SAY", "SELF", "GroupRepository"]


def effective_groups(rows: Iterable[tuple[str, str, str, str]]) -> dict[str, dict[str, str]]:
    """User → attribute → group from (user_id, attribute, value, source) rows: the person's own answer unless they
    preferred not to say, else HR's value; an attribute nobody knows for a person (or "prefer not to say" from either
    source) is absent. The one rule the audit (bot/fairness/load.py) and this repository apply."""
    chosen: dict[str, dict[str, str]] = {}
    from_hr = []
    for user_id, attribute, value, source in rows:
        value = value.strip()
        if not value or value == PREFER_NOT_TO_SAY:
            continue
        if source == SELF:
            chosen.setdefault(user_id, {})[attribute] = value
        else:
            from_hr.append((user_id, attribute, value))
    for user_id, attribute, value in from_hr:
        chosen.setdefault(user_id, {}).setdefault(attribute, value)
    return chosen
