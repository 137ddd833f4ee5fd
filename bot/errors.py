"""Typed errors the domain raises and the Slack runtime turns into what the person sees.

One error handler (bot/runtime/app.py) decides the form: an ephemeral line for a command, field
errors on a modal, a direct message for a button or an event. Listeners never catch them.
"""

from __future__ import annotations

from typing import Mapping


class LadderError(Exception):
    """Something the person can act on; ``message`` is shown to them as is (plain text, no markup)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidAnswers(LadderError):
    """A form filled in wrongly: field → what to fix. Modals show each beside its field."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


class NotAllowed(LadderError):
    """The person may not do this (someone else's check-in, a full mentor, another poster's opportunity)."""


class NotFound(LadderError):
    """What the person referred to is gone (an opportunity closed, a request withdrawn)."""
