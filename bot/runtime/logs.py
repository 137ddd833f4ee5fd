"""Structured logging: one JSON object per line, for Ladder and every library it runs on.

Career questions are personal, so no log line may carry message, answer, review or check-in
text. Ladder's own lines never include it. Library lines are scrubbed: anything shaped like a
payload (a dict or JSON object, a bytes literal, a "body: …" tail) is replaced with "…" before
the line is written, because libraries (Bolt's "unhandled request" warning, for one) print
whole request bodies. While a Slack request is being handled, every line — ERRORs from any
library included — carries that request's team, user and event ids.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
import sys
import time
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from storage.errors import SchemaNotReady

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_OWN = ("ladder", "bot", "handlers", "storage", "messages")
_PAYLOAD = re.compile(r"\{.*\}|\[.*\]|b'.*'|b\".*\"|(?<=body: ).*|(?<=payload: ).*", re.DOTALL)
_MAX_LIBRARY_MESSAGE = 400

_request_ids: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "ladder_request_ids", default=MappingProxyType({})
)


@contextlib.contextmanager
def request_ids(**ids: str | None) -> Iterator[None]:
    """Within this block (and the threads it hands work to through copied contexts) every log line carries ``ids``."""
    token = _request_ids.set({**_request_ids.get(), **{k: v for k, v in ids.items() if v}})
    try:
        yield
    finally:
        _request_ids.reset(token)


def scrub(text: str) -> str:
    """A library's message with anything payload-shaped removed, and no longer than a line should be."""
    text = _PAYLOAD.sub("…", text)
    return text if len(text) <= _MAX_LIBRARY_MESSAGE else text[:_MAX_LIBRARY_MESSAGE] + "…"


class JsonFormatter(logging.Formatter):
    """One line is written per Slack request, in the request's own thread: the per-second part of the timestamp and the
    encoder are made once, not per line."""

    def __init__(self) -> None:
        super().__init__()
        self._encoder = json.JSONEncoder(default=str)  # what json.dumps(entry, default=str) builds for every call
        self._second: tuple[int, str] = (-1, "")

    def _timestamp(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        cached = self._second
        if cached[0] != second:
            cached = self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return f"{cached[1]}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        own = record.name.split(".", 1)[0] in _OWN
        message = record.getMessage()
        entry: dict[str, Any] = {
            "ts": self._timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": message if own else scrub(message),
            "pid": record.process,
        }
        entry.update(_request_ids.get())
        attributes = vars(record)
        if attributes.keys() - _STANDARD:  # extra= fields (most lines have none)
            entry.update({k: v for k, v in attributes.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info and isinstance(record.exc_info[1], SchemaNotReady):
            entry["error"] = str(record.exc_info[1])  # what to run, not a traceback of SQL nobody can act on
        elif record.exc_info:
            # The last line of a traceback is the exception's message, which may quote a payload or a question.
            head, _, last = self.formatException(record.exc_info).rpartition("\n")
            entry["exc"] = f"{head}\n{scrub(last)}"
        return self._encoder.encode(entry)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def level_from_env() -> str:
    """LOG_LEVEL if it names a level, else INFO (Settings reports a bad value; this only has to log it)."""
    level = (os.environ.get("LOG_LEVEL") or "INFO").upper()
    return level if level in LEVELS else "INFO"


def configure(level: str = "INFO") -> None:
    # Documented logging optimisation: no caller lookup (a stack walk per record). Thread and
    # process fields stay on: lines carry the pid.
    logging._srcfile = None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet = max(logging.WARNING, root.level)
    # Alembic's INFO lines are migration set-up chatter; waitress's INFO says only "Serving on …".
    for chatty in ("alembic", "waitress"):
        logging.getLogger(chatty).setLevel(quiet)
