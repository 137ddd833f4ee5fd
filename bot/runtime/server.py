"""`ladder serve`: gunicorn supervises worker processes; each worker serves HTTP with waitress.

Why both. gunicorn's master restarts a worker that dies and scales with WEB_CONCURRENCY, but its
threaded workers read a request inside a worker thread, so a handful of clients that send
headers and then hold back the body occupy every thread and freeze the service. waitress reads
every connection in one I/O loop and hands a worker thread only a *complete* request, refuses a
body larger than the limit from its Content-Length before reading it (413), and closes idle
connections. On top of that, :class:`_DeadlineServer` cuts off a request still arriving after
the read deadline (:data:`REQUEST_READ_DEADLINE` by default), so clients that dribble a byte at a time are bounded too.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import resource
import signal
import subprocess
import sys
import time
from typing import Any, Callable

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from bot.runtime.request_log import log_refusal

MAX_BODY_BYTES = 4 * 1024 * 1024
"""The largest request body accepted. Slack's largest payloads — a modal submission (at most 100
blocks, inputs of at most 3,000 characters) or a message event (at most 40,000 characters,
echoed in its blocks and, when edited, twice) — stay well under 1 MiB; 4 MiB leaves a wide margin."""
REQUEST_READ_DEADLINE = 10.0
"""Default seconds a request may take to arrive in full (LADDER_REQUEST_TIMEOUT). Slack sends each
request at once and gives up waiting for an answer after 3 s, so one still arriving is not from Slack."""
IDLE_CONNECTION_TIMEOUT = 30
"""Seconds a kept-alive connection may sit idle between requests."""
THREADS = 8

_log = logging.getLogger("ladder.server")


class _TimedParser(HTTPRequestParser):
    """waitress's parser, remembering when the first byte of its request arrived."""

    def __init__(self, adj: Adjustments) -> None:
        super().__init__(adj)
        self.started = time.monotonic()

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        if self.error is not None:
            self.expect_continue = False  # refused already (413 from Content-Length): never invite the body with "100 Continue"
        return consumed


class _LoggedErrorTask(ErrorTask):
    """waitress's own refusals (413, 431, 400 for a malformed request) get the same log line as the app's."""

    def execute(self) -> None:
        started = time.perf_counter()
        super().execute()
        error = self.request.error
        log_refusal(int(self.status.split()[0]), f"{type(error).__name__}: {getattr(error, 'reason', '')}".rstrip(": "), started)


class _Channel(HTTPChannel):
    parser_class = _TimedParser
    error_task_class = _LoggedErrorTask

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened = time.monotonic()
        self.served = False

    def service(self) -> None:
        self.served = True
        super().service()


class _DeadlineServer(TcpWSGIServer):
    channel_class = _Channel
    read_deadline = REQUEST_READ_DEADLINE

    def maintenance(self, now: float) -> None:
        """waitress closes idle channels; also close those whose request has been arriving for too long,
        and new connections that have sent nothing within the deadline."""
        super().maintenance(now)
        cutoff = time.monotonic() - self.read_deadline
        for channel in list(self.active_channels.values()):
            request = channel.request
            arriving_too_long = request is not None and not request.completed and request.started < cutoff
            silent_too_long = request is None and not channel.requests and not channel.served and channel.opened < cutoff
            if arriving_too_long or silent_too_long:
                channel.will_close = True


def waitress_settings(threads: int = THREADS) -> dict[str, Any]:
    return {
        "threads": threads,
        "connection_limit": _connection_limit(),
        "channel_timeout": IDLE_CONNECTION_TIMEOUT,
        "inbuf_overflow": 1024 * 1024,  # bodies up to 1 MiB stay in memory; larger ones (rare) use a temporary file
        "cleanup_interval": 1,
        "max_request_body_size": MAX_BODY_BYTES,
        "max_request_header_size": 64 * 1024,
        "asyncore_use_poll": True,  # select() cannot watch more than 1,024 sockets
        "ident": "ladder",
    }


