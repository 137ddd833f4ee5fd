"""`ladder serve`: a small supervisor of worker processes, each serving HTTP with waitress on one shared socket.

Only documented interfaces of the server are used: the supervisor binds the listening socket, forks WEB_CONCURRENCY
workers, and each runs waitress on it (``create_server(app, sockets=[listener], ...).run()``, which is what
``waitress.serve`` does) with waitress's documented arguments
(:func:`waitress_settings`). Why waitress: it reads every connection in one I/O loop and hands a worker thread only a
*complete* request, so clients that send their headers and hold back the body, or dribble a byte at a time, never
occupy a thread; it refuses a body larger than ``max_request_body_size`` from its Content-Length before reading it
(413); and it closes a connection that has sent nothing for ``channel_timeout`` seconds (LADDER_REQUEST_TIMEOUT).

A worker process is built by ``load(generation)`` after the fork, so the supervisor stays small and a worker that
dies is replaced with a fresh app. ``kill -HUP`` starts a new *generation*: its first worker loads the new
configuration (a broken framework file fails there, with its problems logged); only once it is ready are the
generation's other workers started and the old generation stopped gracefully (SIGTERM: waitress finishes the requests
its threads are running, then the app closes). A generation that does not start, or not within
``reload_timeout``, is stopped and the reload refused: the old one goes on serving.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

MAX_BODY_BYTES = 4 * 1024 * 1024
"""The largest request body accepted. Slack's largest payloads — a modal submission (at most 100
blocks, inputs of at most 3,000 characters) or a message event (at most 40,000 characters,
echoed in its blocks and, when edited, twice) — stay well under 1 MiB; 4 MiB leaves a wide margin."""
IDLE_TIMEOUT = 10.0
"""Default seconds a connection may send nothing before it is closed (LADDER_REQUEST_TIMEOUT): waitress's
``channel_timeout``. Slack sends each request at once and gives up waiting for an answer after 3 s."""
THREADS = 8
GRACEFUL_TIMEOUT = 10.0
"""Seconds a stopping worker has to finish what it is doing before it is killed."""
RELOAD_TIMEOUT = 60.0
"""Seconds a reload's first worker may take to load the new configuration (the framework check is about a second; the
rest is the database, when the release migrates it on start). One not ready by then is stopped and the reload refused."""
RESTART_BACKOFF = 1.0
"""Seconds before a worker that died without becoming ready is started again (no tight crash loop)."""

_log = logging.getLogger("ladder.server")

App = Callable[..., Any]


def waitress_settings(threads: int = THREADS, idle_timeout: float = IDLE_TIMEOUT) -> dict[str, Any]:
    """waitress's documented arguments (https://docs.pylonsproject.org/projects/waitress/en/latest/arguments.html)."""
    return {
        "threads": threads,
        "connection_limit": _connection_limit(),
        "channel_timeout": idle_timeout,  # a connection silent this long is closed, whether idle or mid-request
        "cleanup_interval": 1,  # how often waitress looks for such connections
        "max_request_body_size": MAX_BODY_BYTES,  # 413 from Content-Length, before the body is read
        "max_request_header_size": 64 * 1024,
        "inbuf_overflow": 1024 * 1024,  # bodies up to 1 MiB stay in memory; larger ones (rare) use a temporary file
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


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The listening socket every worker serves (OSError when HOST:PORT cannot be bound)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closing connection is no obstacle
        listener.bind(address)
        listener.listen(backlog)
    except OSError:
        listener.close()
        raise
    return listener


def serve(app: App, listener: socket.socket, threads: int, idle_timeout: float, graceful_timeout: float) -> None:
    """Serve ``app`` with waitress on ``listener`` until SIGTERM (or SIGINT), then stop gracefully:

    1. this process stops accepting: its descriptor of the shared listening socket is pointed (``dup2``) at a socket
       that never has a connection, so waitress's poll never sees one again, while the other workers (and the kernel's
       queue of connections not yet accepted) keep the real one;
    2. the connections it has accepted are served: it waits until no request has been in the app for a moment (at
       least :data:`DRAIN_AT_LEAST` seconds, at most half the graceful timeout);
    3. waitress's own shutdown (SystemExit in its loop) waits for any thread still running; then the app's
       ``close(timeout)``, if it has one, with what is left of the graceful timeout.
    """
    counted = _InFlight(app)
    quiet, _other_end = socket.socketpair()  # never readable: a listener with no connection ever
    serving, stopping = threading.Event(), threading.Event()
    deadline = math.inf

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal deadline
        if not serving.is_set():
            raise SystemExit(0)  # waitress has not started: nothing accepted, nothing to finish
        if stopping.is_set():
            return
        stopping.set()
        deadline = time.monotonic() + graceful_timeout - 2.0  # the supervisor kills at graceful_timeout
        os.dup2(quiet.fileno(), listener.fileno())
        threading.Thread(target=drain, name="drain", daemon=True).start()

    def drain() -> None:
        counted.wait_idle(at_least=DRAIN_AT_LEAST, at_most=graceful_timeout / 2)
        os.kill(os.getpid(), signal.SIGUSR1)

    def leave(_signum: int, _frame: Any) -> None:
        raise SystemExit(0)  # waitress's run() ends its loop on SystemExit and shuts its threads down

    try:
        signal.signal(signal.SIGUSR1, leave)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), name="supervisor-watch", daemon=True).start()
        from waitress.server import create_server

        server = create_server(counted, sockets=[listener], **waitress_settings(threads, idle_timeout))
        serving.set()
        server.run()  # what waitress.serve() does, less its logging.basicConfig() and "Serving on" line
    except SystemExit:
        pass
    finally:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
            signal.signal(number, signal.SIG_IGN)  # stopping: nothing may cut the close short
        deadline = min(deadline, time.monotonic() + graceful_timeout - 2.0)
        close = getattr(app, "close", None)
        if close is not None:
            close(timeout=max(0.0, deadline - time.monotonic()))


