"""Block Kit for self-identification: the "Help audit fairness" modal and what it says once saved.

Each question is an optional select of its choices, "Prefer not to say" and "No answer"; an option's value is its
choice's place in the question (choices may be longer than Slack's option values), so what comes back is mapped to the
framework's own spelling here, and anything else is refused.
"""

from __future__ import annotations

from typing import Any, Mapping

from slack_sdk.models.blocks import Block, CheckboxesElement, InputBlock, StaticSelectElement

from bot.fairness.self_id import PREFER_NOT_TO_SAY, SelfIdForm
from bot.framework.model import SelfIdQuestion
from messages.blocks import modal_view, option, plain, section
from messages.ids import FairnessIds
from messages.render import Renderer

PREFER_TEXT = "Prefer not to say"
NO_ANSWER, NO_ANSWER_TEXT = "none", "No answer"
CLEAR = "clear"


def _choice_value(index: int) -> str:
    return f"c{index}"


def self_id_modal(renderer: Renderer, form: SelfIdForm, **extra: Any) -> dict[str, Any]:
    blocks: list[Block] = [section(renderer.prose("fairness_self_id", min_group_size=form.min_group_size))]
    for question in form.questions:
        options = [option(choice, _choice_value(i)) for i, choice in enumerate(question.choices)]
        options += [option(PREFER_TEXT, PREFER_NOT_TO_SAY), option(NO_ANSWER_TEXT, NO_ANSWER)]
        current = _value_of(question, form.answers.get(question.id))
        initial = next((o for o in options if o.value == current), None)
        blocks.append(
            InputBlock(
                block_id=question.id, label=plain(question.question, 2000), optional=True,
                element=StaticSelectElement(
                    action_id=FairnessIds.INPUT, options=options, initial_option=initial, placeholder=plain(NO_ANSWER_TEXT)
                ),
            )
        )  # fmt: skip
    clear = option("Clear all my answers", CLEAR)
    blocks.append(
        InputBlock(
            block_id=FairnessIds.CLEAR, label=plain("Clear", 2000), optional=True,
            element=CheckboxesElement(action_id=FairnessIds.INPUT, options=[clear]),
        )
    )  # fmt: skip
    return modal_view("Help audit fairness", blocks, callback_id=FairnessIds.MODAL, submit="Save", **extra)


def _value_of(question: SelfIdQuestion, answer: str | None) -> str | None:
    """The option value that shows ``answer``; None for no answer, or one the question no longer offers."""
    if answer == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    return next((_choice_value(i) for i, choice in enumerate(question.choices) if choice == answer), None)


def answers_from(values: Mapping[str, Any], questions: tuple[SelfIdQuestion, ...]) -> tuple[dict[str, str | None], bool]:
    """The submitted answers (attribute → choice, :data:`PREFER_NOT_TO_SAY`, or None for no answer) and whether the
    person asked to clear them all. A value no option carries (a forged payload) is kept as given, for the service to
    refuse beside its question."""
    answers: dict[str, str | None] = {}
    for question in questions:
        value = values.get(question.id)
        if value is None or value == NO_ANSWER:
            answers[question.id] = None
        elif value == PREFER_NOT_TO_SAY:
            answers[question.id] = PREFER_NOT_TO_SAY
        else:
            choices = {_choice_value(i): choice for i, choice in enumerate(question.choices)}
            answers[question.id] = choices.get(str(value), f"not offered: {str(value)[:40]}")
    return answers, CLEAR in (values.get(FairnessIds.CLEAR) or [])


def saved_view(renderer: Renderer, *, answered: int, cleared: bool) -> dict[str, Any]:
    text = renderer.prose("fairness_self_id_saved", answered=answered, cleared=cleared)
    return modal_view("Help audit fairness", [section(text)], callback_id=FairnessIds.SAVED, close="Done")
