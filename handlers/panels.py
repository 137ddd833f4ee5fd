"""Review panels in Slack: /ladder digest, the packet, independent scoring, conflicts, the chair's decision, appeals."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.admins import Admins
from bot.confidentiality import Action
from bot.errors import InvalidAnswers, NotAllowed, NotFound
from bot.panels import form
from bot.panels.cycles import CycleDates
from bot.panels.form import AppealDecisionAnswers, CycleAnswers, DecisionAnswers, ScoreAnswers
from bot.panels.panels import APPEAL, REVIEW, Scope
from handlers.context import board_of, services_of, session_of, team_and_user
from handlers.slack_lookups import channel_facts, unusable_people
from messages import panels as views
from messages.blocks import esc, metadata_id, read_metadata
from messages.state import values_of


def _nomination(payload: dict[str, Any], key: str) -> int:
    return metadata_id(payload.get(key), "nomination")


# -- digests and packets ------------------------------------------------------------------------------------------


def digest_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder digest [panel name]: the digest of every panel you sit on (an admin: every panel), posted now."""
    team_id, user_id = team_and_user(context, body)
    name = " ".join(str(body.get("text") or "").split()[1:]).strip() or None
    posted = board_of(context).digest_on_demand(team_id, user_id, panel_name=name)
    lines = [
        f"{esc(panel.name)}: "
        + (
            f"{count} nomination{'s' if count != 1 else ''}, "
            + (f"posted in <#{panel.channel}>" if panel.channel else "sent to its chair")
            + " and privately to each member who judges them."
            if count
            else "nothing before it in this cycle, so nothing was posted."
        )
        for panel, count in posted
    ]
    ack(response_type="ephemeral", text="\n".join(lines))


