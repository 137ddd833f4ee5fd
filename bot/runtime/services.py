"""Everything a running Ladder needs, built once and handed to the handlers.

Composition lives here so handlers stay thin and tests can build the same graph against a
temporary database and the fake Slack server.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.careers import CareerQuestions
from bot.framework.loader import load_framework
from bot.framework.model import Framework
from bot.runtime.settings import Settings
from messages.render import Renderer
from storage.engine import make_engine
from storage.repositories import EventLog, PeopleRepository


@dataclass
class Services:
    framework: Framework
    engine: Engine
    people: PeopleRepository
    events: EventLog
    careers: CareerQuestions
    renderer: Renderer


class RecordedLevels:
    """Adapts the people table to what :class:`CareerQuestions` asks of it."""

    def __init__(self, people: PeopleRepository) -> None:
        self._people = people

    def level_id(self, team_id: str, user_id: str) -> str | None:
        person = self._people.get(team_id, user_id)
        return person.level if person else None


def build_services(settings: Settings, framework: Framework | None = None) -> Services:
    framework = framework or load_framework(settings.framework_path)
    engine = make_engine(settings.database_url)
    people = PeopleRepository(engine)
    return Services(
        framework=framework,
        engine=engine,
        people=people,
        events=EventLog(engine),
        careers=CareerQuestions(framework, RecordedLevels(people)),
        renderer=Renderer(),
    )
