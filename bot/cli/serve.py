"""`ladder serve` (the HTTP server for Slack, with the clock beside it) and `ladder socket` (Socket Mode, for
development)."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
from typing import TYPE_CHECKING, Callable

from bot.cli.common import EXIT_FAILED, command, error, errors_as_log_lines, reporting_failures, upgrade_if_asked

if TYPE_CHECKING:
    from bot.runtime.server import Companion


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
    settings = Settings.from_env()  # before gunicorn is imported: it reads WEB_CONCURRENCY as it loads
    settings.require("ladder serve", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    logs.configure(settings.log_level)
    from bot.runtime.server import GunicornServer, gunicorn_options

    # Workers load the last framework that passed the checks, from a private copy: a worker that is
    # restarted after a refused reload must not pick up the broken file from disk (gunicorn would stop).
    snapshot_dir = tempfile.mkdtemp(prefix="ladder-framework-")
    snapshot = os.path.join(snapshot_dir, "framework.yaml")
    master = os.getpid()

    def preflight() -> None:
        import logging

        from bot.framework.loader import FrameworkError, check_framework_file, default_framework_path

        source = settings.framework_path or str(default_framework_path())
        result = check_framework_file(source)
        if result.errors or result.framework is None or result.checked is None:
            raise FrameworkError(result)  # refuse to start (or to reload) on a broken framework
        upgrade_if_asked(settings)
        _say_if_not_migrated(settings)
        with open(snapshot + ".new", "wb") as copy:  # last: a check stopped before this leaves the previous framework
            copy.write(result.checked)  # the bytes checked, not the file again (it may have changed since)
        os.replace(snapshot + ".new", snapshot)
        fw = result.framework
        logging.getLogger("ladder.cli").info(
            f"framework checked: {fw.name}, {fw.citation}; workers serve it", extra={"file": source}
        )

    try:
        status = _in_child_process(preflight)
        if status:
            return status
        port = args.port or settings.port
        refused = _cannot_listen(settings.host, port)
        if refused:
            error(refused)
            return EXIT_FAILED
        serving = _with(settings, framework_path=snapshot)
        GunicornServer(
            lambda: _wsgi_app(serving),
            gunicorn_options(settings.host, port, settings.web_concurrency),
            settings.request_timeout,
            ready_to_reload=lambda: reporting_failures(preflight) == 0,  # on kill -HUP, in a child: the checks of the start
            companions=_clock_beside(settings),
        ).run()
        return 0
    finally:
        if os.getpid() == master:  # gunicorn's workers are forked in here, and leave through here too
            shutil.rmtree(snapshot_dir, ignore_errors=True)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on HOST:PORT (an address not on this machine, a port in use or kept for root), in
    one line, before gunicorn tries and retries; None when it can. The probe is closed at once."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: a closing connection is no obstacle
            probe.bind(address)
    except OSError as exc:
        return f"cannot listen on {host} port {port}: {exc.strerror or exc} (check HOST and PORT)"
    return None


def _clock_beside(settings: object) -> tuple["Companion", ...]:
    """The embedded default runs the clock as a child of the server's master, kept running by it (never inside
    a gunicorn worker: one clock per deployment); LADDER_CLOCK=off when a separate `ladder clock` process runs."""
    from bot.runtime.server import Companion

    return (Companion([sys.executable, "-m", "bot", "clock"], "clock"),) if getattr(settings, "clock", True) else ()


def _in_child_process(work: Callable[[], None]) -> int:
    """Run start-up checks in a forked child, so the long-lived gunicorn master never holds the
    framework validator, Alembic and the ORM in memory; the workers load what they need."""
    pid = os.fork()
    if pid == 0:  # the child: report like the CLI does, then leave without running parent cleanup
        code = reporting_failures(work)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _wsgi_app(settings: object) -> object:
    from bot.runtime.senders import start_senders
    from bot.runtime.services import build_services
    from bot.runtime.wsgi import build_wsgi

    services = build_services(settings)  # type: ignore[arg-type]
    app = build_wsgi(settings, services)  # type: ignore[arg-type]
    start_senders(services, settings)  # type: ignore[arg-type]  # this worker's outbox senders (LADDER_SENDERS)
    gc.freeze()  # the app lives as long as the worker: keep the collector from re-scanning it on every pass
    return app


def _socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import logs
    from bot.runtime.app import create_app
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    settings = Settings.from_env()
    settings.require("ladder socket", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    if not settings.slack_signing_secret:  # Socket Mode requests are not signed; Bolt still wants a value
        settings = _with(settings, slack_signing_secret="unused-in-socket-mode")
    logs.configure(settings.log_level)
    upgrade_if_asked(settings)
    _say_if_not_migrated(settings)
    services = build_services(settings)
    if settings.clock:
        import threading

        from bot.runtime.clock import Clock

        clock = Clock(services, lease_seconds=settings.clock_lease, senders=settings.senders)
        threading.Thread(target=clock.run, name="clock", daemon=True).start()
    SocketModeHandler(create_app(settings, services), settings.slack_app_token).start()
    return 0


def _with(settings: object, **changes: object) -> object:
    from dataclasses import replace

    return replace(settings, **changes)  # type: ignore[type-var]


def _say_if_not_migrated(settings: object) -> None:
    """A server starts on a database without this release's schema (a release step may migrate it next), and says so."""
    import logging

    from storage.engine import make_engine
    from storage.health import schema_not_ready

    url: str = settings.database_url  # type: ignore[attr-defined]
    engine = make_engine(url, create_missing=False)
    try:
        problem = schema_not_ready(engine, url)
    finally:
        engine.dispose()
    if problem is not None:
        logging.getLogger("ladder.cli").error(f"{problem}; until it is done, what needs the database fails")
