"""What every listener gets through Bolt's context: the services, put there by one middleware."""

from __future__ import annotations

from typing import Callable

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.runtime.services import Services

SERVICES = "ladder_services"


class ProvideServices(Middleware):
    """Puts the services into every request's context, so listeners are plain module-level functions."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        req.context[SERVICES] = self._services
        return next()


def services_of(context: BoltContext) -> Services:
    return context[SERVICES]
