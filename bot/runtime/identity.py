"""Who the bot is in Slack, learned from ``auth.test`` when Slack answers — never needed to serve.

Bolt's default calls ``auth.test`` while the app is built, so a worker restarting during a Slack
outage fails to boot and gunicorn's master gives up. Here the app is built without calling
Slack; requests are authorized with the configured token at once, and the bot's own user and
bot ids (which let Bolt ignore the bot's own messages) are filled in once a background call to
``auth.test`` succeeds, retried with backoff until it does.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient

log = logging.getLogger("ladder.identity")


class BotIdentity(Authorize):
    """Bolt's ``authorize``: the configured bot token, with the bot's ids once they are known."""

    def __init__(self, client: WebClient, *, clock: Callable[[], float] = time.monotonic, max_backoff: float = 60.0) -> None:
        super().__init__()
        self._client = client
        self._clock = clock
        self._max_backoff = max_backoff
        self._lock = threading.Lock()
        self._asking = False
        self._next_try = 0.0
        self._backoff = 1.0
        self.bot_user_id: str | None = None
        self.bot_id: str | None = None

    def __call__(  # type: ignore[override]
        self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_actor: str | None
    ) -> AuthorizeResult:
        if self.bot_user_id is None:
            self._learn_in_background()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=self._client.token,
            bot_user_id=self.bot_user_id,
            bot_id=self.bot_id,
        )

    def _learn_in_background(self) -> None:
        with self._lock:
            if self._asking or self._clock() < self._next_try:
                return
            self._asking = True
        threading.Thread(target=self._learn, name="ladder-auth-test", daemon=True).start()

    def _learn(self) -> None:
        try:
            answer = self._client.auth_test()
            self.bot_user_id, self.bot_id = answer.get("user_id"), answer.get("bot_id")
        except Exception as exc:  # noqa: BLE001 - Slack unreachable or refusing: try again later, keep serving
            log.warning("auth.test failed; will retry", extra={"error": type(exc).__name__, "retry_in_s": self._backoff})
            with self._lock:
                self._next_try = self._clock() + self._backoff
                self._backoff = min(self._max_backoff, self._backoff * 2)
        finally:
            with self._lock:
                self._asking = False
