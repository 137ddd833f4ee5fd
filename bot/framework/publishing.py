"""Publishing an organisation's framework: a file checked, compared with the version in force, then stored as the next
version (``ladder framework publish``, or a file an admin uploads to Ladder in Slack).

Only framework files (YAML, what ``ladder framework check`` reads) are published. A spreadsheet or a document is refused
with a line that says how to turn it into one (``ladder framework import``): an import places most of a ladder and
says what it did not place, which a person should read before it answers anyone's questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from sqlmodel import Session

from bot.errors import LadderError
from bot.framework.diff import Change, framework_changes
from bot.framework.loader import MAX_FILE_BYTES, CheckResult, Problem, check_framework_text
from bot.framework.model import Framework
from bot.framework.reading.files import DOCUMENTS
from storage.errors import PublishContended
from storage.models import FrameworkVersion
from storage.repositories.framework_versions import FrameworkVersions

IMPORTED_FIRST = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv", ".xls", *DOCUMENTS)


@dataclass
class Candidate:
    """A file offered for publishing, checked: what it holds, its problems, and what it changes."""

    source: str
    text: str | None
    """The framework text to publish (None: it could not be read)."""
    check: CheckResult
    changes: list[Change] = field(default_factory=list)
    """What it changes against the version in force (the default when none was published)."""

    @property
    def publishable(self) -> bool:
        return self.text is not None and self.check.framework is not None and not self.check.errors

    @property
    def framework(self) -> Framework | None:
        return self.check.framework

    def problem_lines(self) -> list[str]:
        return self.check.lines()

    def refusal(self) -> str:
        """Why it is not published, in one line."""
        errors = self.check.errors
        if len(errors) == 1:
            return f"{self.source} is not published: {errors[0].message}"
        return f"{self.source} is not published: {len(errors)} errors (listed above)"


def candidate(data: bytes, source: str, in_force: Framework) -> Candidate:
    """``data`` (a file's bytes, ``source`` its name) checked as a framework and compared with ``in_force``."""
    suffix = PurePath(source).suffix.lower()
    if suffix in IMPORTED_FIRST:
        why = (
            f"{source} is a spreadsheet or a document, not a framework file: turn it into one with "
            f"`ladder framework import {PurePath(source).name} -o ladder.yaml`, read what it says it did not place, "
            "then publish ladder.yaml"
        )
        return Candidate(source, None, _refused(source, why))
    if len(data) > MAX_FILE_BYTES:
        return Candidate(source, None, _refused(source, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"))
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return Candidate(source, None, _refused(source, "the file is not UTF-8 text (a framework file is YAML)"))
    check = check_framework_text(text, source)
    changes = framework_changes(in_force, check.framework) if check.framework is not None and not check.errors else []
    return Candidate(source, text, check, changes)


def _refused(source: str, message: str) -> CheckResult:
    return CheckResult(source, None, [Problem("", message)])


def publish(session: Session, team_id: str, offered: Candidate, *, by: str, at: datetime) -> tuple[FrameworkVersion, bool]:
    """Store ``offered`` as ``team_id``'s next framework version, in the caller's unit of work; returns the version in
    force and whether this call added it (publishing what is in force already adds nothing)."""
    if not offered.publishable or offered.text is None:
        raise ValueError(offered.refusal())
    try:
        return FrameworkVersions(session).publish(team_id, offered.text, source=offered.source, by=by, at=at)
    except PublishContended as exc:
        raise LadderError(str(exc)) from None
