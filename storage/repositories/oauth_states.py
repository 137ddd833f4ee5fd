"""Slack's OAuth states (``slack_oauth_states``, slack_sdk's state store): each visit to the install page writes one,
and slack_sdk deletes only those an install came back with. Those that expired unused are deleted here."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from storage.slack_tables import oauth_states


def count_expired(session: Session, now: datetime) -> int:
    return int(
        session.execute(select(func.count()).select_from(oauth_states).where(oauth_states.c.expire_at < _naive(now))).scalar_one()
    )


def delete_expired(session: Session, now: datetime) -> int:
    """Delete the states that expired before ``now``; how many."""
    deleted = session.exec(oauth_states.delete().where(oauth_states.c.expire_at < _naive(now)))
    return int(deleted.rowcount or 0)


def _naive(now: datetime) -> datetime:
    """slack_sdk stores a state's expiry as naive UTC."""
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
