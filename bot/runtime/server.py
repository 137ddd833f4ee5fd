"""`ladder serve`: the WSGI app under gunicorn, bound to $PORT, for production."""

from __future__ import annotations

from typing import Any, Callable

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Runs a WSGI app factory under gunicorn without a config file.

    The app is built in the worker (not the master), so the master stays small and a worker
    that dies is replaced with a fresh app.
    """

    def __init__(self, app_factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self._factory = app_factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()


def gunicorn_options(port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"0.0.0.0:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": "warning",
        "proc_name": "ladder",
    }
