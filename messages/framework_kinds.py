"""The messages about a framework file uploaded to Ladder in Slack, to the admin who uploaded it: the check's result
(with Publish and Cancel) and a refusal.

The request that saw the upload only wrote the outbox row (the file's id and address); the file is downloaded and
checked here, when the sender composes the message (:meth:`messages.kinds.Reading.check_upload`), never inside the
request Slack gives three seconds. The checked text is kept then, for Publish to publish exactly what was shown."""

from __future__ import annotations

from messages import frameworks as views
from messages.kinds import URGENT, MessageKind, Reading
from messages.render import Message

FRAMEWORK_UPLOADED = "framework_uploaded"
FRAMEWORK_REFUSED = "framework_upload_refused"


def _checked(read: Reading) -> Message:
    about = read.check_upload()
    refused = about.get("refused")
    if isinstance(refused, str):
        return views.refused(refused)
    return views.checked(about)


def _refused(read: Reading) -> Message:
    return views.refused(str(read.context.get("reason") or "Ladder could not publish that file."))


KINDS = (MessageKind(FRAMEWORK_UPLOADED, _checked, URGENT), MessageKind(FRAMEWORK_REFUSED, _refused, URGENT))
