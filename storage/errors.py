"""Storage's errors a person can act on, importable without loading SQLAlchemy (the command line reports them)."""

from __future__ import annotations


class SchemaNotReady(Exception):
    """The database has no schema, or another release's: the message is one line saying which database and what to run."""


class PublishContended(Exception):
    """Others kept publishing a framework version for the same tenant at the same moment: the message is one line
    saying to try again."""


class DatabaseUnreachable(Exception):
    """No connection to the database could be made: the message is one line naming it (never its password) and what
    the server or the driver said, first line only."""