def open_packet(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case = board.docket.case(team_id, _nomination(action, "value"))
    board.docket.require(
        user_id, team_id, case, Action.READ_PANEL_PACKET,
        "Only the panel members who judge this nomination (and those hearing its appeal) can read its packet.",
    )  # fmt: skip
    may_read = board.docket.may(user_id, team_id, case, Action.READ_PANEL_SCORES)
    # a scorer reads the others' scores only by asking (it seals their own); one who did not score (an appeal's hearer) just reads
    glance = may_read and (case.score_of(user_id) is None or board.judging.sealed(case, user_id))
    spread = board.judging.spread(user_id, team_id, case) if glance else None
    entry = board.digests.entry(case, services_of(context).now().date())
    view = views.packet_view(board.docket.framework, entry, spread=spread, may_reveal=may_read and not glance)
    client.views_open(trigger_id=body["trigger_id"], view=view)


# -- scoring -------------------------------------------------------------------------------------------------------


def open_score(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case, mine = board.judging.scoring(team_id, user_id, _nomination(action, "value"))
    entry = board.digests.entry(case, services_of(context).now().date())
    client.views_open(trigger_id=body["trigger_id"], view=views.score_modal(board.docket.framework, entry, mine))


def score_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case = board.judging.score(team_id, user_id, _nomination(view, "private_metadata"), ScoreAnswers.from_fields(values_of(view)))
    ack(response_action="update", view=views.score_saved(case))


def read_scores(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """ "Read the scores" in a modal: the panel's scores replace it, and the reader's own score is sealed from now on."""
    ack()
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case = board.docket.case(team_id, _nomination(action, "value"))
    spread = board.judging.spread(user_id, team_id, case)
    shown = body.get("view") or {}
    client.views_update(view_id=shown.get("id"), hash=shown.get("hash"), view=views.scores_view(board.docket.framework, spread))


def declare_conflict(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    declared = board_of(context).declare_conflict(team_id, user_id, _nomination(action, "value"))
    text = (
        "Recorded: you are recused from this nomination. You will not judge it, and what you were sent to judge it is taken back."
        if declared
        else "You are already recused from this nomination."
    )
    respond(response_type="ephemeral", replace_original=False, text=text)


# -- deciding ------------------------------------------------------------------------------------------------------


def open_decide(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case, spread = board.judging.deciding(team_id, user_id, _nomination(action, "value"))
    cycle = board.docket.cycle_repo.cycle(team_id, case.nomination.cycle_id)
    today = services_of(context).now().date()
    effective = max(today, cycle.decisions_on) if cycle and cycle.decisions_on else today
    entry = board.digests.entry(case, today)
    view = views.decide_modal(
        board.docket.framework, entry, spread, effective=effective, competencies=board.docket.competencies(case.nomination)
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def decide_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    decision = board_of(context).judging.decide(
        team_id, user_id, _nomination(view, "private_metadata"), DecisionAnswers.from_fields(values_of(view))
    )
    ack(response_action="update", view=views.decided(decision))


# -- appeals -------------------------------------------------------------------------------------------------------


def open_appeal(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    publication = board_of(context).publication
    case = publication.appealing(team_id, user_id, _nomination(action, "value"))
    closes = publication.appeal_window(team_id, case)
    assert closes is not None
    client.views_open(trigger_id=body["trigger_id"], view=views.appeal_modal(case, closes))


def appeal_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    reason = str(values_of(view).get(form.REASON) or "")
    board_of(context).publication.file_appeal(team_id, user_id, _nomination(view, "private_metadata"), reason)
    ack(
        response_action="update",
        view=views.notice(
            "Appeal", "Your appeal is filed. People who did not decide the first time hear it; you will hear their outcome here."
        ),
    )


def open_hearing(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    team_id, user_id = team_and_user(context, body)
    board = board_of(context)
    case = board.publication.hearing(team_id, user_id, _nomination(action, "value"))
    spread = board.judging.spread(user_id, team_id, case)
    today = services_of(context).now().date()
    client.views_open(trigger_id=body["trigger_id"], view=views.hear_modal(board.docket.framework, case, spread, effective=today))


def hearing_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    answers = AppealDecisionAnswers.from_fields(values_of(view))
    decision = board_of(context).publication.decide_appeal(team_id, user_id, _nomination(view, "private_metadata"), answers)
    outcome = form.APPEAL_OUTCOMES.get(decision.outcome, decision.outcome)
    ack(
        response_action="update",
        view=views.notice("Appeal decided", f"Recorded: {outcome}. The nominee and their manager are told now."),
    )


# -- setting cycles and panels up (admins) ---------------------------------------------------------------------------


def _admin_only(context: BoltContext, team_id: str, user_id: str) -> None:
    services = services_of(context)
    if user_id not in Admins(session_of(context), services.admins).of(team_id):
        raise NotAllowed("Only a Ladder admin can set up promotion cycles and review panels (/ladder admins lists them).")


def cycle_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    """/ladder cycle opens a new cycle; /ladder cycle NAME edits that one."""
    team_id, user_id = team_and_user(context, body)
    _admin_only(context, team_id, user_id)
    name = " ".join(str(body.get("text") or "").split()[1:]).strip()
    cycle = board_of(context).cycles.named(team_id, name) if name else None
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=views.cycle_modal(cycle))


def cycle_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    team_id, user_id = team_and_user(context, body)
    _admin_only(context, team_id, user_id)
    answers = CycleAnswers.from_fields(values_of(view))
    answers.missing()
    cycles = board_of(context).cycles
    existing = read_metadata(view.get("private_metadata")).get("cycle")
    dates = {key: answers.dates[key] for key in form.CYCLE_DATES}
    if isinstance(existing, int):
        cycle = cycles.repo.cycle(team_id, existing)
        if cycle is None:
            raise NotFound("That cycle is gone.")
        saved = cycles.edit(
            team_id, cycle.name, by=user_id, appeal_days=answers.appeal_days, review_cap=answers.review_cap, **dates
        )
    else:
        saved = cycles.create(
            team_id, answers.name, CycleDates(**dates, appeal_days=10 if answers.appeal_days is None else answers.appeal_days),  # type: ignore[arg-type]  # the form's dates, checked present by answers.missing()
            by=user_id, review_cap=answers.review_cap or 5,
        )  # fmt: skip
    view_of = cycles.view(saved)
    line = (
        f"{saved.name}: nominations open {saved.opens_on:%d %b %Y}, peer reviews due {saved.reviews_due_on:%d %b %Y}, panel from "
        f"{saved.panel_from:%d %b %Y}, decisions {saved.decisions_on:%d %b %Y}, appeals until {view_of.appeals_close_on:%d %b %Y}."
    )
    ack(response_action="update", view=views.cycle_saved(line, cycles.overlaps(saved)))


def panel_command(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    team_id, user_id = team_and_user(context, body)
    _admin_only(context, team_id, user_id)
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=views.panel_modal(services_of(context).framework_for(team_id)))


def _people_only(client: WebClient, chair: str, members: list[str]) -> None:
    """A chair and members Slack knows as active people (the user picker offers apps too)."""
    unusable = unusable_people(client, [chair, *members])
    problems = {
        field: "Pick people who work here: " + "; ".join(f"{u}: {why}" for u, why in found.items())
        for field, found in (
            (form.CHAIR, {u: w for u, w in unusable.items() if u == chair}),
            (form.MEMBERS, {u: w for u, w in unusable.items() if u != chair}),
        )
        if found
    }
    if problems:
        raise InvalidAnswers(problems)


def panel_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    team_id, user_id = team_and_user(context, body)
    values = values_of(view)
    scope = Scope(*(tuple(values.get(key) or ()) for key in (form.FAMILIES, form.TRACKS, form.LEVELS)))
    chair = values.get(form.CHAIR)
    if not chair:
        raise InvalidAnswers({form.CHAIR: "Pick the chair."})
    members = [str(m) for m in values.get(form.MEMBERS) or []]
    channel = values.get(form.CHANNEL)
    # Slack is asked first, before this request's first read of the database: on SQLite that read takes the write lock,
    # which no one else should wait on while Slack answers.
    _people_only(client, str(chair), members)
    facts = channel_facts(client, str(channel)) if channel else None
    _admin_only(context, team_id, user_id)
    panels = board_of(context).docket.panels
    setup = panels.create(
        team_id, str(values.get(form.PANEL_NAME) or ""), chair=str(chair), members=members,
        channel=channel, scope=scope, by=user_id, kind=APPEAL if "appeal" in (values.get(form.PANEL_KIND) or []) else REVIEW,
        channel_facts=facts,
    )  # fmt: skip
    ack(
        response_action="update",
        view=views.panel_saved(setup.panel.name, len(setup.members), scope.describe(panels.framework), setup.warnings),
    )
