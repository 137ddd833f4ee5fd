"""Where the outbox's senders start: every process that sends runs ``Settings.senders`` threads (LADDER_SENDERS).

Each ``ladder serve`` worker starts its own, right where its WSGI app is built (:func:`start_senders`); ``ladder clock``
starts its own while it holds the clock's lease, sending only while that lease holds. All of them claim from the one
outbox (SKIP LOCKED on PostgreSQL, one writer at a time on SQLite), so adding processes adds senders. A worker that
stops stops its senders first (:meth:`Services.close`): what they claimed and did not post goes back as no attempt.
"""

from __future__ import annotations

from typing import Callable

from bot.runtime.services import Services
from bot.runtime.settings import Settings


def start_senders(services: Services, settings: Settings, *, allowed: Callable[[], bool] | None = None) -> int:
    """Start this process's sender threads (none when LADDER_SENDERS is 0); returns how many. A serve worker's senders
    need no lease (``allowed`` None); the clock's pass ``allowed=lease.held``. Stopped by ``services.sender.stop()``
    then ``services.sender.join(timeout)``."""
    if settings.senders:
        services.sender.start(settings.senders, allowed=allowed)
    return settings.senders
