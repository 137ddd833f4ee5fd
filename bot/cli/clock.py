"""`ladder clock`: the clock, which plans and sends check-in prompts, runs the outbox sender and the periodic jobs (one
per deployment; `ladder serve` runs one beside itself unless LADDER_CLOCK=off)."""

from __future__ import annotations

import argparse
import signal

from bot.cli.common import command, upgrade_if_asked


def add_commands(commands: argparse._SubParsersAction) -> None:
    command(commands, "clock", _clock, "run the clock: check-in prompts and the outbox sender (one per deployment)")


def _clock(args: argparse.Namespace) -> int:
    from bot.runtime import logs
    from bot.runtime.clock import Clock
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    logs.configure(logs.level_from_env())
    settings = Settings.from_env()
    if not settings.oauth:  # with OAuth each tenant's token comes from its installation
        settings.require("ladder clock", "SLACK_BOT_TOKEN")
    logs.configure(settings.log_level)
    upgrade_if_asked(settings)
    services = build_services(settings)
    clock = Clock(services, lease_seconds=settings.clock_lease, senders=settings.senders)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: clock.stop())
    clock.run()
    services.engine.dispose()
    return 0
