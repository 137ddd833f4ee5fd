"""What every listener gets through Bolt's context: the services (put there by one middleware) and the
request's unit of work (opened around Bolt's dispatch by :class:`bot.runtime.app.LadderApp`)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Protocol

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk.oauth.installation_store import InstallationStore
from sqlmodel import Session

from bot.admins import ConfiguredAdmins
from bot.careers import CareerQuestions
from bot.framework.model import Framework
from bot.panels.board import Board
from bot.tenancy import tenant_id
from messages.render import Renderer
from storage.unit_of_work import UnitOfWork

SERVICES = "ladder_services"
WORK = "ladder_unit_of_work"
FAILED = "ladder_request_failed"
"""Set by the error handler: the request's unit of work is rolled back."""
DUPLICATE = "ladder_duplicate_delivery"
"""Set when a retried event delivery was recognised and skipped (the request's log line says so)."""


class Sender(Protocol):
    def wake(self) -> None:
        """Look at the outbox now (a row was written for it)."""


class FrameworksInForce(Protocol):
    def forget(self) -> None:
        """Ask the database which framework each tenant runs on at the next read (one was just published)."""


class Tenancy(Protocol):
    """What listeners use of the runtime's tenancy (:mod:`bot.runtime.installations`): Slack's installation store (None
    in single-workspace mode) and forgetting what is cached of a tenant once it is uninstalled."""

    @property
    def installation_store(self) -> InstallationStore | None: ...
    @property
    def configured_token(self) -> str | None:
        """Single-workspace mode's bot token (SLACK_BOT_TOKEN), dead once its workspace uninstalls; None with OAuth."""
    def forget(self, tenant: str) -> None: ...


class Services(Protocol):
    """What listeners use of the services the runtime builds once (:class:`bot.runtime.services.Services` has it):
    declared here, below the runtime, so that handlers import nothing from it."""

    @property
    def framework(self) -> Framework: ...
    def framework_for(self, tenant: str) -> Framework: ...
    @property
    def frameworks(self) -> FrameworksInForce: ...
    @property
    def now(self) -> Callable[[], datetime]: ...
    @property
    def admins(self) -> ConfiguredAdmins: ...
    @property
    def careers(self) -> CareerQuestions: ...
    @property
    def renderer(self) -> Renderer: ...
    @property
    def sender(self) -> Sender: ...
    @property
    def tenancy(self) -> Tenancy: ...


class ProvideServices(Middleware):
    """Puts the services into every request's context, so listeners are plain module-level functions."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        req.context[SERVICES] = self._services
        return next()


def services_of(context: BoltContext) -> Services:
    return context[SERVICES]


def work_of(context: BoltContext) -> UnitOfWork:
    return context[WORK]


def session_of(context: BoltContext) -> Session:
    return work_of(context).session


def board_of(context: BoltContext) -> Board:
    """Everything a review panel does, on the request's unit of work."""
    services = services_of(context)
    return Board.open(services.framework_for(tenant_of(context, {})), session_of(context), services.now, services.admins)


def tenant_of(context: BoltContext, body: dict) -> str:
    """Whose data a request reads and writes (:func:`bot.tenancy.tenant_id`): the enterprise of an org-wide install (its
    workspaces are one organisation: one ladder, one people list, cycles across them), else the request's workspace —
    from Bolt's context, else the payload's."""
    team = body.get("team_id") or ((body.get("team") or {}).get("id") if isinstance(body.get("team"), dict) else None)
    return str(tenant_id(context.enterprise_id, context.team_id or team, context.is_enterprise_install) or "")


def team_and_user(context: BoltContext, body: dict) -> tuple[str, str]:
    """The request's tenant (:func:`tenant_of`) and the person acting: from Bolt's context, else the payload's user."""
    user = context.user_id or ((body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else body.get("user_id"))
    return tenant_of(context, body), str(user or "")
