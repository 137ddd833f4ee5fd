"""The rights messages the outbox sends: a person's own data, exported when it is sent, for them alone."""

from __future__ import annotations

from bot.rights.export import MY_DATA, export_json, export_person
from messages.kinds import URGENT, Gone, MessageKind, Reading
from messages.panels import FileUpload
from messages.rights import my_data_file


def _my_data(read: Reading) -> FileUpload:
    if read.recipient[:1] not in ("U", "W"):
        raise Gone("a person's data goes to their own conversation, never to a channel")
    document = export_person(read.framework, read.session, read.team_id, read.recipient, now=read.now, admins=read.admins)
    return my_data_file(str(read.context.get("filename") or "ladder-my-data.json"), export_json(document))


KINDS = (MessageKind(MY_DATA, _my_data, URGENT),)  # they pressed the button and wait for the file
