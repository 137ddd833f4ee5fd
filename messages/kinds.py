"""What a kind of message is, for the outbox that sends it: its name, how it is composed, how urgent it is.

Each feature declares its kinds once, beside its blocks (``messages/<feature>_kinds.py``); the runtime collects them
in one registry (:mod:`bot.runtime.message_kinds`) and the outbox sender sends whatever they compose. A kind's
``compose`` runs when the message is sent, not when it was asked for: it re-reads the rows it is about through a
:class:`Reading` and re-checks who may read what it carries, raising :class:`Gone` when there is nothing to send any
more (or nothing its recipient may read) and :class:`Refused` when it may not go where it is addressed as things stand.
What it returns says which Web API method sends it: a :class:`Post` (chat.postMessage, the default for a bare
:class:`~messages.render.Message`), an :class:`Ephemeral` (chat.postEphemeral), an :class:`Update` (chat.update), a
:class:`Publish` (views.publish: a Home tab) or an :class:`Upload` (files_upload_v2, the default for a bare
:class:`~messages.panels.FileUpload`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping, Protocol, Union

from messages.panels import FileUpload
from messages.render import Message

if TYPE_CHECKING:
    from bot.admins import ConfiguredAdmins
    from bot.careers import CareerQuestions
    from bot.checkins.service import Checkins
    from bot.framework.model import Framework
    from bot.nominations.service import Nominations
    from bot.panels.board import Board
    from messages.render import Renderer


class Priority(Enum):
    URGENT = "urgent"
    """Someone is waiting for it (an answer, a Home tab they acted on, a prompt's replacement, an apology): sent first."""
    BULK = "bulk"
    """Fan-out (prompts, reminders, digests): sent as the limits allow, after what is urgent."""


URGENT, BULK = Priority.URGENT, Priority.BULK


class Gone(Exception):
    """What the message was about no longer exists, or may no longer be shown to its recipient: not sent."""


class Refused(Exception):
    """The message may not be sent where it is addressed as things stand (someone in the channel may not read it):
    failed with the reason, for an admin to put right."""


class Reading(Protocol):
    """What a kind's ``compose`` reads from, at send time: the message's address and context, and the data as it is now."""

    team_id: str
    recipient: str
    """A person (``U…``/``W…``) or, for kinds that may go to one, a conversation (``C…``, ``G…``, ``D…``)."""
    context: Mapping[str, Any]
    """What the message was enqueued with (ids, never confidential text)."""
    audience: frozenset[str] | None
    """For a kind with ``audience=True`` addressed to a channel: everyone in it (Ladder aside), as Slack says now."""
    framework: Framework
    renderer: Renderer
    admins: ConfiguredAdmins
    careers: CareerQuestions
    session: Any
    """The reading unit of work's session, for the domain's functions that take one."""

    def now(self) -> datetime: ...

    def row(self, model: str, row_id: Any) -> Any:
        """The stored row of this team named by ``model`` (e.g. ``"Checkin"``) and id; :class:`Gone` when there is none."""
        ...

    def checkins(self) -> Checkins: ...

    def nominations(self) -> Nominations: ...

    def board(self) -> Board: ...

    def check_upload(self) -> Mapping[str, Any]:
        """The framework file this message's context names, downloaded from Slack with the tenant's token and checked
        against the framework in force, its checked text kept for Publish: what :func:`messages.frameworks.checked`
        shows, or ``{"refused": line}`` when it could not be downloaded."""
        ...


@dataclass(frozen=True)
class Post:
    """chat.postMessage: to the message's recipient (a person's conversation with Ladder, or a channel), or ``channel``."""

    message: Message
    channel: str | None = None
    thread_ts: str | None = None
    method: ClassVar[str] = "chat.postMessage"


@dataclass(frozen=True)
class Ephemeral:
    """chat.postEphemeral: shown to ``user`` alone in ``channel`` (in the thread of ``thread_ts``)."""

    message: Message
    channel: str
    user: str
    thread_ts: str | None = None
    method: ClassVar[str] = "chat.postEphemeral"


@dataclass(frozen=True)
class Update:
    """chat.update: a message Ladder posted earlier (``channel``, ``ts``) replaced by this one."""

    message: Message
    channel: str
    ts: str
    method: ClassVar[str] = "chat.update"


@dataclass(frozen=True)
class Publish:
    """views.publish: ``user``'s Home tab."""

    user: str
    view: dict[str, Any]
    method: ClassVar[str] = "views.publish"


@dataclass(frozen=True)
class Upload:
    """files_upload_v2: a document shared in the recipient's conversation with Ladder."""

    file: FileUpload
    method: ClassVar[str] = "files_upload_v2"


Composed = Union[Post, Ephemeral, Update, Publish, Upload]
Compose = Callable[[Reading], Union[Composed, Message, FileUpload]]


@dataclass(frozen=True)
class MessageKind:
    name: str
    """What the outbox calls it (its rows' purpose): the name the domain enqueues it by."""
    compose: Compose
    priority: Priority = BULK
    channels: bool = False
    """May be addressed to a conversation rather than a person: anything else addressed to one is never sent."""
    audience: bool = False
    """Addressed to a channel, it is composed knowing who is in it (``Reading.audience``), asked of Slack just before."""
    apology: bool = False
    """Failing for good, the person who asked for it is told (an answer): see :mod:`messages.question_kinds`."""


def composed(result: Composed | Message | FileUpload) -> Composed:
    """What a ``compose`` returned, as the Web API call it needs (a bare message is posted, a bare file uploaded)."""
    if isinstance(result, Message):
        return Post(result)
    if isinstance(result, FileUpload):
        return Upload(result)
    return result
