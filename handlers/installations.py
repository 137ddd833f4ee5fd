"""Ladder uninstalled, or its bot token revoked: from that event on, nothing more is sent to the workspace.

The tenant is marked inactive in the request's unit of work (the outbox then claims none of its messages: they are held,
pending, until it is installed again); once that is committed, Slack's installation rows for it go through Bolt's own
token revocation listeners (the installation store's documented ``delete_all`` / ``delete_bot`` /
``delete_installation``) and the tenancy forgets its cached token and clients. Neither listener calls the Web API — not
even ``auth.test``: the token is dead. Slack's retries of the event are dropped before a listener runs
(:class:`handlers.deliveries.AnswerEachEventOnce`), and each step is idempotent besides. With OAuth, an event for a
workspace Ladder was never installed in (no tenant row, no installation) changes nothing: no row is written for it.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from slack_bolt import BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from handlers.context import services_of, session_of, tenant_of, work_of
from storage.repositories.tenants import Tenants

log = logging.getLogger("ladder.installations")

APP_UNINSTALLED, TOKENS_REVOKED = "app_uninstalled", "tokens_revoked"

Deletion = Callable[[TokenRevocationListeners], None]


def uninstalled(body: dict[str, Any], context: BoltContext) -> None:
    """``app_uninstalled``: the tenant inactive, all its installation rows deleted."""
    _deactivate(context, body, APP_UNINSTALLED, lambda listeners: listeners.handle_app_uninstalled_events(context))


def tokens_revoked(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    """``tokens_revoked``: when the bot's token is among them, as for an uninstall (Slack tells an app only of its own
    tokens; Ladder has one bot per installation). Only people's tokens (Ladder asks for none): their rows go, nothing else."""
    tokens = event.get("tokens")
    bots = tokens.get("bot") if isinstance(tokens, dict) else None
    if isinstance(bots, list) and bots:
        _deactivate(context, body, TOKENS_REVOKED, lambda listeners: listeners.handle_tokens_revoked_events(event, context))
        return
    _after_commit(context, lambda listeners: listeners.handle_tokens_revoked_events(event, context), forget=None)


def _deactivate(context: BoltContext, body: dict[str, Any], reason: str, delete: Deletion) -> None:
    tenant = tenant_of(context, body)
    if not tenant:
        return
    services = services_of(context)
    tenants = Tenants(session_of(context))
    if services.tenancy.installation_store is not None and tenants.installation_keys(tenant) is None:
        log.info("uninstall event for a workspace Ladder was never installed in: nothing to do", extra={"tenant": tenant})
        return  # OAuth: no tenant row, no installation (a row written now would list a workspace that never installed)
    # Single-workspace mode: the configured token is dead from now on; its digest is kept, so a process started again
    # with it calls nothing, and one started with a new token makes the workspace active again.
    revoked = services.tenancy.configured_token
    if tenants.deactivated(tenant, reason=reason, at=services.now(), revoked_token=revoked):
        log.warning("workspace deactivated: nothing more is sent to it", extra={"tenant": tenant, "reason": reason})
    _after_commit(context, delete, forget=tenant)


def _after_commit(context: BoltContext, delete: Deletion, *, forget: str | None) -> None:
    """Once the request's work is committed (never before: on SQLite the store's own connection would wait on this
    request's write lock): the tenancy's cache of the tenant dropped, and Slack's installation rows deleted (OAuth;
    single-workspace mode has no store) — the cache is dropped even when deleting them fails."""
    tenancy = services_of(context).tenancy

    def settle() -> None:
        if forget is not None:
            tenancy.forget(forget)  # first: whatever happens to the rows below, its token is not used again here
        try:
            if tenancy.installation_store is not None:
                delete(TokenRevocationListeners(tenancy.installation_store))
        finally:
            if forget is not None:
                tenancy.forget(forget)  # and what a request read meanwhile, before the rows went, is dropped too

    work_of(context).after_commit(settle)