DRAIN_AT_LEAST = 1.0
"""Seconds a stopping worker goes on serving what it accepted before it may leave: a connection accepted just before
it stopped accepting has that long for its request to arrive."""


class _InFlight:
    """The app, counting the requests in it (from the call until waitress closes the response)."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._active = 0
        self._idle_since = time.monotonic()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self._lock:
            self._active += 1
        try:
            result = self._app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return (_SizedClosing if hasattr(result, "__len__") else _Closing)(result, self._done)

    def _done(self) -> None:
        with self._lock:
            self._active -= 1
            if not self._active:
                self._idle_since = time.monotonic()

    def wait_idle(self, at_least: float, at_most: float) -> None:
        """Until no request has been in the app for 0.2 s, and ``at_least`` seconds have passed (``at_most`` at most)."""
        started = time.monotonic()
        while time.monotonic() - started < at_most:
            with self._lock:
                idle = not self._active and time.monotonic() - self._idle_since >= 0.2
            if idle and time.monotonic() - started >= at_least:
                return
            time.sleep(0.05)


class _Closing:
    """A WSGI response that reports its end: PEP 3333's ``close()``, which the server calls once it is sent. It keeps
    the response's length, from which waitress sets Content-Length for a response of one piece."""

    def __init__(self, result: Any, done: Callable[[], None]) -> None:
        self._result = result
        self._done: Callable[[], None] | None = done

    def __iter__(self) -> Any:
        return iter(self._result)

    def close(self) -> None:
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class _SizedClosing(_Closing):
    def __len__(self) -> int:
        return len(self._result)


def _stop_when_orphaned(supervisor: int) -> None:
    """A worker whose supervisor is gone (killed with -9) stops as if sent SIGTERM, rather than serve on unsupervised."""
    while os.getppid() == supervisor:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class _Worker:
    pid: int
    generation: int
    ready_fd: int
    started: float
    ready: bool = False
    stopping: float = math.inf
    """When it was asked to stop (SIGTERM); killed ``graceful_timeout`` later."""


@dataclass
class _Reload:
    generation: int
    started: float
    again: bool = False
    outcome: str | None = None  # set when its first worker is stopped for taking too long


