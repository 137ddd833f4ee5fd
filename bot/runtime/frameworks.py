"""Each tenant's career framework in force: the latest version it published (``ladder framework publish``, or from
Slack), else the deployment's default (``LADDER_FRAMEWORK``, else the shipped one).

Every process keeps the frameworks it has read, and asks the database which version is in force for every tenant at
most every ``poll_seconds`` (one small statement), so a publish reaches every running server within seconds, without
a restart, and a request adds no database read of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import Callable

from sqlalchemy import Engine

from bot.framework.loader import check_framework_text
from bot.framework.model import Framework
from bot.kept import Kept
from storage.repositories.framework_versions import FrameworkVersions
from storage.unit_of_work import unit_of_work

log = logging.getLogger("ladder.frameworks")

POLL_SECONDS = 2.0


class Frameworks:
    def __init__(
        self,
        engine: Engine,
        default: Framework,
        *,
        poll_seconds: float = POLL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default = default
        self._engine = engine
        self._poll = poll_seconds
        self.clock = clock
        """What the poll is timed by (a test may replace it)."""
        self._polling = threading.Lock()
        """Held while the database is asked which versions are in force: a framework kept is read without it."""
        self._in_force: dict[str, int] = {}
        self._polled_at = -float("inf")
        self._loaded: Kept[tuple[str, int], Framework] = Kept()
        """Each tenant's version in force, and the older ones asked for since (its own lock)."""

    def for_tenant(self, tenant: str) -> Framework:
        """The framework in force for ``tenant`` now."""
        version = self.version_in_force(tenant)
        return self.default if version is None else self.version(tenant, version)

    def version_in_force(self, tenant: str) -> int | None:
        """The number of the version ``tenant`` published last, or None while it runs on the default."""
        if self.clock() - self._polled_at >= self._poll:
            self._refresh()
        return self._in_force.get(tenant)

    def version(self, tenant: str, version: int) -> Framework:
        """A version ``tenant`` published (one decided under it keeps citing it)."""
        return self._loaded.get((tenant, version), lambda: self._load(tenant, version))

    def _load(self, tenant: str, version: int) -> Framework:
        with unit_of_work(self._engine, reads_only=True) as work:
            row = FrameworkVersions(work.session).version(tenant, version)
            text = row.text if row is not None else None
        if text is None:
            raise LookupError(f"{tenant} published no framework version {version}")
        result = check_framework_text(text, f"{tenant}'s framework, version {version}")
        if result.framework is None:  # it was checked when published; a release that reads it no more says so
            log.error("a published framework no longer loads; the default applies", extra={"team": tenant, "version": version})
            return self.default
        return replace(result.framework, published=version)

    def forget(self) -> None:
        """Ask the database again at the next read (a publish in this process)."""
        self._polled_at = -float("inf")

    def _refresh(self) -> None:
        if not self._polling.acquire(blocking=not self._in_force and self._polled_at == -float("inf")):
            return  # another thread is asking: this one reads what was known
        try:
            with unit_of_work(self._engine, reads_only=True) as work:
                self._in_force = FrameworkVersions(work.session).latest_numbers()
            self._polled_at = self.clock()
        except Exception:  # noqa: BLE001 - the database is away: keep what was known, ask again next time
            log.warning("could not read which frameworks are in force", exc_info=True)
        finally:
            self._polling.release()
