"""Everything a running Ladder needs, built once and handed to the handlers.

Composition lives here so handlers stay thin and tests can build the same graph against a
temporary database and the fake Slack server. Building it calls neither Slack nor the database.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.admins import NOBODY, ConfiguredAdmins
from bot.careers import CareerQuestions
from bot.framework.loader import load_framework
from bot.framework.model import Framework
from bot.runtime.clients import slack_client
from bot.runtime.frameworks import Frameworks
from bot.runtime.identity import SlackIdentity
from bot.runtime.installations import OAuthTenancy, SingleTenancy, Tenancy
from bot.runtime.message_kinds import Composer
from bot.runtime.outbox_sender import OutboxSender, call_timeout
from bot.runtime.settings import Settings
from bot.runtime.workspace_token import REVOKED, WorkspaceToken
from messages.pages import organisation_site
from messages.render import Renderer
from storage.engine import make_engine
from storage.health import schema_problem
from storage.models import utcnow
from storage.repositories import PeopleRepository


@dataclass
class Services:
    framework: Framework
    """The deployment's default framework: what a tenant that has published none runs on."""
    frameworks: Frameworks
    """Each tenant's framework in force (:meth:`framework_for`)."""
    engine: Engine
    database_url: str
    people: PeopleRepository
    careers: CareerQuestions
    renderer: Renderer
    sender: OutboxSender
    """Sends what the outbox holds (every message Slack must receive, answers included): its threads run in each
    serving process and in the clock."""
    directory_client: WebClient
    """For lookups the clock and listeners make (users.info): retries rate limits in the calling thread. In
    single-workspace mode the one token's; with OAuth it has no token (each tenant's is :meth:`directory_for`)."""
    identity: SlackIdentity
    """Who the bot token is in Slack (its workspace), learned from auth.test without anything waiting for it (single
    mode; with OAuth it has no token and learns nothing)."""
    tenancy: Tenancy
    """Which tenants Ladder serves and each one's bot: ``mode`` "single" or "oauth", ``is_active``, ``forget``."""
    now: Callable[[], datetime] = utcnow
    admins: ConfiguredAdmins = NOBODY
    _database_probe: "_SharedProbe" = field(default_factory=lambda: _SharedProbe(max_age=0.5))
    _token_probe: "_SharedProbe" = field(default_factory=lambda: _SharedProbe(max_age=5.0))

    def framework_for(self, tenant: str) -> Framework:
        """The career framework ``tenant`` runs on now: the latest it published, else the default."""
        return self.frameworks.for_tenant(tenant)

    def directory_for(self, tenant: str) -> WebClient:
        """The client that reads ``tenant``'s people from Slack (users.list, users.info): its installation's token,
        retrying rate limits in the calling thread; :class:`NotInstalled` when the tenant has no active installation."""
        return self.tenancy.directory_client(tenant)

    def client_for(self, tenant: str) -> WebClient:
        """The outbox's client for ``tenant`` (its installation's token, no retries, each call timed out within the
        claim's lease); :class:`NotInstalled` when the tenant has no active installation."""
        return self.tenancy.delivery_client(tenant)

    def health(self) -> dict[str, Any]:
        """The /healthz report: 'ok' only when the database is there, readable and at this release's schema."""
        problem = self._database_probe.answer(lambda: schema_problem(self.engine, self.database_url))
        report = {
            "status": "ok" if problem is None else "unavailable",
            "database": problem or "ok",
            "framework": f"{self.framework.name}, {self.framework.citation}",
            "deliveries": dict(self.sender.counts),
        }
        if problem is None and self._token_probe.answer(lambda: REVOKED if self.identity.token_revoked() else None):
            report["slack"] = REVOKED  # single-workspace mode: nothing is sent until the new token is set
        return report

    def close(self, timeout: float) -> None:
        self.sender.stop()
        self.sender.join(timeout)  # what its threads claimed and did not post goes back to the outbox
        self.engine.dispose()