def _connection_limit() -> int:
    """Half as many connections as open files allow (raised to the hard limit): a connection whose body is
    larger than waitress keeps in memory also holds a temporary file. The rest is room for the database and Slack."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return max(100, min(10_000, (soft - 64) // 2))


class WaitressWorker(Worker):
    """A gunicorn worker whose HTTP server is waitress, on the sockets gunicorn bound."""

    def run(self) -> None:
        adj = Adjustments(**waitress_settings(self.cfg.threads))
        read_deadline = getattr(self.app, "read_deadline", REQUEST_READ_DEADLINE)
        socket_map: dict[int, Any] = {}
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(adj.threads)
        for listener in self.sockets:
            sock = listener.sock
            sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
            server = _DeadlineServer(
                self.wsgi, socket_map, True, sock, dispatcher=dispatcher, adj=adj, bind_socket=False, sockinfo=sockinfo
            )
            server.read_deadline = read_deadline
        try:
            while self.alive:
                self.notify()  # the master's heartbeat: a worker that stops calling this is replaced
                if self.ppid != os.getppid():
                    break  # the master is gone
                wasyncore.loop(timeout=1.0, map=socket_map, use_poll=True, count=1)
        finally:
            self._stop(dispatcher, socket_map)

    def _stop(self, dispatcher: ThreadedTaskDispatcher, socket_map: dict[int, Any]) -> None:
        """Finish what is in flight, then deliveries, within gunicorn's graceful timeout: the master kills
        the worker at that moment, so what cannot be delivered must be logged before it."""
        deadline = time.monotonic() + max(1.0, self.cfg.graceful_timeout - 2.0)
        for server in [s for s in socket_map.values() if isinstance(s, _DeadlineServer)]:
            server.accepting = False  # new connections go to the other workers; the kernel keeps them queued for them
        # Keep the I/O loop turning: requests already accepted are read, answered and flushed, not reset.
        halfway = time.monotonic() + (deadline - time.monotonic()) / 2
        while time.monotonic() < halfway and any(_in_flight(channel) for channel in list(socket_map.values())):
            self.notify()
            wasyncore.loop(timeout=0.05, map=socket_map, use_poll=True, count=1)
        dispatcher.shutdown(cancel_pending=False, timeout=max(0.1, halfway - time.monotonic()))
        close = getattr(self.wsgi, "close", None)
        if close is not None:
            close(timeout=max(0.0, deadline - time.monotonic()))
        wasyncore.close_all(socket_map)


def _in_flight(channel: Any) -> bool:
    """A connection with a request being read, handled or answered, or just accepted and about to send one
    (an idle keep-alive connection is not)."""
    if not isinstance(channel, _Channel):
        return False
    arriving = channel.request is not None and not channel.request.completed
    return bool(channel.requests or channel.total_outbufs_len or arriving or not channel.served)


RELOAD_CHECK_TIMEOUT = 60.0
"""Seconds the check of a reload may take (the framework check itself is bounded to about a second; the rest is the
database, when the release migrates it on start). A check still running then is stopped and the reload refused."""


class ReloadCheck:
    """The check that a reload's new workers will start, run in a forked child while the master goes on supervising:
    reaping and replacing workers, and answering signals (a check that never ended used to leave killed workers
    defunct and SIGTERM unanswered).

    The child runs with every signal's default action: the master's handlers only queue a signal for the master's
    loop, so a child keeping them ignored SIGTERM. It reports through a pipe rather than its exit status, which the
    master's reaping of children it does not know may collect first, and stops itself a little after the time limit
    should the master be gone.
    """

    def __init__(self, check: Callable[[], bool], timeout: float) -> None:
        self._check = check
        self._timeout = timeout
        self._pid = 0
        self._reader = -1
        self._deadline = math.inf

    def start(self) -> None:
        """Fork the check; OSError when the system cannot (no process or file left), with nothing left open."""
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
        if pid == 0:  # the child: whatever happens, it never returns into gunicorn's loop
            passed = False
            try:
                os.close(reader)
                _default_signal_actions()
                signal.alarm(math.ceil(self._timeout) + 5)
                passed = bool(self._check())
            finally:
                _report_and_exit(writer, passed)
        os.close(writer)
        os.set_blocking(reader, False)
        self._pid, self._reader, self._deadline = pid, reader, time.monotonic() + self._timeout

    def outcome(self) -> str | None:
        """None while the check runs; then "passed", "failed", "stopped" (it ended without answering: killed) or
        "timed out" (it is killed)."""
        try:
            answer = os.read(self._reader, 1)
        except BlockingIOError:
            if time.monotonic() < self._deadline:
                return None
            self.stop()
            return "timed out"
        self._close()
        return {b"1": "passed", b"0": "failed"}.get(answer, "stopped")

    def stop(self) -> None:
        """Kill the check if it still runs (its pipe still open: it has not exited, so its pid is still its own)."""
        if self._reader < 0:
            return
        try:
            os.read(self._reader, 1)  # its answer, or the end of the pipe: it is done
            still_running = False
        except BlockingIOError:
            still_running = True
        if still_running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
        self._close()

    def _close(self) -> None:
        os.close(self._reader)
        self._reader = -1
        with contextlib.suppress(ChildProcessError):  # gunicorn reaps children it does not know, and may have
            os.waitpid(self._pid, os.WNOHANG)


def _default_signal_actions() -> None:
    for number in signal.valid_signals():
        with contextlib.suppress(OSError, ValueError):
            if callable(signal.getsignal(number)):  # a Python handler (gunicorn's, or SIGINT's KeyboardInterrupt)
                signal.signal(number, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)


def _report_and_exit(writer: int, passed: bool) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(OSError):
        os.write(writer, b"1" if passed else b"0")
    os._exit(0)


class _CheckedArbiter(Arbiter):
    """gunicorn's master, which checks on HUP that new workers will start before it reloads.

    gunicorn stops the whole server when new workers fail to boot; a framework file broken by an
    edit must instead be refused while the running workers keep serving the previous one. The check
    runs beside the master's loop (:class:`ReloadCheck`), which acts on its outcome when it comes.
    """

    reload_check: ReloadCheck | None = None
    check_again = False

    def manage_workers(self) -> None:
        super().manage_workers()
        self.app.tend_companions()
        self._tend_reload_check()

    def handle_hup(self) -> None:
        if self.reload_check is not None:  # the file may have changed since the running check read it
            self.check_again = True
            _log.info("reload asked while the last one is being checked; checking again once that check ends")
            return
        _log.info("reload asked: checking the new configuration")
        check = self.app.reload_check()
        try:
            check.start()
        except OSError as exc:
            _log.error(f"reload refused: cannot start checking the new configuration ({exc}); still serving the previous one")
            return
        self.reload_check = check

    def _tend_reload_check(self) -> None:
        outcome = self.reload_check.outcome() if self.reload_check is not None else None
        if outcome is None:
            return
        self.reload_check = None
        if self.check_again:
            self.check_again = False
            self.handle_hup()
        elif outcome == "passed":
            super().handle_hup()  # new workers start; the old ones finish their requests and stop
        elif outcome == "timed out":
            _log.error(
                f"reload refused: checking the new configuration took longer than {self.app.reload_check_timeout:.0f} s; "
                "still serving the previous one"
            )
        elif outcome == "stopped":
            _log.error("reload refused: the check of the new configuration was stopped; still serving the previous one")
        else:
            _log.error("reload refused: the new configuration does not load; still serving the previous one")

    def stop_reload_check(self) -> None:
        if self.reload_check is not None:
            self.reload_check.stop()
            self.reload_check = None


class GunicornServer(BaseApplication):
    """Runs a WSGI app factory under gunicorn without a config file.

    The app is built in the worker (not the master), so the master stays small and a worker
    that dies is replaced with a fresh app. Building it touches neither Slack nor the database,
    so a worker boots while either is down. ``kill -HUP`` reloads (a changed framework file takes
    effect) once ``ready_to_reload``, run in a child process of the master, says the new configuration loads.
    """

    def __init__(
        self,
        app_factory: Callable[[], Any],
        options: dict[str, Any],
        read_deadline: float = REQUEST_READ_DEADLINE,
        ready_to_reload: Callable[[], bool] = lambda: True,
        companions: tuple["Companion", ...] = (),
        reload_check_timeout: float = RELOAD_CHECK_TIMEOUT,
    ) -> None:
        self._factory = app_factory
        self._companions = companions
        self._options = options
        self.read_deadline = read_deadline
        """Read by :class:`WaitressWorker`, which gunicorn hands this object as ``self.app``."""
        self._ready_to_reload = ready_to_reload
        self.reload_check_timeout = reload_check_timeout
        super().__init__()

    def reload_check(self) -> ReloadCheck:
        """``ready_to_reload``, to run in a child process of the master for at most ``reload_check_timeout`` seconds."""
        return ReloadCheck(self._ready_to_reload, self.reload_check_timeout)

    def run(self) -> None:
        arbiter = _CheckedArbiter(self)
        try:
            arbiter.run()
        except RuntimeError as exc:
            raise SystemExit(f"ladder: {exc}") from None
        finally:
            arbiter.stop_reload_check()
            for companion in self._companions:
                companion.stop()

    def tend_companions(self) -> None:
        """Called by the master on each round of managing its workers."""
        for companion in self._companions:
            companion.tend()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    from gunicorn.config import Config

    # gunicorn 27's control socket (on by default) runs a thread in the master and listens at a path two Ladders on one
    # host would share: Ladder controls its server with signals alone.
    control = {"control_socket_disable": True} if "control_socket_disable" in Config().settings else {}
    return control | {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": f"{__name__}.WaitressWorker",
        "threads": THREADS,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": "warning",
        "logger_class": "bot.runtime.logs.GunicornJsonLogger",
        "proc_name": "ladder",
    }


class Companion:
    """A process the master keeps running beside the workers (the clock): started with the server,
    restarted if it dies (at most every ``restart_every`` seconds), stopped with the server."""

    def __init__(self, argv: list[str], name: str, restart_every: float = 10.0) -> None:
        self._argv = argv
        self._name = name
        self._restart_every = restart_every
        self._process: subprocess.Popen[bytes] | None = None
        self._started = -math.inf

    def tend(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        if time.monotonic() - self._started < self._restart_every:
            return
        if self._process is not None:
            _log.error(f"the {self._name} stopped (exit {self._process.returncode}); starting it again")
        self._process = subprocess.Popen(self._argv)
        self._started = time.monotonic()

    def stop(self, timeout: float = 30.0) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
