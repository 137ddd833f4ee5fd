"""Block Kit for mentoring and stretch work: the opt-in and posting modals, and the messages they cause."""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    PlainTextInputElement,
    StaticMultiSelectElement,
    UserSelectElement,
)

from bot.framework.model import Competency, Framework
from messages.blocks import context, esc, finish_message, metadata, modal_view, option, plain, section, who
from messages.ids import MentorIds, StretchIds
from messages.render import Message


def _competency_options(competencies: Sequence[Competency]) -> list[Any]:
    return [option(c.name, c.id) for c in competencies[:100]]


def mentor_modal(framework: Framework, *, offered: Sequence[str], capacity: int, active: bool) -> dict[str, Any]:
    options = _competency_options(framework.competencies)
    active_option = option("I am open to new mentees", "active")
    blocks: list[Block] = [
        section("Offer to mentor people growing toward your level. Ladder suggests you for the competencies you pick, never to people you manage."),
        InputBlock(
            block_id=MentorIds.COMPETENCIES, label=plain("Competencies you can help with", 2000),
            element=StaticMultiSelectElement(action_id=MentorIds.INPUT, options=options, initial_options=[o for o in options if o.value in offered] or None),
        ),
        InputBlock(
            block_id=MentorIds.CAPACITY, label=plain("How many mentees at a time", 2000),
            element=NumberInputElement(action_id=MentorIds.INPUT, is_decimal_allowed=False, min_value="1", max_value="10", initial_value=str(capacity)),
        ),
        InputBlock(
            block_id=MentorIds.ACTIVE, label=plain("Availability", 2000), optional=True,
            element=CheckboxesElement(action_id=MentorIds.INPUT, options=[active_option], initial_options=[active_option] if active else None),
        ),
    ]  # fmt: skip
    return modal_view("Be a mentor", blocks, callback_id=MentorIds.MODAL, submit="Save")


def mentor_request(*, mentee: str, competency: Competency | None, mentorship_id: int) -> Message:
    value = metadata(mentorship=mentorship_id)
    about = f" with *{esc(competency.name)}*" if competency else ""
    return finish_message(
        "A mentoring request",
        [
            section(
                f"{who(mentee)} would like you as a mentor{about}. If you accept, Ladder sets up a check-in for the two of you every two weeks."
            ),
            ActionsBlock(
                block_id="mentor_request_actions",
                elements=[
                    ButtonElement(text=plain("Accept"), action_id=MentorIds.ACCEPT, value=value, style="primary"),
                    ButtonElement(text=plain("Decline"), action_id=MentorIds.DECLINE, value=value),
                ],
            ),
        ],
    )


def mentor_answered(*, mentee: str, accepted: bool) -> Message:
    text = (
        f"You are now mentoring {who(mentee)}. Ladder will prompt you both to check in."
        if accepted
        else f"You declined {who(mentee)}'s request."
    )
    return finish_message("Mentoring request answered", [section(text)])


def mentor_answer(*, mentor: str, accepted: bool) -> Message:
    text = (
        f"{who(mentor)} accepted: they are your mentor now. Ladder will prompt you both to check in every two weeks."
        if accepted
        else f"{who(mentor)} cannot take you on right now. Your growth plan on Ladder's Home tab suggests others."
    )
    return finish_message("Your mentoring request was answered", [section(text)])


def pair_checkin(*, other: str, mentee: bool) -> Message:
    role = "your mentor" if mentee else "your mentee"
    return finish_message(
        "Time for a mentoring check-in",
        [
            section(
                f"*Time for a mentoring check-in* with {role} {who(other)}: pick a time this week to talk about progress on the growth plan."
            )
        ],
    )


def stretch_modal(framework: Framework, *, today: date) -> dict[str, Any]:
    level_options = [option(level.title, level.id) for level in framework.levels[:100]]
    blocks: list[Block] = [
        InputBlock(block_id=StretchIds.TITLE, label=plain("What is it?", 2000), element=PlainTextInputElement(action_id=StretchIds.INPUT, max_length=150)),
        InputBlock(
            block_id=StretchIds.DESCRIPTION, label=plain("Details", 2000), optional=True,
            element=PlainTextInputElement(action_id=StretchIds.INPUT, multiline=True, max_length=3000),
        ),
        InputBlock(
            block_id=StretchIds.COMPETENCIES, label=plain("Competencies it grows", 2000),
            element=StaticMultiSelectElement(action_id=StretchIds.INPUT, options=_competency_options(framework.competencies)),
        ),
        InputBlock(
            block_id=StretchIds.LEVELS, label=plain("Levels it suits", 2000), optional=True, hint=plain("Leave empty for any level.", 2000),
            element=StaticMultiSelectElement(action_id=StretchIds.INPUT, options=level_options),
        ),
        InputBlock(block_id=StretchIds.STARTS_ON, label=plain("Starts", 2000), element=DatePickerElement(action_id=StretchIds.INPUT, initial_date=today.isoformat())),
        InputBlock(block_id=StretchIds.ENDS_ON, label=plain("Ends", 2000), element=DatePickerElement(action_id=StretchIds.INPUT)),
        InputBlock(
            block_id=StretchIds.CONTACT, label=plain("Who to contact", 2000), optional=True, hint=plain("You, if left empty.", 2000),
            element=UserSelectElement(action_id=StretchIds.INPUT),
        ),
    ]  # fmt: skip
    return modal_view("Stretch opportunity", blocks, callback_id=StretchIds.MODAL, submit="Post")


def stretch_posted(*, title: str) -> Message:
    return finish_message(
        "Stretch opportunity posted",
        [
            section(
                f"*{esc(title)}* is posted. Growth plans suggest it to people whose gaps it matches; you will hear from anyone interested."
            )
        ],
    )


def stretch_interest(*, person: str, title: str, interest_id: int) -> Message:
    return finish_message(
        "Someone is interested in your stretch opportunity",
        [
            section(f"{who(person)} is interested in *{esc(title)}*."),
            ActionsBlock(
                block_id="stretch_interest_actions",
                elements=[
                    ButtonElement(text=plain("Give it to them"), action_id=StretchIds.GIVE, value=metadata(interest=interest_id))
                ],
            ),
            context("Giving it closes the opportunity and records who took it."),
        ],
    )


def stretch_given(*, person: str, title: str) -> Message:
    return finish_message(
        "Stretch opportunity given", [section(f"*{esc(title)}* went to {who(person)}. The opportunity is closed.")]
    )


def stretch_yours(*, poster: str, contact: str, title: str, ends_on: date) -> Message:
    return finish_message(
        "A stretch opportunity is yours",
        [section(f"{who(poster)} gave you *{esc(title)}* (until {ends_on:%d %b %Y}). Talk to {who(contact)} to get started.")],
    )
