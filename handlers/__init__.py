"""Bolt listeners: module-level functions, one module per feature, all registered here and nowhere else.

Listeners get what they need through Bolt's context (``handlers.context``), never through closures:
the services from one middleware, and the request's unit of work from the app's dispatch.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App

from handlers import (
    checkins,
    commands,
    evidence,
    fairness,
    framework_uploads,
    growth,
    home,
    installations,
    nominations,
    panels,
    people,
    questions,
    reviews,
    rights,
)
from handlers.context import ProvideServices, Services
from handlers.deliveries import AnswerEachEventOnce
from messages.ids import (
    CheckinIds,
    EvidenceIds,
    FairnessIds,
    FrameworkIds,
    HomeIds,
    MentorIds,
    NominationIds,
    PanelIds,
    PreferenceIds,
    QuestionIds,
    ReviewIds,
    StretchIds,
)

READING_ACTIONS = frozenset(
    {
        CheckinIds.START, MentorIds.OPEN, StretchIds.OPEN, NominationIds.CONTINUE, NominationIds.REPLACE, ReviewIds.WRITE,
        ReviewIds.DECLINE, HomeIds.ASK, QuestionIds.AGAIN, FairnessIds.OPEN,
    }
)  # fmt: skip
READING_SHORTCUTS = frozenset({EvidenceIds.SHORTCUT})
READING_VIEWS = frozenset({HomeIds.ASK_MODAL})


def reads_only(body: Any) -> bool:
    """Whether the request's listener only reads (a listing, a button or command that opens a
    modal): its unit of work reads a snapshot, so it neither waits for writers nor holds them up while it calls Slack.
    A listener listed here that writes is refused by the database, so a wrong entry fails its tests rather than racing."""
    if not isinstance(body, dict):
        return False
    if isinstance(body.get("command"), str):
        typed = body.get("text")
        return commands.reads_only(typed if isinstance(typed, str) else "")
    kind = body.get("type")
    if kind == "event_callback":
        return False  # every event writes: a question its answer, a Home tab opened its publication (the outbox's rows)
    if kind == "block_actions":
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and len(actions) == 1 and isinstance(actions[0], dict) else {}
        return str(action.get("action_id") or "").split(":")[0] in READING_ACTIONS
    if kind in ("shortcut", "message_action"):
        return body.get("callback_id") in READING_SHORTCUTS
    if kind == "view_submission":
        view = body.get("view")
        return isinstance(view, dict) and view.get("callback_id") in READING_VIEWS
    return False


def _prefixed(action_id: str) -> re.Pattern[str]:
    """Buttons that repeat in one view carry ``<id>:<what>`` so each action id is unique in its block."""
    return re.compile(rf"^{re.escape(action_id)}(:.*)?$")


def register_all(app: App, services: Services) -> None:
    app.use(ProvideServices(services))
    app.use(AnswerEachEventOnce())  # after the services: it claims event ids in the database

    app.command("/ladder")(commands.slash_command)
    app.event("app_mention")(questions.mentioned)
    app.event("message")(questions.direct_message)
    app.event("app_home_opened")(home.home_opened)
    app.event("user_change")(people.user_changed)
    app.event(installations.APP_UNINSTALLED)(installations.uninstalled)
    app.event(installations.TOKENS_REVOKED)(installations.tokens_revoked)

    app.action(CheckinIds.START)(checkins.start)
    app.action(CheckinIds.SNOOZE)(checkins.snooze)
    app.action(CheckinIds.SKIP)(checkins.skip)
    app.action(CheckinIds.TURN_OFF)(checkins.turn_off)
    app.view(CheckinIds.MODAL)(checkins.submitted)
    app.view_closed(CheckinIds.MODAL)(checkins.closed)
    app.action(PreferenceIds.OPEN)(checkins.open_preferences)
    app.view(PreferenceIds.MODAL)(checkins.preferences_submitted)

    app.action(MentorIds.OPEN)(growth.open_mentor)
    app.view(MentorIds.MODAL)(growth.mentor_submitted)
    app.action(_prefixed(MentorIds.REQUEST))(growth.request_mentor)
    app.action(_prefixed(MentorIds.ACCEPT))(growth.accept_mentee)
    app.action(_prefixed(MentorIds.DECLINE))(growth.decline_mentee)
    app.action(StretchIds.OPEN)(growth.open_stretch)
    app.view(StretchIds.MODAL)(growth.stretch_submitted)
    app.action(_prefixed(StretchIds.INTERESTED))(growth.interested)
    app.action(_prefixed(StretchIds.GIVE))(growth.give)

    app.shortcut(NominationIds.SHORTCUT)(nominations.shortcut)
    app.view(NominationIds.START_MODAL)(nominations.start_submitted)
    app.view(NominationIds.CASE_MODAL)(nominations.case_submitted)
    app.view_closed(NominationIds.CASE_MODAL)(nominations.case_closed)
    app.action(_prefixed(NominationIds.CONTINUE))(nominations.resume)
    app.action(_prefixed(NominationIds.WITHDRAW))(nominations.withdraw)
    app.action(_prefixed(NominationIds.REPLACE))(nominations.open_replace)
    app.view(NominationIds.REPLACE_MODAL)(nominations.replace_submitted)
    app.action(_prefixed(ReviewIds.WRITE))(reviews.open_review)
    app.view(ReviewIds.MODAL)(reviews.review_submitted)
    app.action(_prefixed(ReviewIds.DECLINE))(reviews.open_decline)
    app.view(ReviewIds.DECLINE_MODAL)(reviews.decline_submitted)
    app.shortcut(EvidenceIds.SHORTCUT)(evidence.shortcut)
    app.view(EvidenceIds.MODAL)(evidence.submitted)
    app.action(_prefixed(EvidenceIds.DELETE))(evidence.delete)

    app.action(PanelIds.PACKET)(panels.open_packet)
    app.action(PanelIds.SCORE)(panels.open_score)
    app.view(PanelIds.SCORE_MODAL)(panels.score_submitted)
    app.action(PanelIds.SCORES)(panels.read_scores)
    app.action(PanelIds.CONFLICT)(panels.declare_conflict)
    app.action(PanelIds.DECIDE)(panels.open_decide)
    app.view(PanelIds.DECIDE_MODAL)(panels.decide_submitted)
    app.action(PanelIds.APPEAL)(panels.open_appeal)
    app.view(PanelIds.APPEAL_MODAL)(panels.appeal_submitted)
    app.action(PanelIds.HEAR)(panels.open_hearing)
    app.view(PanelIds.HEAR_MODAL)(panels.hearing_submitted)

    app.view(PanelIds.CYCLE_MODAL)(panels.cycle_submitted)
    app.view(PanelIds.PANEL_MODAL)(panels.panel_submitted)

    app.action(_prefixed(QuestionIds.AGAIN))(questions.asked_again)
    app.action(HomeIds.ASK)(home.open_ask)
    app.view(HomeIds.ASK_MODAL)(home.ask_submitted)
    app.action(HomeIds.MY_DATA)(rights.my_data)
    app.action(FairnessIds.OPEN)(fairness.open_self_id)
    app.view(FairnessIds.MODAL)(fairness.self_id_submitted)
    app.action(FrameworkIds.PUBLISH)(framework_uploads.publish_pressed)
    app.action(FrameworkIds.CANCEL)(framework_uploads.cancel_pressed)
