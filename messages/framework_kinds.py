"""The messages about a framework file uploaded to Ladder in Slack: the check's result (with Publish and Cancel) and a
refusal, both to the admin who uploaded it, composed from what the check recorded on the row."""

from __future__ import annotations

from messages import frameworks as views
from messages.kinds import URGENT, MessageKind, Reading
from messages.render import Message

FRAMEWORK_CHECKED = "framework_checked"
FRAMEWORK_REFUSED = "framework_upload_refused"


def _checked(read: Reading) -> Message:
    return views.checked(read.context)


def _refused(read: Reading) -> Message:
    return views.refused(str(read.context.get("reason") or "Ladder could not publish that file."))


KINDS = (MessageKind(FRAMEWORK_CHECKED, _checked, URGENT), MessageKind(FRAMEWORK_REFUSED, _refused, URGENT))
