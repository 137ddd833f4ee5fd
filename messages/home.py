"""The App Home tab: a person's career control panel, built from :class:`bot.home.Home`, always within Slack's 100 blocks."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.checkins.schedule import WEEKDAY_NAMES, Cadence
from bot.framework.model import Framework
from bot.home import Home, latest_ratings
from messages.blocks import context, esc, finish_view, metadata, modal_view, plain, section, who
from messages.checkins import CADENCE_NAMES, when
from messages.escape import truncate
from messages.ids import CheckinIds, FairnessIds, HomeIds, MentorIds, PreferenceIds, StretchIds
from messages.nominations import nominations_list

MAX_HOME_BLOCKS = 100
EXPECTATION_CHARS = 400
INTERESTS_SHOWN = 5


def home_view(framework: Framework, home: Home, names: dict[str, str]) -> dict[str, Any]:
    groups = [
        _overview(framework, home),
        _expectations(framework, home),
        _plan(framework, home, names),
        _promotions(framework, home),
        _checkins(home),
        _shared_with_me(home),
        _mentoring(home),
        _posted(home, names),
        _admin(home),
    ]
    blocks: list[Block] = []
    left_out = False
    for group in groups:
        if not group:
            continue
        if len(blocks) + len(group) > MAX_HOME_BLOCKS - 1:
            left_out = True
            continue  # a later, shorter section (pending requests, failed deliveries) may still fit
        blocks += group
    if left_out:
        blocks.append(context("There is more than fits here; some of it is left out."))
    return finish_view(View(type="home", blocks=blocks))


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=plain(text, 150))


def _overview(framework: Framework, home: Home) -> list[Block]:
    target = home.target
    if target.current is None:
        where = (
            "Your level is not recorded in Ladder yet. Ask your Ladder admin to add it; until then, ask about any level below."
        )
    else:
        nxt = (
            f" Next: *{esc(target.level.title)}*."
            if target.level and target.level.id != target.current.id
            else " You are at the top of this track."
        )
        track = framework.track(target.current.track_id)
        where = f"*{esc(target.current.title)}* on the {esc(track.name if track else target.current.track_id)} track.{nxt}"
    schedule = home.schedule
    if home.cadence is Cadence.OFF:
        plan = "Check-ins are off."
    else:
        plan = f"Check-ins: {CADENCE_NAMES[home.cadence].lower()}, on {WEEKDAY_NAMES[schedule.weekday]}s at 10:00 your time."
        if schedule.next_prompt_at and schedule.timezone:
            plan += f" Next: {when(schedule.next_prompt_at, schedule.timezone)}."
    if schedule.away_start and schedule.away_end:
        plan += f" Away {schedule.away_start:%d %b} – {schedule.away_end:%d %b %Y}."
    actions = ActionsBlock(
        block_id=HomeIds.ACTIONS,
        elements=[
            ButtonElement(text=plain("Check in now"), action_id=CheckinIds.START, value=metadata(key=""), style="primary"),
            ButtonElement(text=plain("Cadence or away"), action_id=PreferenceIds.OPEN),
            ButtonElement(text=plain("Mentoring" if home.mentor_offer else "Be a mentor"), action_id=MentorIds.OPEN),
            ButtonElement(text=plain("Post a stretch opportunity"), action_id=StretchIds.OPEN),
            ButtonElement(text=plain("Ask a question"), action_id=HomeIds.ASK),
            ButtonElement(text=plain("My data"), action_id=HomeIds.MY_DATA),
        ],
    )
    if framework.fairness.questions:  # self-identification, unless the framework turns it off
        actions.elements.append(ButtonElement(text=plain("Help audit fairness"), action_id=FairnessIds.OPEN))
    return [_header("Your career"), section(where), context(plan), actions]


def _expectations(framework: Framework, home: Home) -> list[Block]:
    level = home.target.level
    if level is None or not home.target.competencies:
        return []
    ratings = latest_ratings(home)
    blocks: list[Block] = [DividerBlock(), _header(f"What {level.title} asks")]
    for competency in home.target.competencies:
        rating = framework.rating(ratings.get(competency.id, ""))
        you = f"You: *{esc(rating.label)}*" if rating else "You: not rated yet"
        expectation = truncate(level.expectations.get(competency.id, ""), EXPECTATION_CHARS)
        blocks.append(section(f"*{esc(competency.name)}* · {you}\n{esc(expectation)}"))
    return blocks


def _plan(framework: Framework, home: Home, names: dict[str, str]) -> list[Block]:
    plan = home.plan
    if plan.target is None:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Your growth plan")]
    if plan.panel_next:
        when = f" ({plan.panel_decided_on:%d %B %Y})" if plan.panel_decided_on else ""
        lines = [f"• *{esc(c.name)}*: {esc(truncate(text, 500))}" for c, text in plan.panel_next]
        blocks.append(section(f"*What's next, from the review panel{when}*\n" + "\n".join(lines)))
    if not plan.rated:
        blocks.append(
            section(
                "Check in to rate yourself against your next level: your plan then shows your biggest gaps and who could help."
            )
        )
        return blocks
    if not plan.gaps:
        blocks.append(
            section(
                "You rate yourself as meeting every expectation of your next level. Talk to your manager about a promotion case."
            )
        )
        return blocks
    for gap in plan.gaps:
        rating = f"you: {esc(gap.rating.label)}" if gap.rating else "not rated yet"
        lines = [f"*{esc(gap.competency.name)}* ({rating})", esc(truncate(gap.expectation, EXPECTATION_CHARS))]
        if gap.own_words:
            lines.append(f"_In your words:_ {esc(truncate(gap.own_words, 500))}")
        blocks.append(section("\n".join(lines)))
        buttons = [
            ButtonElement(
                text=plain(f"Ask {names.get(m) or 'a mentor'} to mentor you", 75), action_id=f"{MentorIds.REQUEST}:{gap.competency.id}:{m}",
                value=metadata(mentor=m, competency=gap.competency.id),
            )
            for m in gap.mentors
        ]  # fmt: skip
        for opportunity in gap.opportunities:
            blocks.append(
                context(
                    f"Stretch: *{esc(opportunity.title)}*, {opportunity.starts_on:%d %b} – {opportunity.ends_on:%d %b %Y}, posted by {who(opportunity.poster)}"
                )
            )
            if opportunity.id in home.interested_in:
                blocks.append(context("You said you are interested; the poster has been told."))
            else:
                buttons.append(
                    ButtonElement(
                        text=plain(f"Interested: {opportunity.title}", 75), action_id=f"{StretchIds.INTERESTED}:{gap.competency.id}:{opportunity.id}",
                        value=metadata(assignment=opportunity.id),
                    )
                )  # fmt: skip
        if buttons:
            blocks.append(ActionsBlock(elements=buttons[:25]))
    has_mentor = any(m.status == "accepted" and m.mentee == home.user_id for m in home.mentorships)
    if not has_mentor and not any(gap.mentors or gap.opportunities for gap in plan.gaps):
        blocks.append(
            context("No mentor who opted in, nor open stretch work, matches these gaps yet: ask your manager about one.")
        )
    return blocks


def _promotions(framework: Framework, home: Home) -> list[Block]:
    listed = nominations_list(framework, home.promotions, buttons=True)
    return [DividerBlock(), _header("Promotions"), *listed] if listed else []


def _checkins(home: Home) -> list[Block]:
    if not home.recent:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Your last check-ins")]
    for checkin in home.recent:
        shared = f"shared with {who(checkin.shared_with)}" if checkin.shared_with else "private"
        blocks.append(context(f"*{checkin.submitted_at:%d %b %Y}* · {shared} · goals: {esc(truncate(checkin.goals, 300))}"))
    if home.checkin_count > len(home.recent):
        blocks.append(context(f"{home.checkin_count} check-ins in all."))
    return blocks


def _shared_with_me(home: Home) -> list[Block]:
    if not home.shared_with_me:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Shared with you")]
    for checkin in home.shared_with_me:
        blocks.append(
            context(f"{who(checkin.user_id)} · *{checkin.submitted_at:%d %b %Y}* · goals: {esc(truncate(checkin.goals, 300))}")
        )
    return blocks


def _mentoring(home: Home) -> list[Block]:
    offer = home.mentor_offer
    if not home.mentorships and offer is None:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Mentoring")]
    if offer is not None:
        status = "open to new mentees" if offer.active else "not taking new mentees"
        blocks.append(context(f"You offer mentoring ({status}, up to {offer.capacity} at a time)."))
    for pair in home.mentorships:
        if pair.status == "accepted":
            text = f"You mentor {who(pair.mentee)}." if pair.mentor == home.user_id else f"{who(pair.mentor)} mentors you."
            blocks.append(section(text))
        elif pair.mentor == home.user_id:
            value = metadata(mentorship=pair.id)
            blocks.append(section(f"{who(pair.mentee)} asked you to be their mentor."))
            blocks.append(
                ActionsBlock(
                    elements=[
                        ButtonElement(
                            text=plain("Accept"), action_id=f"{MentorIds.ACCEPT}:{pair.id}", value=value, style="primary"
                        ),
                        ButtonElement(text=plain("Decline"), action_id=f"{MentorIds.DECLINE}:{pair.id}", value=value),
                    ]
                )
            )
        else:
            blocks.append(context(f"You asked {who(pair.mentor)} to mentor you; waiting for an answer."))
    return blocks


def _posted(home: Home, names: dict[str, str]) -> list[Block]:
    if not home.posted:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Stretch opportunities you posted")]
    for posted in home.posted:
        a = posted.assignment
        taken = next((i for i in posted.interests if i.status == "taken"), None)
        if taken:
            status = f"given to {who(taken.user_id)}"
        elif posted.interests:
            status = "interested: " + ", ".join(who(i.user_id) for i in posted.interests[:INTERESTS_SHOWN])
            if len(posted.interests) > INTERESTS_SHOWN:
                status += f" and {len(posted.interests) - INTERESTS_SHOWN} more"
        else:
            status = "nobody interested yet" if a.status == "open" else "closed"
        blocks.append(section(f"*{esc(a.title)}* ({a.starts_on:%d %b} – {a.ends_on:%d %b %Y}) · {status}"))
        if not taken and posted.interests and a.status == "open":
            blocks.append(
                ActionsBlock(
                    elements=[
                        ButtonElement(
                            text=plain(f"Give it to {names.get(i.user_id) or i.user_id}", 75),
                            action_id=f"{StretchIds.GIVE}:{i.id}",
                            value=metadata(interest=i.id),
                        )
                        for i in posted.interests[:INTERESTS_SHOWN]
                    ]
                )
            )
    return blocks


def _admin(home: Home) -> list[Block]:
    if not home.is_admin or not home.failed_deliveries:
        return []
    blocks: list[Block] = [DividerBlock(), _header("Deliveries that failed")]
    for message in home.failed_deliveries:
        blocks.append(
            context(
                f"{message.due_at:%d %b %Y %H:%M} UTC · {esc(message.purpose)} to {who(message.recipient)} · Slack said `{esc(message.error or '')}`"
            )
        )
    return blocks


def ask_modal() -> dict[str, Any]:
    question = InputBlock(
        block_id=HomeIds.QUESTION, label=plain("Your question", 2000), hint=plain("For example: what does Staff mean?", 2000),
        element=PlainTextInputElement(action_id=HomeIds.INPUT, max_length=500),
    )  # fmt: skip
    return modal_view("Ask Ladder", [question], callback_id=HomeIds.ASK_MODAL, submit="Ask", close="Close")


def answer_view(question: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer shown in the same modal (``response_action: update``)."""
    answer = [context(f"You asked: {esc(question)}"), *[_as_block(b) for b in blocks]]
    return modal_view("Ask Ladder", answer, callback_id=HomeIds.ASK_MODAL + "_answer", close="Done")


def _as_block(block: dict[str, Any]) -> Block:
    parsed = Block.parse(block)
    assert parsed is not None
    return parsed
