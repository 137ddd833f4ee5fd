"""Promotion nominations in Slack: /ladder nominate, the shortcut, the two-page modal, drafts, withdrawal, replacements."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.nominations import form
from bot.nominations.form import CaseAnswers
from bot.nominations.reviews import Reviews
from bot.nominations.service import Account, Nominations
from handlers.context import board_of, services_of, session_of, team_and_user, tenant_of, work_of
from handlers.deliveries import replace_pressed
from handlers.home import opened_from, refresh_if_acted_from_home
from messages import nominations as views
from messages.blocks import metadata_id, notice_view, read_metadata
from messages.state import values_of

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def nominations_of(context: BoltContext) -> Nominations:
    services = services_of(context)
    return Nominations(services.framework_for(tenant_of(context, {})), session_of(context), services.now, services.admins)


# -- opening --------------------------------------------------------------------------------------------------------


def command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder nominate [@person]: Slack sends a picked person as <@U123|name> (the command escapes mentions)."""
    team_id, user_id = team_and_user(context, body)
    raw = " ".join(str(body.get("text") or "").split()[1:]).strip()
    nominee = None
    if raw:
        found = MENTION.match(raw)
        if found is None:
            ack(response_type="ephemeral", text=views.not_a_mention(raw))
            return
        nominee = found.group(1)
    ack()
    _open_start(context, client, body["trigger_id"], team_id, nominee)


def shortcut(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, _ = team_and_user(context, body)
    _open_start(context, client, body["trigger_id"], team_id, None)


def _open_start(context: BoltContext, client: WebClient, trigger_id: str, team_id: str, nominee: str | None) -> None:
    nominations = nominations_of(context)
    view = views.start_modal(nominations.framework, nominations.open_cycles(team_id), nominee=nominee)
    client.views_open(trigger_id=trigger_id, view=view)


# -- page one → page two ----------------------------------------------------------------------------------------------


def start_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    team_id, user_id = team_and_user(context, body)
    values = values_of(view)
    nominee = values.get(form.NOMINEE)
    cycle = values.get(form.CYCLE)
    nominations = nominations_of(context)
    draft = nominations.start(
        team_id, user_id, nominee, choice=values.get(form.TARGET), cycle_id=int(str(cycle)) if str(cycle).isdigit() else None,
        account=_account(client, nominee) if nominee else Account(),
    )  # fmt: skip
    ack(response_action="update", view=opened_from(body, _case_view(nominations, team_id, user_id, draft)))


def _case_view(nominations: Nominations, team_id: str, user_id: str, draft: Any) -> dict[str, Any]:
    cycle = nominations.cycles.repo.cycle(team_id, draft.cycle_id)
    assert cycle is not None
    has_draft = bool(draft.case or draft.portfolio or draft.reviewers)
    return views.case_modal(
        nominations.framework, draft, competencies=nominations.competencies_of(draft), cycle=cycle,
        offered=nominations.offered_evidence(team_id, user_id, draft.nominee), has_draft=has_draft,
    )  # fmt: skip


def _account(client: WebClient, user_id: str) -> Account:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("user_not_found", "users_not_found"):
            return Account(deleted=True)
        raise
    return Account(is_bot=bool(user.get("is_bot") or user.get("is_app_user")), deleted=bool(user.get("deleted")))


def case_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """Once per modal (its view id), however often Slack delivers it; errors go back to their fields."""
    team_id, user_id = team_and_user(context, body)
    nomination_id = metadata_id(view.get("private_metadata"), "nomination")
    nominations = nominations_of(context)
    answers = CaseAnswers.from_fields(values_of(view))
    # saved with its review requests and their messages, in this request's transaction
    nomination = nominations.submit(team_id, user_id, nomination_id, str(view.get("id") or ""), answers)
    work_of(context).after_commit(services_of(context).sender.wake)
    refresh_if_acted_from_home(context, body, team_id, user_id)
    ack(response_action="update", view=notice_view("Nomination", views.submitted_notice(nominations.framework, nomination)))


def case_closed(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    nomination_id = metadata_id(view.get("private_metadata"), "nomination")
    nominations_of(context).save_draft(team_id, user_id, nomination_id, CaseAnswers.from_fields(values_of(view)))


def resume(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Continue a draft: straight to its case page."""
    ack()
    team_id, user_id = team_and_user(context, body)
    nominations = nominations_of(context)
    draft = nominations.draft_of(team_id, user_id, metadata_id(action.get("value"), "nomination"))
    client.views_open(trigger_id=body["trigger_id"], view=opened_from(body, _case_view(nominations, team_id, user_id, draft)))


# -- after submission -----------------------------------------------------------------------------------------------


def withdraw(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    nomination = nominations_of(context).withdraw(team_id, user_id, metadata_id(action.get("value"), "nomination"))
    if nomination.submitted_at is not None and nomination.id is not None:
        board_of(context).withdrawn(team_id, nomination.id)  # what its judges were sent is taken back
    refresh_if_acted_from_home(context, body, team_id, user_id)
    if body.get("container", {}).get("type") == "message":
        text = "Draft discarded." if nomination.submitted_at is None else "Nomination withdrawn; its reviewers have been told."
        replace_pressed(context, body, respond, views.answered(text))


def open_replace(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    chosen = read_metadata(action.get("value"))
    nomination_id = metadata_id(action.get("value"), "nomination")
    view = views.replace_modal(nomination_id, str(chosen.get("declined") or ""))
    client.views_open(trigger_id=body["trigger_id"], view=opened_from(body, view))


def replace_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    chosen = read_metadata(view.get("private_metadata"))
    nomination_id = metadata_id(view.get("private_metadata"), "nomination")
    replacement = values_of(view).get(form.REPLACEMENT)
    Reviews(nominations_of(context)).replace(team_id, user_id, nomination_id, str(chosen.get("declined") or ""), replacement)
    refresh_if_acted_from_home(context, body, team_id, user_id)
    ack(
        response_action="update",
        view=notice_view("Replace a reviewer", views.answered("Asked. They get a direct message with the request.")),
    )


# -- /ladder nominations ------------------------------------------------------------------------------------------------


def list_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    team_id, user_id = team_and_user(context, body)
    nominations = nominations_of(context)
    blocks = views.nominations_list(nominations.framework, nominations.promotions(team_id, user_id), buttons=True)
    ack(response_type="ephemeral", **views.nominations_message(blocks).as_kwargs())
