"""Installing Ladder with "Add to Slack": Bolt's OAuth flow (``GET /slack/install``, ``GET /slack/oauth_redirect``) on
slack_sdk's SQLAlchemy installation and OAuth state stores, on the project's database.

A completed install records its tenant (the enterprise for an org-wide install, else the workspace) as active, makes the
installer its first Ladder admin, and shows the installer what to do next.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Sequence
from urllib.parse import urlencode

from slack_bolt import BoltResponse
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.admins import Admins
from bot.runtime.clients import slack_client
from bot.runtime.installations import BOT_SCOPES, OAuthTenancy
from bot.runtime.settings import Settings
from bot.tenancy import tenant_id
from messages import install_pages
from storage.repositories import oauth_states
from storage.repositories.tenants import Tenants
from storage.slack_tables import OAUTH_STATES
from storage.unit_of_work import unit_of_work

if TYPE_CHECKING:
    from bot.runtime.services import Services

log = logging.getLogger("ladder.install")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
"""How long an install started at /slack/install may take to come back (Bolt's default)."""

FAILURES = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed.",
    "invalid_browser": "This browser did not start the install (or its cookie is gone). Start again from the link below, "
    "in the same browser.",
    "invalid_state": "This install link has expired or was already used. Start again from the link below.",
    "missing_code": "Slack did not send the approval back. Start again from the link below.",
    "invalid_code": "Slack did not accept the approval (it may have been used already). Start again from the link below.",
    "storage_error": "Ladder could not save the installation. Try again in a minute; if it persists, tell whoever runs Ladder.",
}
"""What the installer reads for each reason Bolt's flow gives for failing."""


def oauth_flow(settings: Settings, services: Services) -> OAuthFlow:
    """Bolt's OAuth flow for ``settings`` (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SCOPES, SLACK_REDIRECT_URI);
    its Web API calls (oauth.v2.access, auth.test) go to SLACK_API_URL."""
    tenancy = services.tenancy
    assert isinstance(tenancy, OAuthTenancy) and settings.slack_client_id and settings.slack_client_secret
    state_store = ExpiringStates(expiration_seconds=STATE_SECONDS, engine=services.engine, table_name=OAUTH_STATES, logger=log)
    flow_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(settings.slack_scopes or BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(
            success=lambda args: _installed(args, services), failure=lambda args: _failed(args, services)
        ),
        installation_store=tenancy.store,
        installation_store_bot_only=True,
        state_store=state_store,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    return OAuthFlow(client=slack_client(settings), logger=log, settings=flow_settings)


class ExpiringStates(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, which deletes a state only when an install comes back with it; here the states that
    expired unused (each visit to the install page writes one) are also deleted, at most once a minute, as new ones are
    written, so anonymous visits cannot grow the table for longer than a state lives. The daily retention run deletes
    them too (:mod:`bot.retention.per_tenant`)."""

    PURGE_EVERY = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._purged_at = -float("inf")
        self._purging = threading.Lock()

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = super().issue(*args, **kwargs)
        if time.monotonic() - self._purged_at >= self.PURGE_EVERY and self._purging.acquire(blocking=False):
            try:
                self._purged_at = time.monotonic()
                with unit_of_work(self.engine) as work:
                    oauth_states.delete_expired(work.session, datetime.now(UTC))
            except Exception:  # noqa: BLE001 - the install goes on; the next purge, or the daily retention, deletes them
                log.warning("could not delete expired install links", exc_info=True)
            finally:
                self._purging.release()
        return state


def _installed(args: SuccessArgs, services: Services) -> BoltResponse:
    installation = args.installation
    org_wide = bool(installation.is_enterprise_install)
    tenant = tenant_id(installation.enterprise_id, installation.team_id, org_wide)
    assert tenant is not None  # Slack names the workspace or, org-wide, the enterprise
    name = (installation.enterprise_name if org_wide else installation.team_name) or tenant
    first_admin = False
    try:
        with unit_of_work(services.engine) as work:
            Tenants(work.session).installed(
                tenant, at=services.now(), enterprise_id=installation.enterprise_id, org_wide=org_wide, name=name,
                installed_by=installation.user_id,
            )  # fmt: skip
            if installation.user_id:
                first_admin = Admins(work.session).grant_installer(tenant, installation.user_id)
    except Exception:  # noqa: BLE001 - the installation is stored; the installer is told to try again
        log.error("an installation could not be recorded", extra={"team": tenant}, exc_info=True)
        return _response(
            500,
            install_pages.not_installed("Ladder could not finish installing", FAILURES["storage_error"], again=INSTALL_PATH),
            args,
        )
    services.tenancy.forget(tenant)
    log.info("installed", extra={"team": tenant, "org_wide": org_wide, "user": installation.user_id})
    where = f"every workspace of {name}" if org_wide else name
    link = "https://slack.com/app_redirect?" + urlencode(
        {"app": installation.app_id or "", **({} if org_wide else {"team": installation.team_id or ""})}
    )
    page = install_pages.installed(where=where, tenant=tenant, link=link, first_admin=first_admin)
    return _response(200, page, args)


def _failed(args: FailureArgs, services: Services) -> BoltResponse:
    reason = args.reason
    log.info("install failed", extra={"reason": reason, "error": type(args.error).__name__ if args.error else None})
    text = FAILURES.get(reason, "The install did not complete. Start again from the link below.")
    return _response(
        args.suggested_status_code, install_pages.not_installed("Ladder was not installed", text, again=INSTALL_PATH), args
    )


def install_failed_page() -> BoltResponse:
    """What the installer's browser shows when the install failed before Bolt's flow could say why (the database or
    Slack away): the same page as any failed install, never an error in JSON."""
    return _response(
        500, install_pages.not_installed("Ladder was not installed", FAILURES["storage_error"], again=INSTALL_PATH), None
    )


def _response(status: int, page: str, args: SuccessArgs | FailureArgs | None) -> BoltResponse:
    """A page (:mod:`messages.install_pages`) for the installer's browser; the install's state cookie is cleared."""
    headers: dict[str, str | Sequence[str]] = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    if args is not None:
        headers["Set-Cookie"] = args.settings.state_utils.build_set_cookie_for_deletion()
    return BoltResponse(status=status, body=page, headers=headers)
