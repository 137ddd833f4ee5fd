"""Check-ins in Slack: the prompt's buttons, the modal (with drafts), the schedule preferences, /ladder checkin."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.checkins.schedule import Away, Cadence, local_date
from bot.checkins.service import Checkins
from bot.errors import InvalidAnswers, LadderError
from handlers.context import services_of, session_of, team_and_user, tenant_of
from handlers.deliveries import deliver, replace_pressed
from handlers.home import refresh_after_commit
from messages import checkins as views
from messages.blocks import notice_view, read_metadata
from messages.checkin_kinds import PROMPT_ANSWERED
from messages.ids import PreferenceIds
from messages.state import values_of

SETTINGS_WORDS = {"settings", "setting", "schedule", "cadence", "away", "preferences", "prefs", "options", "vacation", "holiday"}
START_WORDS = {"now", "start", "new"}


def _checkins(context: BoltContext) -> Checkins:
    services = services_of(context)
    return Checkins(services.framework_for(tenant_of(context, {})), session_of(context), services.now)


# -- starting ----------------------------------------------------------------------------------------------


def command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder checkin [settings | weekly | biweekly | monthly | quarterly | off]"""
    team_id, user_id = team_and_user(context, body)
    if not words or words[0] in START_WORDS:
        ack()
        open_modal(context, client, body["trigger_id"], team_id, user_id, key="")
        return
    if words[0] in SETTINGS_WORDS:
        ack()
        open_preferences_modal(context, client, body["trigger_id"], team_id, user_id)
        return
    try:
        cadence = Cadence.parse(" ".join(words))
    except ValueError as exc:
        raise LadderError(f"{exc}. Try /ladder checkin, /ladder checkin settings or /ladder checkin weekly.") from exc
    schedule = _checkins(context).set_preferences(team_id, user_id, cadence=cadence)
    refresh_after_commit(context, team_id, user_id)
    ack(response_type="ephemeral", text=_schedule_line(schedule, context))


def start(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    prompt = _checkins(context).prompt(team_id, user_id, str(read_metadata(action.get("value")).get("key") or ""))
    open_modal(context, client, body["trigger_id"], team_id, user_id, key=prompt.key if prompt else "")


def open_modal(context: BoltContext, client: WebClient, trigger_id: str, team_id: str, user_id: str, *, key: str) -> None:
    checkins = _checkins(context)
    target = checkins.target(team_id, user_id)
    view = views.modal(
        checkins.framework, level=target.level, competencies=target.competencies,
        manager=target.person.manager_user_id if target.person else None, draft=checkins.draft(team_id, user_id), key=key,
    )  # fmt: skip
    client.views_open(trigger_id=trigger_id, view=view)


# -- the modal ---------------------------------------------------------------------------------------------


def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """Saved once per modal (its view id), even if Slack delivers the submission twice; errors go back to their fields."""
    team_id, user_id = team_and_user(context, body)
    services = services_of(context)
    checkin = _checkins(context).submit(
        team_id, user_id, str(view.get("id") or view.get("hash") or ""), views.answers_from(values_of(view))
    )
    refresh_after_commit(context, team_id, user_id)
    sent = _checkins(context).prompt(team_id, user_id, str(read_metadata(view.get("private_metadata")).get("key") or ""))
    if sent is not None and sent.ts and sent.channel:  # started from a prompt: its buttons have done their job
        deliver(context, team_id, f"{sent.key}:answered", PROMPT_ANSWERED, user_id, {"prompt": sent.key})
    confirmation = views.saved(services.renderer, shared_with=checkin.shared_with)
    ack(response_action="update", view=notice_view("Career check-in", confirmation))


def closed(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """Closed halfway: keep what was typed, offered again next time."""
    ack()
    team_id, user_id = team_and_user(context, body)
    _checkins(context).save_draft(team_id, user_id, views.answers_from(values_of(view)))


# -- the prompt's other buttons ------------------------------------------------------------------------------


def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    checkins = _checkins(context)
    when = checkins.snooze(team_id, user_id)
    timezone = checkins.rules_of(checkins.schedule_of(team_id, user_id)).timezone
    text = (
        f"Snoozed: I'll ask again on {views.when(when, timezone)}."
        if when
        else "Snoozed, but there is no working day ahead to ask again on."
    )
    replace_pressed(context, body, respond, views.prompt_answered(text))


def skip(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    schedule = _checkins(context).schedule_of(team_id, user_id)
    replace_pressed(context, body, respond, views.prompt_answered("Skipped this one. " + _schedule_line(schedule, context)))


def turn_off(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    _checkins(context).turn_off(team_id, user_id)
    refresh_after_commit(context, team_id, user_id)
    off = views.prompt_answered("Check-ins are off. Turn them on again from Ladder's Home tab or with /ladder checkin monthly.")
    replace_pressed(context, body, respond, off)


# -- preferences ---------------------------------------------------------------------------------------------


def open_preferences(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    open_preferences_modal(context, client, body["trigger_id"], team_id, user_id)


def open_preferences_modal(context: BoltContext, client: WebClient, trigger_id: str, team_id: str, user_id: str) -> None:
    checkins = _checkins(context)
    schedule = checkins.schedule_of(team_id, user_id)
    away = (schedule.away_start, schedule.away_end) if schedule.away_start and schedule.away_end else None
    view = views.preferences_modal(
        cadence=schedule.cadence, default=checkins.default_cadence(team_id), weekday=schedule.weekday, away=away
    )
    client.views_open(trigger_id=trigger_id, view=view)


def preferences_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    values = values_of(view)
    chosen = values.get(PreferenceIds.CADENCE)
    cadence = None if chosen in (None, views.TEAM_DEFAULT) else Cadence(chosen)
    weekday = int(values.get(PreferenceIds.WEEKDAY) or 0)
    start, end = values.get(PreferenceIds.AWAY_START), values.get(PreferenceIds.AWAY_END)
    checkins = _checkins(context)
    today = local_date(services_of(context).now(), checkins.rules_of(checkins.schedule_of(team_id, user_id)).timezone)
    checkins.set_preferences(team_id, user_id, cadence=cadence, weekday=weekday, away=_away(start, end, today))
    refresh_after_commit(context, team_id, user_id)
    ack()


def _away(start: date | None, end: date | None, today: date) -> Away | None:
    if start is None and end is None:
        return None
    if start is None:
        raise InvalidAnswers({PreferenceIds.AWAY_START: "Pick the first day you are away, or clear both dates."})
    if end is None:
        raise InvalidAnswers({PreferenceIds.AWAY_END: "Pick the last day you are away, or clear both dates."})
    if end < start:
        raise InvalidAnswers({PreferenceIds.AWAY_END: "The last day away must be on or after the first."})
    if end < today:
        raise InvalidAnswers({PreferenceIds.AWAY_END: "That period is already over."})
    return Away(start, end)


def _schedule_line(schedule: Any, context: BoltContext) -> str:
    checkins = _checkins(context)
    rules = checkins.rules_of(schedule)
    if rules.cadence is Cadence.OFF:
        return "Check-ins are off."
    line = f"Check-ins: {views.CADENCE_NAMES[rules.cadence].lower()}."
    if schedule.next_prompt_at and schedule.timezone:
        line += f" Next: {views.when(schedule.next_prompt_at, schedule.timezone)}."
    return line
