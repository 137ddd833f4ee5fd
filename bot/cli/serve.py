"""`ladder serve` (the HTTP server for Slack: a supervisor of waitress worker processes, with the clock beside it) and `ladder socket` (Socket Mode, for
development)."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_FAILED, UsageError, command, error, errors_as_log_lines, reporting_failures, upgrade_if_asked

if TYPE_CHECKING:
    from bot.runtime.server import Companion
    from bot.runtime.settings import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    serve = command(commands, "serve", _serve, "run the HTTP server for Slack (production)")
    serve.add_argument("--port", type=_port, help="port to bind (default: $PORT or 3000)")
    command(commands, "socket", _socket, "run over Socket Mode (development, no public URL)")


def _port(text: str) -> int:
    if not (text.strip().isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"not a port number from 1 to 65535: {text!r}")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    from bot.runtime import logs
    from bot.runtime.settings import Settings

    logs.configure(logs.level_from_env())
    errors_as_log_lines()
    settings = Settings.from_env()
    if settings.oauth:  # installed with Add to Slack: each workspace's token is its installation's
        settings.require("ladder serve", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
    else:
        settings.require("ladder serve", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    logs.configure(settings.log_level)
    from bot.runtime.server import Supervisor, cannot_listen, listen

    port = args.port or settings.port
    try:
        listener = listen(settings.host, port)
    except OSError as exc:
        error(cannot_listen(exc, settings.host, port))
        return EXIT_FAILED
    # Each generation of workers (the start, then each reload) serves the framework its first worker checked, from a
    # copy of its own: a worker restarted after a refused reload serves the last good file, not the broken one on disk.
    snapshots = tempfile.mkdtemp(prefix="ladder-framework-")
    supervisor = os.getpid()
    try:
        return Supervisor(
            listener,
            lambda generation: _worker_app(settings, os.path.join(snapshots, f"framework-{generation}.yaml")),
            workers=settings.web_concurrency,
            idle_timeout=settings.request_timeout,
            companions=_clock_beside(settings),
        ).run()
    finally:
        if os.getpid() == supervisor:  # workers are forked in here and leave by os._exit, never through here
            shutil.rmtree(snapshots, ignore_errors=True)


def _worker_app(settings: Settings, snapshot: str) -> Any:
    """In a new worker process: its WSGI app. The generation's first worker runs the start-up checks (the framework
    file, the migration if asked, the schema) and keeps the framework it checked in ``snapshot``; the generation's
    other workers, and any that replaces one, load that copy. Raises SystemExit with the status when it cannot."""
    app: Any = None

    def build() -> None:
        nonlocal app
        if not os.path.exists(snapshot):
            _check(settings, snapshot)
        app = _wsgi_app(_with(settings, framework_path=snapshot))

    status = reporting_failures(build)
    if status:
        raise SystemExit(status)
    return app


def _check(settings: Settings, snapshot: str) -> None:
    """The checks of a start or a reload: a broken framework refuses it, as does a failed migration."""
    import logging

    from bot.framework.loader import FrameworkError, check_framework_file, default_framework_path

    source = getattr(settings, "framework_path", None) or str(default_framework_path())
    result = check_framework_file(source)
    if result.errors or result.framework is None or result.checked is None:
        raise FrameworkError(result)
    upgrade_if_asked(settings)
    _say_if_not_migrated(settings)
    _say_if_token_revoked(settings)
    with open(snapshot + ".new", "wb") as copy:
        copy.write(result.checked)  # the bytes checked, not the file again (it may have changed since)
    os.replace(snapshot + ".new", snapshot)
    fw = result.framework
    logging.getLogger("ladder.cli").info(f"framework checked: {fw.name}, {fw.citation}; workers serve it", extra={"file": source})


def _clock_beside(settings: Settings) -> tuple["Companion", ...]:
    """By default the clock runs as a child of the supervisor, kept running by it (never inside a web worker: one
    clock per deployment); LADDER_CLOCK=off when a separate `ladder clock` process runs."""
    from bot.runtime.server import Companion

    return (Companion([sys.executable, "-m", "bot", "clock"], "clock"),) if getattr(settings, "clock", True) else ()


def _wsgi_app(settings: Settings) -> object:
    from bot.runtime.senders import start_senders
    from bot.runtime.services import build_services
    from bot.runtime.wsgi import build_wsgi

    services = build_services(settings)
    app = build_wsgi(settings, services)
    start_senders(services, settings)  # this worker's outbox senders (LADDER_SENDERS)
    gc.freeze()  # the app lives as long as the worker: keep the collector from re-scanning it on every pass
    return app


def _socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import logs
    from bot.runtime.app import create_app
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    settings = Settings.from_env()
    if settings.oauth:
        raise UsageError(
            "ladder socket serves one workspace over Socket Mode (SLACK_BOT_TOKEN); with SLACK_CLIENT_ID (Add to Slack) "
            "run ladder serve behind a public URL"
        )
    settings.require("ladder socket", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    if not settings.slack_signing_secret:  # Socket Mode requests are not signed; Bolt still wants a value
        settings = _with(settings, slack_signing_secret="unused-in-socket-mode")
    logs.configure(settings.log_level)
    upgrade_if_asked(settings)
    _say_if_not_migrated(settings)
    _say_if_token_revoked(settings)
    services = build_services(settings)
    from bot.runtime.senders import start_senders

    start_senders(services, settings)  # as a serve worker's: answers to mentions and DMs are outbox messages too
    if settings.clock:
        import threading

        from bot.runtime.clock import Clock

        # senders=0: this process's senders run already (above), and a clock that lost its lease stops the ones it runs
        clock = Clock(services, lease_seconds=settings.clock_lease, senders=0)
        threading.Thread(target=clock.run, name="clock", daemon=True).start()
    SocketModeHandler(create_app(settings, services), settings.slack_app_token).start()
    return 0


def _with(settings: Settings, **changes: Any) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)


def _say_if_not_migrated(settings: Settings) -> None:
    """A server starts on a database without this release's schema (a release step may migrate it next), and says so."""
    import logging

    from storage.engine import make_engine
    from storage.health import schema_not_ready

    url = settings.database_url
    engine = make_engine(url, create_missing=False)
    try:
        problem = schema_not_ready(engine, url)
    finally:
        engine.dispose()
    if problem is not None:
        logging.getLogger("ladder.cli").error(f"{problem}; until it is done, what needs the database fails")


def _say_if_token_revoked(settings: Settings) -> None:
    """Single-workspace mode with a bot token an uninstall revoked: the server starts (it serves /healthz, and Slack
    nothing) and says once what to do. Nothing is asked of Slack to tell."""
    import logging

    from bot.runtime.workspace_token import revoked_notice
    from storage.engine import make_engine

    if settings.oauth:
        return
    engine = make_engine(settings.database_url, create_missing=False)
    try:
        notice = revoked_notice(engine, settings.slack_bot_token)
    except Exception:  # noqa: BLE001 - no database or schema yet: said by _say_if_not_migrated, and asked again later
        return
    finally:
        engine.dispose()
    if notice is not None:
        logging.getLogger("ladder.cli").error(notice)
