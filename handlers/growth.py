"""Mentoring and stretch work in Slack: /ladder mentor, /ladder stretch, their modals and buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import InvalidAnswers
from bot.growth.service import Growth, StretchDraft
from handlers.context import services_of, session_of, team_and_user, tenant_of
from handlers.deliveries import replace_pressed
from handlers.home import refresh_after_commit
from messages import growth as views
from messages.blocks import metadata_id, notice_view, read_metadata
from messages.ids import MentorIds, StretchIds
from messages.state import values_of


def _growth(context: BoltContext) -> Growth:
    services = services_of(context)
    return Growth(services.framework_for(tenant_of(context, {})), session_of(context), services.now)


# -- mentors -------------------------------------------------------------------------------------------------


def mentor_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder mentor: the same modal as the Home tab's button."""
    open_mentor(ack, body, context, client)


def open_mentor(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    growth = _growth(context)
    offer = growth.repo.offer(team_id, user_id)
    view = views.mentor_modal(
        growth.framework,
        offered=offer.competencies if offer else [],
        capacity=offer.capacity if offer else 2,
        active=offer.active if offer else True,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def mentor_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    values = values_of(view)
    raw_capacity = str(values.get(MentorIds.CAPACITY) or "").strip()
    if not raw_capacity.isdigit():
        raise InvalidAnswers({MentorIds.CAPACITY: "Enter a whole number of mentees, e.g. 2."})
    competencies = values.get(MentorIds.COMPETENCIES) or []
    if not competencies:
        raise InvalidAnswers({MentorIds.COMPETENCIES: "Pick at least one competency you can help with."})
    _growth(context).offer_mentoring(
        team_id,
        user_id,
        competencies=competencies,
        capacity=int(raw_capacity),
        active="active" in (values.get(MentorIds.ACTIVE) or []),
    )
    refresh_after_commit(context, team_id, user_id)
    ack()


def request_mentor(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    chosen = read_metadata(action.get("value"))
    competency = chosen.get("competency")
    _growth(context).request_mentor(
        team_id, user_id, str(chosen.get("mentor") or ""), competency if isinstance(competency, str) else None
    )
    refresh_after_commit(context, team_id, user_id)


def accept_mentee(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    _answer_request(ack, body, action, context, respond, accept=True)


def decline_mentee(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    _answer_request(ack, body, action, context, respond, accept=False)


def _answer_request(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    respond: Respond,
    *,
    accept: bool,
) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    mentorship_id = metadata_id(action.get("value"), "mentorship")
    pair = _growth(context).answer_request(team_id, user_id, mentorship_id, accept=accept)
    refresh_after_commit(context, team_id, user_id)
    if body.get("container", {}).get("type") == "message":
        replace_pressed(context, body, respond, views.mentor_answered(mentee=pair.mentee, accepted=pair.status == "accepted"))


# -- stretch work --------------------------------------------------------------------------------------------


def stretch_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder stretch: the same modal as the Home tab's button."""
    open_stretch(ack, body, context, client)


def open_stretch(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    client.views_open(
        trigger_id=body["trigger_id"],
        view=views.stretch_modal(services_of(context).framework_for(tenant_of(context, body)), today=services_of(context).now().date()),
    )


def stretch_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    values = values_of(view)
    draft = StretchDraft(
        title=str(values.get(StretchIds.TITLE) or ""),
        description=str(values.get(StretchIds.DESCRIPTION) or ""),
        competencies=tuple(values.get(StretchIds.COMPETENCIES) or ()),
        levels=tuple(values.get(StretchIds.LEVELS) or ()),
        starts_on=values.get(StretchIds.STARTS_ON),
        ends_on=values.get(StretchIds.ENDS_ON),
        contact=str(values.get(StretchIds.CONTACT) or user_id),
    )
    assignment = _growth(context).post_stretch(team_id, user_id, str(view.get("id") or ""), draft)
    refresh_after_commit(context, team_id, user_id)
    ack(response_action="update", view=notice_view("Stretch opportunity", views.stretch_posted(title=assignment.title)))


def interested(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    assignment_id = metadata_id(action.get("value"), "assignment")
    _growth(context).express_interest(team_id, user_id, assignment_id)
    refresh_after_commit(context, team_id, user_id)


def give(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    interest_id = metadata_id(action.get("value"), "interest")
    growth = _growth(context)
    interest = growth.give_stretch(team_id, user_id, interest_id)
    refresh_after_commit(context, team_id, user_id)
    if body.get("container", {}).get("type") == "message":
        assignment = growth.repo.assignment(team_id, interest.assignment_id)
        replace_pressed(
            context, body, respond, views.stretch_given(person=interest.user_id, title=assignment.title if assignment else "")
        )
