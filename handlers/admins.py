"""/ladder admins [add|remove @person]: who administers Ladder; an admin adds the others from Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.admins import Admins
from bot.errors import LadderError
from handlers.context import services_of, session_of, team_and_user
from handlers.nominations import MENTION
from handlers.slack_lookups import unusable_people


def command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    team_id, user_id = team_and_user(context, body)
    admins = Admins(session_of(context), services_of(context).admins)
    raw = str(body.get("text") or "").split()[2:]
    if not words or words[0] == "list":
        current = sorted(admins.of(team_id))
        listed = ", ".join(f"<@{a}>" for a in current) if current else "nobody yet (set the first with: ladder admins add USER)"
        ack(response_type="ephemeral", text=f"Ladder admins: {listed}.")
        return
    if words[0] not in ("add", "remove") or len(raw) != 1 or MENTION.match(raw[0]) is None:
        raise LadderError(
            "Usage: /ladder admins, /ladder admins add @person, /ladder admins remove @person (pick the person from the @ list)."
        )
    match = MENTION.match(raw[0])
    assert match is not None
    person = match.group(1)
    if words[0] == "add":
        admins.may_manage(team_id, user_id)  # before Slack is asked anything about the person
        unusable = unusable_people(client, [person]).get(person)
        if unusable:
            raise LadderError(f"The account you picked cannot be a Ladder admin: {unusable}.")
        changed = admins.add(team_id, person, by=user_id)
        text = f"<@{person}> is now a Ladder admin." if changed else f"<@{person}> was already a Ladder admin."
    else:
        changed = admins.remove(team_id, person, by=user_id)
        text = f"<@{person}> is no longer a Ladder admin." if changed else f"<@{person}> was not a Ladder admin."
    ack(response_type="ephemeral", text=text)
