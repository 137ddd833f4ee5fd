"""People and processed events: each write idempotent, because Slack retries and people double-click."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Mapping

from sqlalchemy import Engine, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.engine import reading
from storage.models import LevelChange, Person, ProcessedEvent, utcnow
from storage.repositories.once import insert_once


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def _reading(engine: Engine) -> Session:
    """For a read alone (a question's "my level"): a snapshot that never waits for a writer."""
    return Session(reading(engine), expire_on_commit=False)


class Upsert(StrEnum):
    """What an upsert did. Truthy only for CREATED, so ``if people.upsert(...)`` reads "was it new?"."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"

    def __bool__(self) -> bool:
        return self is Upsert.CREATED


_LEVEL_OF = (
    select(col(Person.level))
    .where(col(Person.team_id) == bindparam("team_id"), col(Person.user_id) == bindparam("user_id"))
    .limit(1)
)
"""Built once: a question that needs the asker's level runs it on every request, past the ORM's unit of work."""


class PeopleRepository:
    """People and their levels, always read and written within one Slack team."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, team_id: str, user_id: str) -> Person | None:
        with _reading(self._engine) as session:
            return session.exec(select(Person).where(col(Person.team_id) == team_id, col(Person.user_id) == user_id)).first()

    def level_of(self, team_id: str, user_id: str) -> str | None:
        """The level recorded for one person, or None: the one column a question about "my level" reads."""
        with reading(self._engine).connect() as connection:
            return connection.execute(_LEVEL_OF, {"team_id": team_id, "user_id": user_id}).scalar()

    def list(self, team_id: str) -> list[Person]:
        with _reading(self._engine) as session:
            return list(
                session.exec(select(Person).where(col(Person.team_id) == team_id).order_by(col(Person.name), col(Person.user_id)))
            )

    def latest_promotions(self, team_id: str) -> dict[str, LevelChange]:
        """Each person's latest level change Ladder applied from a published promotion, by Slack user id."""
        with _reading(self._engine) as session:
            changes = session.exec(
                select(LevelChange)
                .where(col(LevelChange.team_id) == team_id, col(LevelChange.applied_at).is_not(None))
                .order_by(col(LevelChange.effective_on), col(LevelChange.id))
            )
            return {change.user_id: change for change in changes}  # the latest wins

    def count(self, team_id: str) -> int:
        with _reading(self._engine) as session:
            return session.exec(select(func.count()).select_from(Person).where(col(Person.team_id) == team_id)).one()

    def upsert(
        self, team_id: str, user_id: str, *, name: str, email: str | None, track: str, level: str, manager_user_id: str | None
    ) -> Upsert:
        """Insert or update one person; says whether it was created, updated or already so.

        An unchanged row is not written, so re-importing the same file touches nothing.
        """
        values = {"name": name, "email": email, "track": track, "level": level, "manager_user_id": manager_user_id}
        for _attempt in range(2):  # a concurrent insert of the same person turns the second try into an update
            with _session(self._engine) as session:
                person = session.exec(
                    select(Person).where(col(Person.team_id) == team_id, col(Person.user_id) == user_id)
                ).first()
                if person is None:
                    session.add(
                        Person(
                            team_id=team_id,
                            user_id=user_id,
                            name=name,
                            email=email,
                            track=track,
                            level=level,
                            manager_user_id=manager_user_id,
                        )
                    )
                    outcome = Upsert.CREATED
                elif all(getattr(person, key) == value for key, value in values.items()):
                    return Upsert.UNCHANGED
                else:
                    for key, value in values.items():
                        setattr(person, key, value)
                    person.updated_at = utcnow()
                    outcome = Upsert.UPDATED
                try:
                    session.commit()
                    return outcome
                except IntegrityError:
                    session.rollback()
        raise RuntimeError(f"could not save person {team_id}/{user_id}")

    def save_people(self, team_id: str, people: Mapping[str, Mapping[str, Any]]) -> None:
        """Write the given columns of each person (by Slack user id), creating those not stored yet, all in one
        transaction. Columns not given are left alone; writing the same values again changes nothing."""
        for _attempt in range(2):  # a person inserted concurrently turns the second try into an update
            with _session(self._engine) as session:
                stored = {p.user_id: p for p in session.exec(select(Person).where(col(Person.team_id) == team_id))}
                for user_id, values in people.items():
                    person = stored.get(user_id)
                    if person is None:
                        session.add(Person(team_id=team_id, user_id=user_id, **values))
                        continue
                    changed = {column: value for column, value in values.items() if getattr(person, column) != value}
                    for column, value in changed.items():
                        setattr(person, column, value)
                    if changed:
                        person.updated_at = utcnow()
                try:
                    session.commit()
                    return
                except IntegrityError:
                    session.rollback()
        raise RuntimeError(f"could not save {len(people)} people of team {team_id}")


class People:
    """One team's people inside the caller's unit of work (:class:`PeopleRepository` opens its own)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def person(self, team_id: str, user_id: str) -> Person | None:
        return self._session.exec(select(Person).where(col(Person.team_id) == team_id, col(Person.user_id) == user_id)).first()

    def manager_of(self, team_id: str, user_id: str) -> str | None:
        return self._session.exec(
            select(col(Person.manager_user_id)).where(col(Person.team_id) == team_id, col(Person.user_id) == user_id)
        ).first()


class EventLog:
    """Which Slack events were already handled, so a redelivered event is answered once: claimed in the caller's unit
    of work, together with what handling it writes (rolled back with it if handling fails, so Slack's retry is
    handled rather than dropped; a retry arriving meanwhile waits on the claim's row, then is dropped)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, team_id: str, event_id: str) -> bool:
        """True for the first claim of an event, False for every later one, across processes."""
        return insert_once(self._session, ProcessedEvent(team_id=team_id, event_id=event_id), ["team_id", "event_id"])
