"""Block Kit for check-ins: the prompt, the modal, the preferences modal and the shared copy for a manager."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    DatePickerElement,
    DividerBlock,
    InputBlock,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.checkins import form
from bot.checkins.form import SUPPORT, CheckinAnswers
from bot.checkins.schedule import WEEKDAY_NAMES, Cadence, zone
from bot.framework.model import Competency, Framework, Level
from messages.blocks import context, esc, finish_message, metadata, modal_view, option, plain, section
from messages.escape import truncate
from messages.ids import CheckinIds, PreferenceIds
from messages.render import Message, Renderer

CADENCE_NAMES = {
    Cadence.WEEKLY: "Every week",
    Cadence.BIWEEKLY: "Every two weeks",
    Cadence.MONTHLY: "Every month",
    Cadence.QUARTERLY: "Every quarter",
    Cadence.OFF: "Off",
}
TEAM_DEFAULT = "default"


def prompt(renderer: Renderer, *, key: str, level_title: str | None) -> Message:
    value = metadata(key=key)
    actions = ActionsBlock(
        block_id=CheckinIds.PROMPT_ACTIONS,
        elements=[
            ButtonElement(text=plain("Start"), action_id=CheckinIds.START, value=value, style="primary"),
            ButtonElement(text=plain("Snooze a day"), action_id=CheckinIds.SNOOZE, value=value),
            ButtonElement(text=plain("Skip this time"), action_id=CheckinIds.SKIP, value=value),
            ButtonElement(
                text=plain("Turn off"), action_id=CheckinIds.TURN_OFF, value=value,
                confirm=ConfirmObject(title="Turn off check-ins?", text="You can turn them on again from Ladder's Home tab.", confirm="Turn off", deny="Keep them"),
            ),
        ],
    )  # fmt: skip
    return finish_message(
        "Time for your career check-in", [section(renderer.prose("checkin_prompt", level_title=level_title)), actions]
    )


def prompt_answered(text: str) -> Message:
    """What the prompt becomes once a button was pressed: the outcome, and no buttons to press twice."""
    return finish_message(text, [section(esc(text))])


def modal(
    framework: Framework,
    *,
    level: Level | None,
    competencies: Sequence[Competency],
    manager: str | None,
    draft: CheckinAnswers | None,
    key: str = "",
) -> dict[str, Any]:
    answers = draft or CheckinAnswers()
    blocks: list[Block] = [context(":lock: *Only you can see this unless you share it* with your manager at the end.")]
    if draft is not None:
        blocks.append(context("We kept what you typed last time."))
    if level is None:
        blocks.append(
            section(
                "Your level is not recorded in Ladder yet, so there is nothing to rate yourself against. Ask your Ladder admin to add it."
            )
        )
    else:
        blocks.append(section(f"Rate yourself against *{esc(level.title)}*, the expectations of your next level."))
    blocks.append(_text_input(form.WENT_WELL, "What went well since your last check-in?", answers.went_well))
    for competency in competencies:
        blocks += _rating_inputs(framework, competency, level, answers)
    blocks.append(_text_input(form.GOALS, "Your goals for the next period", answers.goals))
    blocks.append(_text_input(form.OBSTACLES, "Anything in the way?", answers.obstacles, optional=True))
    support = [option(label, kind) for kind, label in SUPPORT.items()]
    blocks.append(
        InputBlock(
            block_id=form.SUPPORT_WANTED, label=plain("Support you would like", 2000), optional=True,
            element=CheckboxesElement(action_id=CheckinIds.INPUT, options=support, initial_options=[o for o in support if o.value in answers.support] or None),
        )
    )  # fmt: skip
    share_option = option("Share this check-in with my manager", "share", "Off unless you tick it. Nobody else sees it.")
    blocks.append(
        InputBlock(
            block_id=form.SHARE, label=plain("Sharing", 2000), optional=True,
            hint=plain("A shared check-in reaches your manager as a direct message." if manager else "Ladder does not know your manager yet, so this stays private either way.", 2000),
            element=CheckboxesElement(action_id=CheckinIds.INPUT, options=[share_option], initial_options=[share_option] if answers.share else None),
        )
    )  # fmt: skip
    return modal_view(
        "Career check-in",
        blocks,
        callback_id=CheckinIds.MODAL,
        submit="Save",
        close="Later",
        notify_on_close=True,
        private_metadata=metadata(key=key),
    )


def _rating_inputs(framework: Framework, competency: Competency, level: Level | None, answers: CheckinAnswers) -> list[Block]:
    ratings = [option(r.label, r.id, r.anchor or None) for r in framework.rubric]
    chosen = next((o for o in ratings if o.value == answers.ratings.get(competency.id)), None)
    expectation = level.expectations.get(competency.id, "") if level else ""
    return [
        InputBlock(
            block_id=form.rating_field(competency.id), label=plain(competency.name, 2000),
            hint=plain(truncate(expectation, 2000), 2000) if expectation else None,
            element=RadioButtonsElement(action_id=CheckinIds.INPUT, options=ratings, initial_option=chosen),
        ),
        _text_input(form.note_field(competency.id), f"{competency.name}: in your own words", answers.notes.get(competency.id, ""), optional=True),
    ]  # fmt: skip


def _text_input(block_id: str, label: str, initial: str, *, optional: bool = False) -> InputBlock:
    return InputBlock(
        block_id=block_id, label=plain(label, 2000), optional=optional,
        element=PlainTextInputElement(action_id=CheckinIds.INPUT, multiline=True, max_length=form.MAX_TEXT, initial_value=initial or None),
    )  # fmt: skip


def answers_from(values: dict[str, Any]) -> CheckinAnswers:
    """The modal's state (block id → value) as check-in answers; the share checkbox becomes a yes or no."""
    fields = dict(values)
    fields[form.SHARE] = "share" in (values.get(form.SHARE) or [])
    return CheckinAnswers.from_fields(fields)


