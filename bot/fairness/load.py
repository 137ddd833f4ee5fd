"""Load one cycle's :class:`~bot.fairness.facts.CycleFacts` in a constant number of SQL statements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from bot.errors import LadderError
from bot.fairness.facts import CycleFacts
from bot.framework.model import Framework


class UnknownCycle(LadderError):
    """No cycle of that name in the team."""


def load_cycle_facts(engine: Engine, framework: Framework, team_id: str, cycle_name: str, now: datetime) -> CycleFacts:
    """The facts of the cycle named ``cycle_name`` (matched like `ladder cycle` matches names), as of ``now``."""
    raise NotImplementedError  # being written (#18, H2): the signature is what the other parts code against
