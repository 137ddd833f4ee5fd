"""Bolt listeners: module-level functions, one module per feature, all registered here and nowhere else.

Listeners get what they need through Bolt's context (``handlers.context``), never through closures.
"""

from __future__ import annotations

from slack_bolt import App

from bot.runtime.services import Services
from handlers import questions
from handlers.context import ProvideServices
from handlers.deliveries import AnswerEachEventOnce


def register_all(app: App, services: Services) -> None:
    app.use(ProvideServices(services))
    app.use(AnswerEachEventOnce())  # after the services: it claims event ids in the database
    app.command("/ladder")(questions.slash_command)
    app.event("app_mention")(questions.mentioned)
    app.event("message")(questions.direct_message)
