"""Every kind of message Ladder sends, collected from where each feature declares it (``messages/*_kinds.py``), and
composed for the outbox sender when a message is sent.

A message's outbox row names its kind and holds ids (its context); :class:`Composer` finds the kind, refuses one that
may not go where it is addressed (only kinds declared ``channels=True`` go to a conversation), and runs the kind's
``compose`` on a :class:`ReadingContext` over a reading unit of work: what comes back says what to send and by which Web
API method. :func:`urgent_kinds` names the kinds someone is waiting for, which senders claim first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.admins import NOBODY, ConfiguredAdmins
from bot.careers import CareerQuestions
from bot.checkins.service import Checkins
from bot.framework.model import Framework
from bot.nominations.service import Nominations
from bot.panels.board import Board
from bot.runtime.framework_checks import check_upload
from messages import (
    checkin_kinds,
    fairness_kinds,
    framework_kinds,
    growth_kinds,
    home_kinds,
    nomination_kinds,
    panel_kinds,
    pressed_kinds,
    question_kinds,
    rights_kinds,
)
from messages.kinds import URGENT, Composed, Gone, MessageKind, Refused, composed
from messages.render import Renderer
from storage import models

__all__ = ["KINDS", "Composer", "Gone", "ReadingContext", "Refused", "kind_of", "log_ids", "urgent_kinds"]


def _collect(*declared: Iterable[MessageKind]) -> dict[str, MessageKind]:
    kinds: dict[str, MessageKind] = {}
    for kind in (k for group in declared for k in group):
        if kind.name in kinds:
            raise ValueError(f"the message kind {kind.name!r} is declared twice")
        kinds[kind.name] = kind
    return kinds


KINDS: Mapping[str, MessageKind] = _collect(
    checkin_kinds.KINDS,
    growth_kinds.KINDS,
    home_kinds.KINDS,
    nomination_kinds.KINDS,
    panel_kinds.KINDS,
    pressed_kinds.KINDS,
    fairness_kinds.KINDS,
    framework_kinds.KINDS,
    question_kinds.KINDS,
    rights_kinds.KINDS,
)


def kind_of(name: Any) -> MessageKind:
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise Gone(f"unknown message {name!r}")
    return kind


def urgent_kinds() -> frozenset[str]:
    """The kinds someone is waiting for (answers, Home refreshes, a prompt's replacement, apologies): claimed first."""
    return frozenset(name for name, kind in KINDS.items() if kind.priority is URGENT)


def log_ids(team_id: str, recipient: str, payload: Mapping[str, Any]) -> dict[str, str | None]:
    """What the log lines written while a message is sent carry: its team and recipient, and for an answer the person who
    asked, the channel and the event it answers (never what it says)."""
    context = payload.get("context") or {}
    asker, event = context.get("asker"), context.get("event")
    return {
        "team": team_id,
        "user": asker if isinstance(asker, str) and asker else recipient,
        "event": event if isinstance(event, str) else None,
        "channel": recipient if asker else None,
    }


def is_person(recipient: str) -> bool:
    return recipient[:1] in ("U", "W")


@dataclass
class ReadingContext:
    """:class:`messages.kinds.Reading` over one reading session, for one message."""

    session: Session
    team_id: str
    recipient: str
    context: Mapping[str, Any]
    framework: Framework
    renderer: Renderer
    careers: CareerQuestions
    clock: Callable[[], datetime]
    admins: ConfiguredAdmins = NOBODY
    audience: frozenset[str] | None = None
    client: WebClient | None = None
    """The tenant's delivery client, for what a kind must fetch from Slack as it is composed (an uploaded file)."""
    writer: Engine | None = None
    """The sender's engine, for what a kind keeps of what it fetched (an uploaded file's checked text)."""
    _made: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock()

    def row(self, model: str, row_id: Any) -> Any:
        table = getattr(models, model)
        found = self.session.get(table, row_id) if isinstance(row_id, int) else None
        if found is None or found.team_id != self.team_id:
            raise Gone(f"{model} {row_id!r} is gone")
        return found

    def checkins(self) -> Checkins:
        if "checkins" not in self._made:
            self._made["checkins"] = Checkins(self.framework, self.session, self.clock)
        return self._made["checkins"]

    def nominations(self) -> Nominations:
        if "nominations" not in self._made:
            self._made["nominations"] = Nominations(self.framework, self.session, self.clock)
        return self._made["nominations"]

    def board(self) -> Board:
        if "board" not in self._made:
            self._made["board"] = Board.open(self.framework, self.session, self.clock, self.admins)
        return self._made["board"]

    def check_upload(self) -> Mapping[str, Any]:
        if self.client is None or self.writer is None:
            raise Gone("an uploaded file is checked only by the sender, with the tenant's client")
        return check_upload(self.writer, self.client, self.team_id, self.framework, self.context, self.clock())


class Composer:
    """Turns an outbox message (a kind's name and a context) into what Slack is sent, when it is sent."""

    def __init__(
        self,
        framework: Framework,
        renderer: Renderer,
        now: Callable[[], datetime],
        admins: ConfiguredAdmins = NOBODY,
        careers: CareerQuestions | None = None,
        framework_for: Callable[[str], Framework] | None = None,
    ) -> None:
        """``framework``: the default; ``framework_for``: a tenant's framework in force (a message is composed with its
        row's tenant's)."""
        self._framework = framework
        self._framework_for = framework_for
        self._renderer = renderer
        self._now = now
        self._admins = admins
        self._careers = careers or CareerQuestions(framework, framework_for=framework_for)

    def framework_of(self, team_id: str) -> Framework:
        return self._framework_for(team_id) if self._framework_for is not None else self._framework

    def compose(
        self,
        session: Session,
        team_id: str,
        recipient: str,
        payload: Mapping[str, Any],
        audience: frozenset[str] | None = None,
        client: WebClient | None = None,
        writer: Engine | None = None,
    ) -> Composed:
        """``audience``: for a kind that needs it, addressed to a channel, everyone in that channel (Ladder aside), as
        Slack says now. Raises :class:`Gone` (nothing to send) or :class:`Refused` (may not be sent there now)."""
        kind = kind_of(payload.get("message"))
        if not is_person(recipient) and not kind.channels:
            raise Gone(f"{kind.name} is never posted in a channel")
        read = ReadingContext(
            session, team_id, recipient, payload.get("context") or {}, self.framework_of(team_id), self._renderer, self._careers,
            self._now, self._admins, audience, client, writer,
        )  # fmt: skip
        return composed(kind.compose(read))