def saved(renderer: Renderer, *, shared_with: str | None) -> Message:
    return finish_message("Check-in saved", [section(renderer.prose("checkin_saved", shared_with=shared_with))])


def shared_copy(
    renderer: Renderer, framework: Framework, *, person: str, submitted_at: datetime, level: Level | None, answers: CheckinAnswers
) -> Message:
    """The direct message a manager gets when someone shares a check-in with them."""
    blocks: list[Block] = [
        section(
            renderer.prose(
                "checkin_shared",
                person=person,
                submitted_on=submitted_at.date().isoformat(),
                level_title=level.title if level else None,
            )
        ),
        section(f"*What went well*\n{esc(answers.went_well)}"),
    ]
    if answers.ratings:
        lines = []
        for competency_id, rating_id in answers.ratings.items():
            competency, rating = framework.competency(competency_id), framework.rating(rating_id)
            if competency and rating:
                note = answers.notes.get(competency_id)
                lines.append(f"*{esc(competency.name)}*: {esc(rating.label)}" + (f" — {esc(note)}" if note else ""))
        blocks.append(section("\n".join(lines)))
    blocks.append(section(f"*Goals*\n{esc(answers.goals)}"))
    if answers.obstacles:
        blocks.append(section(f"*In the way*\n{esc(answers.obstacles)}"))
    if answers.support:
        blocks.append(context("Would like: " + ", ".join(SUPPORT[s] for s in answers.support)))
    return finish_message("A check-in was shared with you", blocks)


def preferences_modal(*, cadence: str | None, default: Cadence, weekday: int, away: tuple[date, date] | None) -> dict[str, Any]:
    cadences = [option(f"Team default ({CADENCE_NAMES[default].lower()})", TEAM_DEFAULT)] + [
        option(name, c.value) for c, name in CADENCE_NAMES.items()
    ]
    weekdays = [option(name, str(i)) for i, name in enumerate(WEEKDAY_NAMES)]
    blocks: list[Block] = [
        InputBlock(
            block_id=PreferenceIds.CADENCE, label=plain("How often", 2000),
            element=StaticSelectElement(action_id=PreferenceIds.INPUT, options=cadences, initial_option=next(o for o in cadences if o.value == (cadence or TEAM_DEFAULT))),
        ),
        InputBlock(
            block_id=PreferenceIds.WEEKDAY, label=plain("On which day", 2000),
            hint=plain("Prompts arrive at 10:00 your time, on a working day.", 2000),
            element=StaticSelectElement(action_id=PreferenceIds.INPUT, options=weekdays, initial_option=weekdays[weekday]),
        ),
        DividerBlock(),
        section("*Away?* Prompts pause for these days and resume on their own afterwards."),
        InputBlock(
            block_id=PreferenceIds.AWAY_START, label=plain("Away from", 2000), optional=True,
            element=DatePickerElement(action_id=PreferenceIds.INPUT, initial_date=away[0].isoformat() if away else None),
        ),
        InputBlock(
            block_id=PreferenceIds.AWAY_END, label=plain("Last day away", 2000), optional=True,
            hint=plain("Prompts resume on the next working day after it.", 2000),
            element=DatePickerElement(action_id=PreferenceIds.INPUT, initial_date=away[1].isoformat() if away else None),
        ),
    ]  # fmt: skip
    return modal_view("Check-in schedule", blocks, callback_id=PreferenceIds.MODAL, submit="Save")


def when(moment: datetime, timezone: str) -> str:
    """A time as the person reads it: 'Tuesday 24 November, 10:00'."""
    local = moment.astimezone(zone(timezone))
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"