class _SharedProbe:
    """One database check at a time, its answer reused for ``max_age`` seconds. Load balancers poll health
    checks; if the database stops answering, callers arriving while a check hangs get the last answer at once
    instead of each holding a request thread until the connect timeout."""

    def __init__(self, max_age: float) -> None:
        self._max_age = max_age
        self._lock = threading.Lock()
        self._answer: str | None = None
        self._at = -math.inf

    def answer(self, check: Callable[[], str | None]) -> str | None:
        if time.monotonic() - self._at < self._max_age:
            return self._answer
        never_checked = self._at == -math.inf  # the very first answer is worth waiting for
        if not self._lock.acquire(blocking=never_checked):
            return self._answer
        try:
            if time.monotonic() - self._at < self._max_age:
                return self._answer  # another thread checked while this one waited
            self._answer, self._at = check(), time.monotonic()
            return self._answer
        finally:
            self._lock.release()


class RecordedLevels:
    """Adapts the people table to what :class:`CareerQuestions` asks of it."""

    def __init__(self, people: PeopleRepository) -> None:
        self._people = people

    def level_id(self, team_id: str, user_id: str) -> str | None:
        return self._people.level_of(team_id, user_id)


def _organisation_sites(settings: Settings) -> Callable[[str], str] | None:
    """With OAuth, each organisation's pages are at an address only Ladder's links give (single mode: /ladder/)."""
    secret = settings.slack_signing_secret
    if not settings.slack_client_id or not secret:
        return None
    return lambda tenant: organisation_site(tenant, secret)


def build_services(settings: Settings, framework: Framework | None = None, now: Callable[[], datetime] = utcnow) -> Services:
    framework = framework or load_framework(settings.framework_path)
    renderer = Renderer(public_url=settings.public_url, page_site=_organisation_sites(settings))
    engine = make_engine(settings.database_url, create_missing=False)
    people = PeopleRepository(engine)
    # The sender does its own retrying (without a thread sleeping on it), so its client retries nothing.
    claim_lease = timedelta(seconds=settings.clock_lease)

    def make_client(token: str | None, retries: bool) -> WebClient:
        if retries:
            return slack_client(settings, token=token)
        return slack_client(settings, token=token, retries=False, timeout=call_timeout(claim_lease))

    guard = None if settings.oauth else WorkspaceToken(engine, now)
    identity = _identity(settings, guard)
    tenancy: Tenancy
    if settings.oauth:
        assert settings.slack_client_id and settings.slack_client_secret  # Settings refuses one without the other
        tenancy = OAuthTenancy(
            engine, make_client, client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
            api_client=slack_client(settings),
        )  # fmt: skip
        admins = NOBODY  # LADDER_ADMINS apply in single-workspace mode only: each installation has its own admins
        if settings.admins:
            logging.getLogger("ladder.services").warning("LADDER_ADMINS is ignored with SLACK_CLIENT_ID: each installer is its workspace's first admin")
    else:
        tenancy = SingleTenancy(engine, make_client, identity)
        if guard is not None:
            guard.reactivated = tenancy.forget  # a new token made the workspace active: its held messages go at once
        admins = ConfiguredAdmins(settings.admins, identity.team)
    frameworks = Frameworks(engine, framework)
    careers = CareerQuestions(framework, RecordedLevels(people), framework_for=frameworks.for_tenant)
    return Services(
        framework=framework,
        frameworks=frameworks,
        engine=engine,
        database_url=settings.database_url,
        people=people,
        careers=careers,
        renderer=renderer,
        sender=OutboxSender(
            engine,
            tenancy.delivery_client,
            Composer(framework, renderer, now, admins, careers, framework_for=frameworks.for_tenant),
            now,
            claim_lease=claim_lease,
            active=tenancy.is_active,
            forget=tenancy.forget,
        ),
        directory_client=tenancy.client_with(settings.slack_bot_token, True),
        now=now,
        identity=identity,
        tenancy=tenancy,
        admins=admins,
    )


def _identity(settings: Settings, guard: WorkspaceToken | None) -> SlackIdentity:
    # It retries with its own backoff and logs its own line; slack_sdk's ERROR per failed try would be noise.
    quiet = logging.getLogger("ladder.identity.slack_sdk")
    quiet.setLevel(logging.CRITICAL)
    token = None if settings.oauth else settings.slack_bot_token
    return SlackIdentity(slack_client(settings, token=token, retries=False, logger=quiet), guard=guard)
