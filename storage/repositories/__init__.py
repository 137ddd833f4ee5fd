"""Reads and writes, one repository per aggregate, every one scoped by Slack team.

People open their own short sessions for the command line; the event de-duplication and the workflow repositories
work inside a caller's session, so one request or one clock job is one unit of work (:mod:`storage.unit_of_work`).
"""

from storage.repositories.people import EventLog, PeopleRepository, Upsert

__all__ = ["EventLog", "PeopleRepository", "Upsert"]