class Companion:
    """A process the supervisor keeps running beside the workers (the clock): started with the server,
    restarted if it dies (at most every ``restart_every`` seconds), stopped with the server."""

    def __init__(self, argv: list[str], name: str, restart_every: float = 10.0) -> None:
        self._argv = argv
        self._name = name
        self._restart_every = restart_every
        self._process: subprocess.Popen[bytes] | None = None
        self._started = -math.inf

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def tend(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        if time.monotonic() - self._started < self._restart_every:
            return
        if self._process is not None:
            _log.error(f"the {self._name} stopped (exit {self._process.returncode}); starting it again")
        self._process = subprocess.Popen(self._argv)
        self._started = time.monotonic()

    def reaped(self, pid: int, status: int) -> bool:
        """Whether ``pid`` was this companion (its exit status is then kept for :meth:`tend`)."""
        if self._process is None or self._process.pid != pid:
            return False
        self._process.returncode = os.waitstatus_to_exitcode(status)
        return True

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()

    def wait(self, timeout: float) -> None:
        if self._process is None:
            return
        try:
            self._process.wait(max(0.0, timeout))
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@dataclass
class Supervisor:
    """Keeps ``workers`` processes serving ``load(generation)``'s app on ``listener``; reloads on SIGHUP; stops on
    SIGTERM or SIGINT. ``run()`` returns the exit status: 0, or the first worker's when the server never started."""

    listener: socket.socket
    load: Callable[[int], App]
    """Runs in a new worker process and returns its WSGI app (raising SystemExit(status) when it cannot: the reason
    is logged by it). Generation 0 is the start; each reload is the next number."""
    workers: int = 1
    threads: int = THREADS
    idle_timeout: float = IDLE_TIMEOUT
    graceful_timeout: float = GRACEFUL_TIMEOUT
    reload_timeout: float = RELOAD_TIMEOUT
    companions: tuple[Companion, ...] = ()
    _workers: dict[int, _Worker] = field(default_factory=dict, init=False)
    _current: int | None = field(default=None, init=False)
    """The generation serving (None until the first worker is ready)."""
    _reload: _Reload | None = field(default=None, init=False)
    _next_generation: int = field(default=0, init=False)
    _pending_signals: list[int] = field(default_factory=list, init=False)
    _wakeup: tuple[int, int] = field(default=(-1, -1), init=False)
    _respawn_at: float = field(default=0.0, init=False)
    _stopping: bool = field(default=False, init=False)
    _status: int = field(default=0, init=False)

    # The supervisor's loop ------------------------------------------------------------------------------------------

    def run(self) -> int:
        self._wakeup = os.pipe()
        for fd in self._wakeup:
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self._wakeup[1], warn_on_full_buffer=False)
        for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(number, self._queue_signal)
        self._start_generation()  # generation 0: its first worker runs the start-up checks
        try:
            while not (self._stopping and not self._workers):
                self._wait()
                self._handle_signals()
                self._reap()
                self._read_ready()
                self._kill_overdue()
                if self._stopping:
                    continue
                self._tend_reload()
                self._tend_workers()
                if self._current is not None:
                    for companion in self.companions:
                        companion.tend()
        finally:
            self._stop_all()
        return self._status

    def _queue_signal(self, number: int, _frame: Any) -> None:
        self._pending_signals.append(number)

    def _wait(self) -> None:
        fds = [self._wakeup[0]] + [w.ready_fd for w in self._workers.values() if w.ready_fd >= 0]
        with contextlib.suppress(InterruptedError):
            readable, _, _ = select.select(fds, [], [], 0.5)
            if self._wakeup[0] in readable:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._wakeup[0], 4096)

    def _handle_signals(self) -> None:
        while self._pending_signals:
            number = self._pending_signals.pop(0)
            if number in (signal.SIGTERM, signal.SIGINT) and not self._stopping:
                self._begin_stop()
            elif number == signal.SIGHUP and not self._stopping:
                self._reload_asked()

    # Workers ---------------------------------------------------------------------------------------------------------

    def _spawn(self, generation: int) -> None:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            self._worker_process(generation, writer)  # never returns
        os.close(writer)
        os.set_blocking(reader, False)
        self._workers[pid] = _Worker(pid, generation, reader, time.monotonic())

    def _worker_process(self, generation: int, ready: int) -> None:
        status = 1
        try:
            for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
                signal.signal(number, signal.SIG_DFL)  # while it loads, a worker dies of SIGTERM like any process
            signal.set_wakeup_fd(-1)
            for fd in [*self._wakeup, *(w.ready_fd for w in self._workers.values() if w.ready_fd >= 0)]:
                os.close(fd)
            try:
                app = self.load(generation)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
                return
            os.write(ready, b"1")
            os.close(ready)
            serve(app, self.listener, self.threads, self.idle_timeout, self.graceful_timeout)
            status = 0
        except SystemExit as exc:  # stopped while it loaded
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - a worker never returns into the supervisor's loop
            _log.exception("worker failed")
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(status)

    def _read_ready(self) -> None:
        for worker in list(self._workers.values()):
            if worker.ready_fd < 0:
                continue
            try:
                answer = os.read(worker.ready_fd, 1)
            except BlockingIOError:
                continue
            os.close(worker.ready_fd)
            worker.ready_fd = -1
            worker.ready = answer == b"1"
            if worker.ready:
                self._became_ready(worker)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if any(companion.reaped(pid, status) for companion in self.companions):
                continue
            worker = self._workers.pop(pid, None)
            if worker is not None:
                self._exited(worker, status)

    def _exited(self, worker: _Worker, status: int) -> None:
        if worker.ready_fd >= 0:
            with contextlib.suppress(OSError):
                worker.ready = os.read(worker.ready_fd, 1) == b"1"
            os.close(worker.ready_fd)
            worker.ready_fd = -1
        if self._stopping or worker.stopping < math.inf:
            return
        reload = self._reload
        if reload is not None and worker.generation == reload.generation:
            self._reload = None
            self._stop_generation(reload.generation)
            if reload.again:
                self._reload_asked()
            else:
                _log.error(f"reload refused: {reload.outcome or _check_outcome(status)}; still serving the previous one")
            return
        if self._current is None:  # the server's first worker did not start: the reason is logged by it
            self._status = _exit_status(status) or 1
            self._begin_stop()
            return
        if worker.generation == self._current:
            _log.error(f"worker {worker.pid} {_described(status)}; starting another")
            if not worker.ready:
                self._respawn_at = time.monotonic() + RESTART_BACKOFF

    def _tend_workers(self) -> None:
        """Keep the serving generation at ``workers`` processes."""
        if self._current is None or time.monotonic() < self._respawn_at:
            return
        alive = [w for w in self._workers.values() if w.generation == self._current and w.stopping == math.inf]
        for _ in range(self.workers - len(alive)):
            self._spawn(self._current)

    def _stop_worker(self, worker: _Worker, how: int = signal.SIGTERM) -> None:
        if worker.stopping == math.inf:
            worker.stopping = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, how)

    def _stop_generation(self, generation: int) -> None:
        for worker in list(self._workers.values()):
            if worker.generation == generation:
                self._stop_worker(worker)

    def _kill_overdue(self) -> None:
        """Kill the workers still running ``graceful_timeout`` after they were asked to stop."""
        now = time.monotonic()
        for worker in self._workers.values():
            if now - worker.stopping > self.graceful_timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)

    # Generations and reloads -----------------------------------------------------------------------------------------

    def _start_generation(self) -> int:
        generation = self._next_generation
        self._next_generation += 1
        self._spawn(generation)  # its first worker: loading it is the check of the configuration
        return generation

    def _reload_asked(self) -> None:
        if self._current is None:
            _log.info("reload asked while the server starts: ignored")
            return
        if self._reload is not None:  # the file may have changed since the running check read it
            self._reload.again = True
            _log.info("reload asked while the last one is being checked; checking again once that check ends")
            return
        _log.info("reload asked: checking the new configuration")
        self._reload = _Reload(self._start_generation(), time.monotonic())

    def _became_ready(self, worker: _Worker) -> None:
        if self._current is None and worker.generation == 0:
            self._current = 0
            for _ in range(self.workers - 1):
                self._spawn(0)
            return
        reload = self._reload
        if reload is None or worker.generation != reload.generation:
            return
        if reload.again:
            self._reload = None
            self._stop_generation(reload.generation)
            self._reload_asked()
            return
        generation = [w for w in self._workers.values() if w.generation == reload.generation]
        if len(generation) < self.workers:
            for _ in range(self.workers - len(generation)):
                self._spawn(reload.generation)
            return
        if all(w.ready for w in generation):  # the whole new generation serves: the old one finishes and stops
            self._reload = None
            previous, self._current = self._current, reload.generation
            if previous is not None:
                self._stop_generation(previous)
            _log.info("reloaded: serving the new configuration")

    def _tend_reload(self) -> None:
        reload = self._reload
        if reload is None or reload.outcome is not None or time.monotonic() - reload.started < self.reload_timeout:
            return
        reload.outcome = f"checking the new configuration took longer than {self.reload_timeout:.0f} s"
        for worker in list(self._workers.values()):
            if worker.generation == reload.generation:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)  # reaped by _reap, which refuses the reload

    # Stopping --------------------------------------------------------------------------------------------------------

    def _begin_stop(self) -> None:
        self._stopping = True
        for worker in list(self._workers.values()):
            self._stop_worker(worker)
        for companion in self.companions:
            companion.stop()

    def _stop_all(self) -> None:
        """On the way out, whatever the reason: no worker or companion outlives the supervisor."""
        if not self._stopping:
            self._begin_stop()
        deadline = time.monotonic() + self.graceful_timeout
        while self._workers and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for worker in self._workers.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        for companion in self.companions:
            companion.wait(deadline - time.monotonic())
        signal.set_wakeup_fd(-1)
        for fd in self._wakeup:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.listener.close()


def _exit_status(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return code if code > 0 else 0


def _check_outcome(status: int) -> str:
    if os.WIFSIGNALED(status):
        return "the check of the new configuration was stopped"
    return "the new configuration does not load"


def _described(status: int) -> str:
    if os.WIFSIGNALED(status):
        try:
            return f"was sent {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return "was killed"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"


def cannot_listen(exc: OSError, host: str, port: int) -> str:
    """One line saying why the server could not listen on HOST:PORT."""
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0) or str(exc)
    return f"cannot listen on {host} port {port}: {reason} (check HOST and PORT)"
