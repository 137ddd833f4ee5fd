"""Bolt listeners, one module per feature, all registered here and nowhere else."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime.services import Services
from handlers import deliveries, questions


def register_all(app: App, services: Services) -> None:
    deliveries.register(app, services)
    questions.register(app, services)
