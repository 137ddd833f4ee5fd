"""Everything a running Ladder needs, built once and handed to the handlers.

Composition lives here so handlers stay thin and tests can build the same graph against a
temporary database and the fake Slack server. Building it calls neither Slack nor the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from bot.careers import CareerQuestions
from bot.framework.loader import load_framework
from bot.framework.model import Framework
from bot.runtime.clients import slack_client
from bot.runtime.courier import Courier
from bot.runtime.settings import Settings
from messages.render import Renderer
from storage.engine import make_engine
from storage.health import schema_problem
from storage.repositories import EventLog, PeopleRepository


@dataclass
class Services:
    framework: Framework
    engine: Engine
    database_url: str
    people: PeopleRepository
    events: EventLog
    careers: CareerQuestions
    renderer: Renderer
    courier: Courier

    def health(self) -> dict[str, Any]:
        """The /healthz report: 'ok' only when the database is there, readable and at this release's schema."""
        problem = schema_problem(self.engine, self.database_url)
        return {
            "status": "ok" if problem is None else "unavailable",
            "database": problem or "ok",
            "deliveries": {"pending": self.courier.pending(), **self.courier.counts},
        }

    def close(self, timeout: float) -> None:
        self.courier.close(timeout)
        self.engine.dispose()


class RecordedLevels:
    """Adapts the people table to what :class:`CareerQuestions` asks of it."""

    def __init__(self, people: PeopleRepository) -> None:
        self._people = people

    def level_id(self, team_id: str, user_id: str) -> str | None:
        person = self._people.get(team_id, user_id)
        return person.level if person else None


def build_services(settings: Settings, framework: Framework | None = None) -> Services:
    framework = framework or load_framework(settings.framework_path)
    engine = make_engine(settings.database_url, create_missing=False)
    people = PeopleRepository(engine)
    # The courier does its own retrying (per channel, without sleeping in a thread), so its client retries nothing.
    delivery_client = slack_client(settings, token=settings.slack_bot_token, retries=False)
    return Services(
        framework=framework,
        engine=engine,
        database_url=settings.database_url,
        people=people,
        events=EventLog(engine),
        careers=CareerQuestions(framework, RecordedLevels(people)),
        renderer=Renderer(),
        courier=Courier(lambda _team_id: delivery_client),
    )
