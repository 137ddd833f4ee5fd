"""Storage's errors a person can act on, importable without loading SQLAlchemy (the command line reports them)."""

from __future__ import annotations


class SchemaNotReady(Exception):
    """The database has no schema, or another release's: the message is one line saying which database and what to run."""
