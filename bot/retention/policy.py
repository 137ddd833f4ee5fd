"""What the retention policy says is due for removal at a moment: one cut-off per kind of record, nothing else.

A pure function of the policy and ``now``: the runner and the command line ask it, the repository applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.framework.model import RetentionPolicy
from storage.repositories.retention import (
    CHECKIN_DRAFTS,
    CHECKINS,
    DECIDED_NOMINATIONS,
    NOMINATION_DRAFTS,
    PROCESSED_EVENTS,
    SENT_MESSAGES,
)


@dataclass(frozen=True)
class Due:
    """One kind of record, and the moment before which its records go (None: this kind is kept)."""

    kind: str
    label: str
    setting: str
    """The framework file's field under ``retention:`` that sets it."""
    kept_for: str
    """The policy in words, e.g. "90 days"."""
    cutoff: datetime | None


def years_before(moment: datetime, years: int) -> datetime:
    """The same calendar day ``years`` earlier (29 February → 28 February in a common year)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def due(policy: RetentionPolicy, now: datetime) -> tuple[Due, ...]:
    """Each kind of record with its cut-off at ``now``: records older than it are due."""

    def days(n: int) -> tuple[str, datetime]:
        return (f"{n} day{'s' * (n != 1)}", now - timedelta(days=n))

    def years(n: int | None) -> tuple[str, datetime | None]:
        if n is None:
            return ("until the person is erased", None)
        return (f"{n} year{'s' * (n != 1)}", years_before(now, n))

    drafts = days(policy.drafts_days)
    return (
        Due(CHECKIN_DRAFTS, "check-in drafts", "drafts_days", *drafts),
        Due(NOMINATION_DRAFTS, "nomination drafts", "drafts_days", *drafts),
        Due(PROCESSED_EVENTS, "processed Slack events", "processed_events_days", *days(policy.processed_events_days)),
        Due(SENT_MESSAGES, "sent messages (outbox)", "sent_messages_days", *days(policy.sent_messages_days)),
        Due(DECIDED_NOMINATIONS, "decided nominations", "decided_nominations_years", *years(policy.decided_nominations_years)),
        Due(CHECKINS, "check-ins", "checkins_years", *years(policy.checkins_years)),
    )
