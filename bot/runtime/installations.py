"""Which tenants Ladder serves and with which bot token: one workspace's configured token (single-workspace mode), or
each installation's token from slack_sdk's SQLAlchemy installation store (OAuth: "Add to Slack").

A tenant is a workspace, or an enterprise for an org-wide Enterprise Grid install (it serves every workspace of the
enterprise). Everything a request or the outbox asks here is answered from memory once known: a token found in the
store is kept (refreshed through slack_sdk's token rotation before it expires), a tenant the store does not have is
asked again after a few seconds, and which tenants are inactive (uninstalled, tokens revoked) is read from the
``tenant`` table at most every ``POLL_SECONDS``, so a request adds no database read on the hot path. ``forget(tenant)``
drops what is known of a tenant at once (an uninstall in this process; an install).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.errors import LadderError
from bot.runtime.identity import SlackIdentity
from bot.tenancy import tenant_id
from storage.repositories.tenants import INACTIVE, InstallationKeys, Tenants, TenantState
from storage.slack_tables import BOTS, INSTALLATIONS
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.installations")

SINGLE, OAUTH = "single", "oauth"
BOT_SCOPES = (
    "app_mentions:read", "chat:write", "commands", "dnd:read", "files:read", "files:write", "groups:history", "groups:read",
    "im:history", "im:write", "users:read", "users:read.email",
)  # fmt: skip
"""The bot scopes an install asks for unless SLACK_SCOPES says otherwise: manifest.yml's (a test keeps them equal)."""
POLL_SECONDS = 2.0
"""How stale what is known of inactive tenants, and of a tenant the store did not have, may be."""
ROTATE_MINUTES = 120
"""A rotating token is refreshed when it expires within this many minutes (Bolt's default)."""


class NotInstalled(LadderError):
    """The tenant has no active installation: nothing can be sent to it (its messages wait in the outbox)."""

    def __init__(self, tenant: str) -> None:
        super().__init__(f"Ladder is not installed for {tenant} (or was uninstalled): install it with Add to Slack")
        self.tenant = tenant


@dataclass(frozen=True)
class InstalledBot:
    """A tenant's bot as Slack installed it."""

    tenant: str
    token: str | None
    bot_user_id: str | None
    bot_id: str | None
    enterprise_id: str | None = None
    team_id: str | None = None
    is_enterprise_install: bool = False
    expires_at: float | None = None
    """Epoch seconds the token stops working (a rotating token), else None."""
    stored: Bot | None = field(default=None, compare=False, repr=False)


