"""Who the bot is in Slack, learned from ``auth.test`` when Slack answers — never needed to start or to serve.

Bolt's default calls ``auth.test`` while the app is built, so a worker restarting during a Slack
outage fails to boot (and a server that cannot start its workers gives up). Here the app is built without calling
Slack; requests are authorized with the configured token at once, and the bot's own user and
bot ids (which let Bolt ignore the bot's own messages) and the token's workspace are filled in
once a background call to ``auth.test`` succeeds, retried with backoff until it does.

Single-workspace mode (one bot token, SLACK_BOT_TOKEN): Ladder serves the token's workspace and
no other. (With OAuth, :mod:`bot.runtime.installations` authorizes each request from its installation instead.) Until Slack has said which that is, requests are served but LADDER_ADMINS administer
nothing (:class:`bot.admins.ConfiguredAdmins` fails closed); once it is known, a request signed
for another team is refused (:meth:`SlackIdentity.serves`).

A token an uninstall revoked is never used again, not even for ``auth.test``: before asking, the identity asks its
:class:`TokenGuard` (the database, :mod:`bot.runtime.workspace_token`) whether this token was revoked, and once it was,
it asks Slack nothing more. A token Slack says works tells the guard, which makes the workspace active again if an
uninstall had left it inactive (the operator reinstalled and set the new token).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Protocol

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient

log = logging.getLogger("ladder.identity")


class TokenGuard(Protocol):
    def revoked(self, token: str) -> bool | None:
        """Whether an uninstall revoked this token (then nothing may be asked with it); None when that cannot be told
        now (the database is away): nothing is asked until it can."""

    def learned(self, team_id: str, token: str) -> None:
        """Slack said the token works, for ``team_id``."""


class SlackIdentity:
    """The bot token's identity in Slack: its workspace, the bot's user id and bot id; None until Slack has said."""

    def __init__(
        self,
        client: WebClient,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_backoff: float = 60.0,
        guard: TokenGuard | None = None,
    ) -> None:
        self._client = client
        self._guard = guard
        self.revoked = False
        """Whether the token is one an uninstall revoked (then Slack is never asked anything with it)."""
        self._clock = clock
        self._max_backoff = max_backoff
        self._lock = threading.Lock()
        self._asking = False
        self._next_try = 0.0
        self._backoff = 1.0
        self.team_id: str | None = None
        self.bot_user_id: str | None = None
        self.bot_id: str | None = None

    @property
    def token(self) -> str | None:
        return self._client.token

    def team(self) -> str | None:
        """The token's workspace, or None while Slack has not said (it is asked in the background, nothing waits)."""
        if self.team_id is None:
            self.learn_in_background()
        return self.team_id

    def serves(self, team_id: str | None) -> bool:
        """Whether a request signed for ``team_id`` is for this workspace: refused once the token's team is known."""
        known = self.team()
        return known is None or team_id is None or team_id == known

    def learn_now(self) -> str | None:
        """Ask Slack now and wait for the answer (the command line may wait for Slack; a server never does);
        None when Slack cannot say, or the token was revoked (the caller says what that means)."""
        if self.team_id is None and self.token and self._may_ask():
            try:
                self._remember(self._client.auth_test())
            except Exception:  # noqa: BLE001 - the workspace stays unknown: whatever depends on it fails closed
                return None
        return self.team_id

    def learn_in_background(self) -> None:
        if not self.token or self.revoked:
            return
        with self._lock:
            if self._asking or self._clock() < self._next_try:
                return
            self._asking = True
        threading.Thread(target=self._learn, name="ladder-auth-test", daemon=True).start()

    def token_revoked(self) -> bool:
        """Whether the token is one an uninstall revoked, asking the guard (the database, never Slack) until it was."""
        if not self.revoked and self.token:
            self._may_ask()
        return self.revoked

    def _may_ask(self) -> bool:
        """Whether Slack may be asked with the token: not once an uninstall revoked it, nor while that cannot be told."""
        if self.revoked or not self.token:
            return False
        if self._guard is None:
            return True
        try:
            revoked = self._guard.revoked(self.token)
        except Exception as exc:  # noqa: BLE001 - cannot tell now (the database away, not migrated): ask nothing yet
            log.warning("could not read whether an uninstall revoked the bot token; Slack is not asked until it can be",
                        extra={"error": type(exc).__name__})  # fmt: skip
            revoked = None
        if revoked:
            self.revoked = True
        return revoked is False

    def _remember(self, answer: Any) -> None:
        self.bot_user_id, self.bot_id = answer.get("user_id"), answer.get("bot_id")
        self.team_id = answer.get("team_id")
        if self._guard is not None and self.team_id and self.token:
            try:
                self._guard.learned(self.team_id, self.token)
            except Exception as exc:  # noqa: BLE001 - told again when this process starts next; serving goes on
                log.warning("could not record that the bot token works", extra={"error": type(exc).__name__})

    def _learn(self) -> None:
        try:
            if not self._may_ask():
                if not self.revoked:  # the guard could not tell: ask it again later, Slack nothing meanwhile
                    self._later()
                return
            self._remember(self._client.auth_test())
        except Exception as exc:  # noqa: BLE001 - Slack unreachable or refusing: try again later, keep serving
            log.warning("auth.test failed; will retry", extra={"error": type(exc).__name__, "retry_in_s": self._backoff})
            self._later()
        finally:
            with self._lock:
                self._asking = False

    def _later(self) -> None:
        with self._lock:
            self._next_try = self._clock() + self._backoff
            self._backoff = min(self._max_backoff, self._backoff * 2)


class BotIdentity(Authorize):
    """Bolt's ``authorize``: the configured bot token, with the bot's ids once they are known."""

    def __init__(self, identity: SlackIdentity) -> None:
        super().__init__()
        self._identity = identity

    def __call__(
        self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_actor: str | None
    ) -> AuthorizeResult:
        identity = self._identity
        if identity.bot_user_id is None:
            identity.learn_in_background()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=identity.token,
            bot_user_id=identity.bot_user_id,
            bot_id=identity.bot_id,
        )
