"""Who may see an answer: decided here, once, for every surface Ladder answers on.

An answer about the asker (their level, their next step) is HR data: it is shown to the asker
alone, even when the question was asked in a channel. Later features (nominations, reviews,
check-ins) add their rules here, so no handler ever decides visibility itself.
"""

from __future__ import annotations

from enum import Enum


class Surface(Enum):
    SLASH_COMMAND = "slash_command"
    CHANNEL_MENTION = "channel_mention"
    """An @mention in a channel or a group conversation: other people can read the thread."""
    DIRECT_MESSAGE = "direct_message"
    """The asker's own conversation with Ladder."""
    TERMINAL = "terminal"


class Audience(Enum):
    CONVERSATION = "conversation"
    """Everyone who can read the conversation the question was asked in."""
    ASKER_ONLY = "asker_only"


def answer_audience(surface: Surface, *, about_the_asker: bool) -> Audience:
    if surface is Surface.SLASH_COMMAND:
        return Audience.ASKER_ONLY  # /ladder is private by promise: nobody sees the question either
    if surface is Surface.CHANNEL_MENTION and about_the_asker:
        return Audience.ASKER_ONLY
    return Audience.CONVERSATION


def mention_surface(channel_id: str) -> Surface:
    """app_mention events carry no channel type; a "D" channel is a one-to-one conversation."""
    return Surface.DIRECT_MESSAGE if channel_id.startswith("D") else Surface.CHANNEL_MENTION


# -- who may see a person's career data ---------------------------------------------------------------


class Relation(Enum):
    """How a viewer relates to the person whose data it is. Computed from data, never passed in by a caller."""

    SELF = "self"
    MANAGER = "manager"
    SHARED_WITH = "shared_with"
    """The manager a check-in was shared with, at the time it was shared."""
    MENTOR = "mentor"
    ADMIN = "admin"
    COLLEAGUE = "colleague"
    """Anyone else in the workspace."""


class Action(Enum):
    READ_CHECKIN = "read_checkin"
    READ_GROWTH_PLAN = "read_growth_plan"
    READ_SCHEDULE = "read_schedule"
    READ_FAILED_DELIVERIES = "read_failed_deliveries"


_ALLOWED: dict[Action, frozenset[Relation]] = {
    Action.READ_CHECKIN: frozenset({Relation.SELF, Relation.SHARED_WITH}),
    Action.READ_GROWTH_PLAN: frozenset({Relation.SELF}),
    Action.READ_SCHEDULE: frozenset({Relation.SELF}),
    Action.READ_FAILED_DELIVERIES: frozenset({Relation.ADMIN}),
}
"""Being someone's manager, mentor or an admin does not by itself open their check-ins: only sharing does."""


def relations(
    viewer: str, owner: str | None, *, manager: str | None = None, shared_with: str | None = None,
    mentors: frozenset[str] = frozenset(), admins: frozenset[str] = frozenset(),
) -> frozenset[Relation]:  # fmt: skip
    found = {Relation.COLLEAGUE}
    if owner is not None and viewer == owner:
        found.add(Relation.SELF)
    if manager is not None and viewer == manager:
        found.add(Relation.MANAGER)
    if shared_with is not None and viewer == shared_with:
        found.add(Relation.SHARED_WITH)
    if viewer in mentors:
        found.add(Relation.MENTOR)
    if viewer in admins:
        found.add(Relation.ADMIN)
    return frozenset(found)


def can(viewer_relations: frozenset[Relation], action: Action) -> bool:
    return bool(viewer_relations & _ALLOWED[action])