class Tenancy:
    """What both modes share: which tenants are inactive (read every few seconds) and each token's clients."""

    mode = SINGLE
    installation_store: SQLAlchemyInstallationStore | None = None
    """slack_sdk's installation store (OAuth), None in single-workspace mode."""
    configured_token: str | None = None
    """Single-workspace mode's bot token (SLACK_BOT_TOKEN); None with OAuth."""

    def __init__(
        self,
        engine: Engine,
        make_client: Callable[[str | None, bool], WebClient],
        *,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._make_client = make_client
        self._poll = poll_seconds
        self.clock = clock
        self._lock = threading.RLock()
        self._polling = threading.Lock()
        self._states: dict[str, TenantState] | None = None
        self._inactive: frozenset[str] = frozenset()
        self._polled_at = -float("inf")
        self._forgotten = 0
        """Counts forgets: a poll that read the database before the latest one does not count as fresh."""
        self._clients: dict[tuple[str | None, bool], WebClient] = {}

    # -- what the rest of Ladder asks ---------------------------------------------------------------------------------

    def bot_for(self, tenant: str) -> InstalledBot:
        """The tenant's bot (its token and ids); :class:`NotInstalled` when it has no active installation."""
        raise NotImplementedError

    def is_active(self, tenant: str) -> bool:
        """Whether Ladder may call Slack for ``tenant`` now (installed, not uninstalled nor revoked)."""
        raise NotImplementedError

    def serves(self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> bool:
        """Whether a request from this workspace (of this enterprise) is Ladder's to answer."""
        raise NotImplementedError

    def forget(self, tenant: str) -> None:
        """Drop what is known of ``tenant`` (its token, its clients, whether it is active): asked again at next use."""
        self._drop(tenant)
        with self._lock:
            self._forgotten += 1
            self._polled_at = -float("inf")

    def _drop(self, tenant: str) -> None:
        """Forget ``tenant``'s bot and clients (nothing in single-workspace mode, whose one token is configured)."""

    def delivery_client(self, tenant: str) -> WebClient:
        """The outbox's client for ``tenant``: retries nothing (the sender retries), one per token."""
        return self._client(self.bot_for(tenant).token, retries=False)

    def directory_client(self, tenant: str) -> WebClient:
        """The client that reads ``tenant``'s people (retries rate limits in the calling thread), one per token."""
        return self._client(self.bot_for(tenant).token, retries=True)

    # -- inside --------------------------------------------------------------------------------------------------------

    def client_with(self, token: str | None, retries: bool) -> WebClient:
        return self._client(token, retries=retries)

    def _client(self, token: str | None, *, retries: bool) -> WebClient:
        key = (token, retries)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._clients[key] = self._make_client(token, retries)
            return found

    def _drop_clients(self, token: str | None) -> None:
        with self._lock:
            for key in [k for k in self._clients if k[0] == token]:
                del self._clients[key]

    def _is_inactive(self, tenant: str) -> bool:
        if self.clock() - self._polled_at >= self._poll:
            self._refresh_states()
        return tenant in self._inactive

    def _refresh_states(self) -> None:
        """Read every tenant's status and last install time (one thread at a time: the others go on with what was
        known, unless nothing was ever read); a tenant whose either changed since the last read is dropped (uninstalled
        or installed again, perhaps in another process: its cached token may be dead)."""
        if not self._polling.acquire(blocking=self._states is None):
            return
        try:
            if self.clock() - self._polled_at < self._poll:
                return  # read by another thread meanwhile
            forgotten = self._forgotten
            try:
                with unit_of_work(self._engine, reads_only=True) as work:
                    states = Tenants(work.session).states()
            except Exception:  # noqa: BLE001 - the database is away: keep what was known, ask again next time
                log.warning("could not read which tenants are active", exc_info=True)
                return
            before = self._states or {}
            for tenant in before.keys() | states.keys():
                if before.get(tenant) != states.get(tenant):
                    self._drop(tenant)
            with self._lock:
                self._states = states
                self._inactive = frozenset(t for t, (status, _at) in states.items() if status == INACTIVE)
                if self._forgotten == forgotten:  # else a forget came after this read: read again at the next use
                    self._polled_at = self.clock()
        finally:
            self._polling.release()


class SingleTenancy(Tenancy):
    """One workspace, one configured bot token (SLACK_BOT_TOKEN): today's set-up, unchanged."""

    mode = SINGLE

    def __init__(self, engine: Engine, make_client: Callable[[str | None, bool], WebClient], identity: SlackIdentity, **kw: Any):
        super().__init__(engine, make_client, **kw)
        self.identity = identity

    def bot_for(self, tenant: str) -> InstalledBot:
        if self._is_inactive(tenant) or self.identity.revoked:  # an uninstall revoked the configured token
            raise NotInstalled(tenant)
        identity = self.identity
        return InstalledBot(tenant, identity.token, identity.bot_user_id, identity.bot_id, team_id=identity.team_id)

    def is_active(self, tenant: str) -> bool:
        return not self._is_inactive(tenant) and not self.identity.revoked

    def serves(self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> bool:
        return self.identity.serves(team_id)

    @property
    def configured_token(self) -> str | None:  # type: ignore[override]
        return self.identity.token


class OAuthTenancy(Tenancy):
    """Any number of installations, each tenant's bot token from the installation store (OAuth)."""

    mode = OAUTH

    def __init__(
        self,
        engine: Engine,
        make_client: Callable[[str | None, bool], WebClient],
        *,
        client_id: str,
        client_secret: str,
        api_client: WebClient,
        wall_clock: Callable[[], float] = time.time,
        **kw: Any,
    ) -> None:
        super().__init__(engine, make_client, **kw)
        self.store = SQLAlchemyInstallationStore(
            client_id=client_id, engine=engine, bots_table_name=BOTS, installations_table_name=INSTALLATIONS, logger=log
        )
        self.installation_store = self.store
        self._client_id = client_id
        self._rotator = TokenRotator(client_id=client_id, client_secret=client_secret, client=api_client)
        self._wall_clock = wall_clock
        self._bots: dict[str, InstalledBot] = {}
        self._missing: dict[str, float] = {}
        self._workspaces: set[tuple[str, str]] = set()
        self._rotating: dict[str, threading.Lock] = {}

    # -- answers -------------------------------------------------------------------------------------------------------

    def bot_for(self, tenant: str) -> InstalledBot:
        bot = None if self._is_inactive(tenant) else self._known(tenant)
        if bot is None:
            raise NotInstalled(tenant)
        return bot

    def is_active(self, tenant: str) -> bool:
        return not self._is_inactive(tenant) and self._known(tenant) is not None

    def for_request(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
    ) -> InstalledBot | None:
        """The bot that answers a request from this workspace (of this enterprise), None when none is installed."""
        tenant = tenant_id(enterprise_id, team_id, is_enterprise_install)
        if tenant is None or self._is_inactive(tenant):
            return None
        return self._known(tenant, (enterprise_id, None if is_enterprise_install else team_id, bool(is_enterprise_install)))

    def serves(self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> bool:
        if team_id is None and enterprise_id is None:
            return True  # url_verification, ssl_check: no workspace, nothing to authorize
        return self.for_request(enterprise_id, team_id, is_enterprise_install) is not None

    def _drop(self, tenant: str) -> None:
        with self._lock:
            bot = self._bots.pop(tenant, None)
            self._missing.pop(tenant, None)
            self._workspaces = {w for w in self._workspaces if w[0] != tenant}
        if bot is not None:
            self._drop_clients(bot.token)

    def note_workspace(self, tenant: str, team_id: str, name: str = "") -> None:
        """Record that workspace ``team_id`` belongs to org-wide tenant ``tenant`` (once per process)."""
        key = (tenant, team_id)
        if key in self._workspaces:
            return
        try:
            with unit_of_work(self._engine) as work:
                Tenants(work.session).spans(team_id, tenant, name)
        except Exception:  # noqa: BLE001 - the request goes on: the workspace is recorded with a later one
            log.warning("could not record a workspace of an org-wide install", extra={"team": team_id}, exc_info=True)
            return
        with self._lock:
            self._workspaces.add(key)

    # -- finding and keeping bots -------------------------------------------------------------------------------------

    def _known(self, tenant: str, keys: InstallationKeys | None = None) -> InstalledBot | None:
        bot = self._bots.get(tenant)
        if bot is None:
            missed = self._missing.get(tenant)
            if missed is not None and self.clock() - missed < self._poll:
                return None
            bot = self._find(tenant, keys)
            with self._lock:
                if bot is None:
                    self._missing[tenant] = self.clock()
                    return None
                self._missing.pop(tenant, None)
                self._bots[tenant] = bot
        if bot.expires_at is not None and bot.expires_at - self._wall_clock() < ROTATE_MINUTES * 60:
            return self._rotate(bot)
        return bot

    def _find(self, tenant: str, keys: InstallationKeys | None) -> InstalledBot | None:
        try:
            if keys is None:
                with unit_of_work(self._engine, reads_only=True) as work:
                    keys = Tenants(work.session).installation_keys(tenant, self._client_id)
                if keys is None:
                    return None
            enterprise_id, team_id, org_wide = keys
            found = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide)
        except Exception:  # noqa: BLE001 - the database is away: not known now, asked again in a few seconds
            log.warning("could not read an installation", extra={"team": tenant}, exc_info=True)
            return None
        return None if found is None else _installed(tenant, found)

    def _rotate(self, bot: InstalledBot) -> InstalledBot | None:
        """The bot with a fresh token (slack_sdk's TokenRotator, saved in the store); another process may have
        refreshed it first, so the store is read again before asking Slack. None when the tenant was forgotten meanwhile
        (uninstalled, installed again): nothing is saved for it, and it is found again at the next use."""
        with self._lock:
            lock = self._rotating.setdefault(bot.tenant, threading.Lock())
        with lock:
            current = self._bots.get(bot.tenant)
            if current is None:
                return None
            if current.expires_at is None or current.expires_at - self._wall_clock() >= ROTATE_MINUTES * 60:
                return current  # another thread refreshed it
            stored = self._find(bot.tenant, (bot.enterprise_id, None if bot.is_enterprise_install else bot.team_id,
                                             bot.is_enterprise_install))  # fmt: skip
            refreshed: Bot | None = None
            if stored is None or stored.token == current.token:
                refreshed = self._refreshed(current)
            with self._lock:
                if self._bots.get(bot.tenant) is not current:
                    return self._bots.get(bot.tenant)  # forgotten meanwhile: its rows may be gone, none is saved again
                if refreshed is not None:
                    self.store.save_bot(refreshed)
                    stored = _installed(bot.tenant, refreshed)
                if stored is None or stored.token == current.token:
                    return current  # still the old token, good until it expires; asked again at the next use
                self._bots[bot.tenant] = stored
            self._drop_clients(current.token)
            return stored

    def _refreshed(self, bot: InstalledBot) -> Bot | None:
        """Slack's fresh token for ``bot`` (None when Slack refuses or cannot be reached: the current one is kept)."""
        if bot.stored is None:
            return None
        try:
            return self._rotator.perform_bot_token_rotation(bot=bot.stored, minutes_before_expiration=ROTATE_MINUTES)
        except SlackTokenRotationError:
            log.warning("token rotation failed: Slack refused it", extra={"team": bot.tenant}, exc_info=True)
        except Exception as exc:  # noqa: BLE001 - Slack out of reach: the current token works until it expires
            log.warning("token rotation failed: Slack not reached", extra={"team": bot.tenant, "error": type(exc).__name__})
        return None


def _installed(tenant: str, bot: Bot) -> InstalledBot:
    return InstalledBot(
        tenant,
        bot.bot_token,
        bot.bot_user_id,
        bot.bot_id,
        enterprise_id=bot.enterprise_id,
        team_id=bot.team_id,
        is_enterprise_install=bool(bot.is_enterprise_install),
        expires_at=float(bot.bot_token_expires_at) if bot.bot_token_expires_at else None,
        stored=bot,
    )


class InstalledBots(Authorize):
    """Bolt's ``authorize`` with OAuth: the request's installation's bot token, from memory once known."""

    def __init__(self, tenancy: OAuthTenancy) -> None:
        super().__init__()
        self._tenancy = tenancy

    def __call__(
        self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_actor: str | None
    ) -> AuthorizeResult | None:
        bot = self._tenancy.for_request(enterprise_id, team_id, context.is_enterprise_install)
        if bot is None:
            return None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=bot.token,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
        )
