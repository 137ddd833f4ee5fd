"""Frameworks for tests, loaded once per process: property-based tests ask for one per example."""

from __future__ import annotations

from functools import cache

from bot.framework.loader import load_framework
from bot.framework.model import Framework


@cache
def default_framework() -> Framework:
    return load_framework()
