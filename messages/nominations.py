"""Block Kit for nominations, peer reviews and the evidence log: the modals, the direct messages and the lists.

Every modal says who will be able to read what is typed into it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    DividerBlock,
    OptionGroup,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)

from bot.framework.model import Competency, Framework, Level
from bot.nominations import form
from bot.nominations.evidence import COMPETENCIES, NOTE, SUBJECT
from bot.nominations.form import CONFLICT_KINDS, PORTFOLIO_KINDS, RECOMMENDATIONS
from bot.nominations.service import Promotions
from bot.nominations.stages import (
    COLLECTING,
    DECIDED,
    DECLINED,
    DRAFT,
    EXPIRED,
    PUBLISHED,
    READY,
    REQUESTED,
    SUBMITTED,
    WITHDRAWN,
)
from messages.blocks import (
    context,
    esc,
    finish_message,
    input_block,
    metadata,
    modal_view,
    option,
    plain,
    section,
    text_input,
    who,
)
from messages.escape import truncate
from messages.ids import EvidenceIds, NominationIds, ReviewIds
from messages.records import CycleRecord, EvidenceRecord, NominationRecord, ReviewRequestRecord
from messages.render import Message

STAGES = {
    DRAFT: "draft", COLLECTING: "collecting reviews", READY: "ready for the panel", DECIDED: "decided by the panel",
    PUBLISHED: "decision published", WITHDRAWN: "withdrawn",
}  # fmt: skip
EVIDENCE_OFFERED = 10
"""Logged evidence offered on the case page: the newest ten (a checkbox group holds ten)."""
PANEL_ONLY = "Read by the review panel only."


def due(day: date | None) -> str:
    return f"{day.day} {day:%B %Y} (end of that day anywhere on Earth)" if day else "no due date yet"


def level_title(framework: Framework, level_id: str) -> str:
    level = framework.level(level_id)
    return level.title if level else level_id


# -- starting a nomination ---------------------------------------------------------------------------------------


def start_modal(framework: Framework, cycles: Sequence[CycleRecord], *, nominee: str | None = None) -> dict[str, Any]:
    next_option = option("Their next level, on their current track", form.NEXT_LEVEL)
    groups = [
        OptionGroup(label=plain(track.name, 75), options=[option(level.title, level.id) for level in track.levels][:100])
        for track in framework.tracks
    ]
    groups.insert(0, OptionGroup(label=plain("Default", 75), options=[next_option]))
    cycle_options = [option(c.name, str(c.id)) for c in cycles]
    blocks: list[Block] = [
        context(":lock: A nomination is confidential: reviews are read by the review panel, never by the person nominated."),
        input_block(form.NOMINEE, "Who are you nominating?", UserSelectElement(action_id=NominationIds.INPUT, initial_user=nominee)),
        input_block(
            form.TARGET, "For which level", StaticSelectElement(action_id=NominationIds.INPUT, option_groups=groups[:100], initial_option=next_option),
            hint="A level on the other track is a track switch: it need not be higher.",
        ),
        input_block(form.CYCLE, "Promotion cycle", StaticSelectElement(action_id=NominationIds.INPUT, options=cycle_options, initial_option=cycle_options[0])),
        context("Next: the case, competency by competency, the portfolio and the peer reviewers."),
    ]  # fmt: skip
    return modal_view("Nominate", blocks, callback_id=NominationIds.START_MODAL, submit="Next")


def case_modal(
    framework: Framework,
    nomination: NominationRecord,
    *,
    competencies: Sequence[Competency],
    cycle: CycleRecord,
    offered: Sequence[EvidenceRecord],
    has_draft: bool,
) -> dict[str, Any]:
    level = framework.level(nomination.target_level)
    current = framework.level(nomination.from_level)
    switch = " (a track switch)" if nomination.track_switch else ""
    blocks: list[Block] = [
        section(
            f"Nominating {who(nomination.nominee)} from *{esc(current.title if current else nomination.from_level)}* "
            f"to *{esc(level.title if level else nomination.target_level)}*{switch} in {esc(cycle.name)}."
        ),
        context(
            ":lock: What you write here is read by the review panel. The person nominated sees that the nomination exists and its "
            "stage, never the reviews. Close this window at any time: what you typed is kept as a draft."
        ),
    ]
    if has_draft:
        blocks.append(context("We kept your draft."))
    blocks.append(section("*The case*, competency by competency: what they did, in the past tense, against each expectation."))
    for competency in competencies:
        expectation = level.expectations.get(competency.id, "") if level else ""
        blocks.append(
            input_block(
                form.case_field(competency.id), competency.name, text_input(nomination.case.get(competency.id, "")),
                hint=truncate(expectation, 2000) if expectation else None, optional=True,
            )
        )  # fmt: skip
    blocks += [DividerBlock(), section("*Portfolio*: one item per line, with a link where there is one.")]
    ticked = {p.get("evidence_id") for p in nomination.portfolio}
    evidence = [option(truncate(item.note, 75), str(item.id)) for item in offered[:EVIDENCE_OFFERED]]
    if evidence:
        blocks.append(
            input_block(
                form.EVIDENCE, "From their evidence log",
                CheckboxesElement(action_id=NominationIds.INPUT, options=evidence, initial_options=[o for o in evidence if int(o.value) in ticked] or None),
                optional=True, hint="Saved from Slack messages with the 'Save as evidence' shortcut.",
            )
        )  # fmt: skip
    typed = {kind: "\n".join(p["text"] for p in nomination.portfolio if p.get("kind") == kind) for kind in PORTFOLIO_KINDS}
    for kind, label in PORTFOLIO_KINDS.items():
        blocks.append(input_block(form.portfolio_field(kind), label, text_input(typed[kind]), optional=True))
    blocks.append(
        input_block(
            form.REVIEWERS, "Peer reviewers",
            UserMultiSelectElement(action_id=NominationIds.INPUT, initial_users=list(nomination.reviewers) or None, max_selected_items=form.MAX_REVIEWERS),
            hint=f"{form.MIN_REVIEWERS} to {form.MAX_REVIEWERS} people who saw the work. Each gets a direct message asking for a review.",
        )
    )  # fmt: skip
    return modal_view(
        "Nominate",
        blocks,
        callback_id=NominationIds.CASE_MODAL,
        submit="Submit",
        close="Later",
        notify_on_close=True,
        private_metadata=metadata(nomination=nomination.id),
    )


def submitted_notice(framework: Framework, nomination: NominationRecord) -> Message:
    text = (
        f"Nomination submitted: {who(nomination.nominee)} for *{esc(level_title(framework, nomination.target_level))}*. "
        f"{len(nomination.reviewers)} reviewers have been asked; reviews are due {due(nomination.reviews_due_on)}. "
        "You will be told when they are in. Follow it with /ladder nominations or on Ladder's Home tab."
    )
    return finish_message("Nomination submitted", [section(text)])


def not_a_mention(text: str) -> str:
    return (
        f"I could not tell who “{esc(text)}” is. Type @ and pick the person from the list (/ladder nominate @name), "
        "or just /ladder nominate and pick them in the form."
    )


# -- messages about a nomination ---------------------------------------------------------------------------------


def review_request(framework: Framework, nomination: NominationRecord, *, reminder: bool) -> Message:
    value = metadata(nomination=nomination.id)
    level = level_title(framework, nomination.target_level)
    lead = "A reminder: your review" if reminder else "You have been asked for a peer review"
    linking = " is due" if reminder else ", due"
    text = f"{lead} of {who(nomination.nominee)}'s nomination for *{esc(level)}*{linking} {due(nomination.reviews_due_on)}."
    buttons = ActionsBlock(
        elements=[
            ButtonElement(text=plain("Write review"), action_id=ReviewIds.WRITE, value=value, style="primary"),
            ButtonElement(text=plain("Decline"), action_id=ReviewIds.DECLINE, value=value),
        ]
    )
    note = context(
        ":lock: Your review is read by the review panel only: never by the person nominated, nor by who nominated them."
    )
    return finish_message("Peer review requested" if not reminder else "Peer review reminder", [section(text), note, buttons])


def nominated(framework: Framework, nomination: NominationRecord) -> Message:
    text = (
        f"{who(nomination.nominator)} nominated you for *{esc(level_title(framework, nomination.target_level))}*. "
        f"Peer reviews are due {due(nomination.reviews_due_on)}; then a review panel decides. "
        "You can follow its stage with /ladder nominations or on Ladder's Home tab."
    )
    return finish_message("You were nominated for promotion", [section(text)])


def withdrawn(framework: Framework, nomination: NominationRecord) -> Message:
    text = f"Your nomination for *{esc(level_title(framework, nomination.target_level))}* was withdrawn."
    return finish_message("Nomination withdrawn", [section(text)])


def review_cancelled(nomination: NominationRecord) -> Message:
    text = f"The nomination of {who(nomination.nominee)} you were asked to review was withdrawn: no review is needed."
    return finish_message("Review no longer needed", [section(text)])


def review_declined(nomination: NominationRecord, reviewer: str, reason: str) -> Message:
    text = f"{who(reviewer)} declined to review {who(nomination.nominee)}'s nomination: _{esc(truncate(reason, 500))}_"
    button = ActionsBlock(
        elements=[
            ButtonElement(
                text=plain("Name a replacement"), action_id=NominationIds.REPLACE, style="primary",
                value=metadata(nomination=nomination.id, declined=reviewer),
            )
        ]
    )  # fmt: skip
    return finish_message("A reviewer declined", [section(text), button])


def reviews_in(
    framework: Framework, nomination: NominationRecord, requests: Sequence[ReviewRequestRecord], *, closed: bool
) -> Message:
    written = sum(r.status == SUBMITTED for r in requests)
    asked = sum(r.status in (SUBMITTED, EXPIRED, REQUESTED) for r in requests)
    level = esc(level_title(framework, nomination.target_level))
    if closed:
        text = f"Reviews for {who(nomination.nominee)}'s nomination for *{level}* closed: {written} of {asked} came in. It goes to the review panel as it is."
    else:
        text = f"All reviews are in for {who(nomination.nominee)}'s nomination for *{level}* ({written}). It is ready for the review panel."
    return finish_message("Reviews closed" if closed else "All reviews are in", [section(text)])


def replace_modal(nomination_id: int, declined: str) -> dict[str, Any]:
    blocks: list[Block] = [
        section(f"{who(declined)} declined. Who should review in their place?"),
        input_block(form.REPLACEMENT, "Reviewer", UserSelectElement(action_id=NominationIds.INPUT)),
    ]
    return modal_view(
        "Replace a reviewer", blocks, callback_id=NominationIds.REPLACE_MODAL, submit="Ask them",
        private_metadata=metadata(nomination=nomination_id, declined=declined),
    )  # fmt: skip


# -- the review ---------------------------------------------------------------------------------------------------


def review_modal(
    framework: Framework,
    nomination: NominationRecord,
    level: Level | None,
    competencies: Sequence[Competency],
    request: ReviewRequestRecord,
) -> dict[str, Any]:
    ratings = [option(r.label, r.id, r.anchor or None) for r in framework.rubric]
    blocks: list[Block] = [
        section(f"Your review of {who(nomination.nominee)} for *{esc(level.title if level else nomination.target_level)}*, due {due(nomination.reviews_due_on)}."),
        context(f":lock: {PANEL_ONLY} The person nominated never sees who wrote which review, nor any rating or comment. You can edit it until the due date."),
    ]  # fmt: skip
    for competency in competencies:
        expectation = level.expectations.get(competency.id, "") if level else ""
        chosen = next((o for o in ratings if o.value == request.ratings.get(competency.id)), None)
        blocks.append(
            input_block(
                form.rating_field(competency.id), competency.name,
                RadioButtonsElement(action_id=ReviewIds.INPUT, options=ratings, initial_option=chosen),
                hint=truncate(expectation, 2000) if expectation else None,
            )
        )  # fmt: skip
        blocks.append(
            input_block(form.example_field(competency.id), f"{competency.name}: what you saw", text_input(request.examples.get(competency.id, "")), optional=True)
        )  # fmt: skip
    recommendations = [option(label, key) for key, label in RECOMMENDATIONS.items()]
    conflicts = [option(label, key) for key, label in CONFLICT_KINDS.items()]
    blocks += [
        input_block(
            form.RECOMMENDATION, "Overall recommendation",
            RadioButtonsElement(action_id=ReviewIds.INPUT, options=recommendations, initial_option=next((o for o in recommendations if o.value == request.recommendation), None)),
        ),
        input_block(
            form.CONFLICTS, "Conflicts of interest",
            CheckboxesElement(action_id=ReviewIds.INPUT, options=conflicts, initial_options=[o for o in conflicts if o.value in request.conflicts] or None),
            optional=True, hint="Recorded and shown to the review panel.",
        ),
        input_block(form.COMMENT, "Comment for the panel", text_input(request.comment), optional=True, hint=PANEL_ONLY),
    ]  # fmt: skip
    return modal_view(
        "Peer review",
        blocks,
        callback_id=ReviewIds.MODAL,
        submit="Save review",
        private_metadata=metadata(nomination=nomination.id),
    )


def review_saved(*, edited: bool) -> Message:
    text = "Review updated." if edited else "Thank you: your review is saved."
    return finish_message(text, [section(f"{text} You can edit it until the due date.")])


def decline_modal(nomination: NominationRecord) -> dict[str, Any]:
    blocks: list[Block] = [
        section(f"Decline to review {who(nomination.nominee)}'s nomination? The person who nominated them is told, with your reason, and can ask someone else."),
        input_block(form.DECLINE_REASON, "Why", text_input(placeholder="For example: I have not worked with them this year."), hint="Read by the person who started the nomination."),
    ]  # fmt: skip
    return modal_view(
        "Decline a review",
        blocks,
        callback_id=ReviewIds.DECLINE_MODAL,
        submit="Decline",
        private_metadata=metadata(nomination=nomination.id),
    )


def answered(text: str) -> Message:
    """What a request's message becomes once answered: no buttons left to press twice."""
    return finish_message(text, [section(esc(text))])


# -- lists -----------------------------------------------------------------------------------------------------------


def nominations_list(framework: Framework, promotions: Promotions, *, buttons: bool) -> list[Block]:
    """What the person started (stage, reviews in), reviews asked of them, and nominations of them (stage and dates)."""
    started, about, asked, requests = promotions.started, promotions.about, promotions.asked, promotions.requests
    blocks: list[Block] = []
    if asked:
        blocks.append(section("*Reviews asked of you*"))
        for nomination, request in asked:
            verb = "Edit review" if request.status == SUBMITTED else "Write review"
            line = f"{who(nomination.nominee)} for *{esc(level_title(framework, nomination.target_level))}*, due {due(nomination.reviews_due_on)}"
            line += " · written" if request.status == SUBMITTED else ""
            blocks.append(section(line))
            if buttons:
                blocks.append(
                    ActionsBlock(elements=[ButtonElement(text=plain(verb), action_id=f"{ReviewIds.WRITE}:{nomination.id}", value=metadata(nomination=nomination.id))])
                )  # fmt: skip
    if started:
        blocks.append(section("*Nominations you started*"))
        for nomination in started:
            blocks += _started(framework, nomination, requests.get(nomination.id or -1, []), buttons=buttons)
    if about:
        blocks.append(section("*Your nominations*"))
        for nomination in about:
            started_on = (nomination.submitted_at or nomination.created_at).date()
            blocks.append(
                context(
                    f"*{esc(level_title(framework, nomination.target_level))}* · {STAGES.get(nomination.stage, nomination.stage)} · "
                    f"started {started_on.day} {started_on:%B %Y}" + (f" · reviews due {due(nomination.reviews_due_on)}" if nomination.stage == COLLECTING else "")
                )
            )  # fmt: skip
    return blocks


def _started(
    framework: Framework, nomination: NominationRecord, requests: Sequence[ReviewRequestRecord], *, buttons: bool
) -> list[Block]:
    stage = STAGES.get(nomination.stage, nomination.stage)
    line = f"{who(nomination.nominee)} for *{esc(level_title(framework, nomination.target_level))}* · {stage}"
    if nomination.stage in (COLLECTING, READY):
        written = sum(r.status == SUBMITTED for r in requests)
        waiting = sum(r.status == REQUESTED for r in requests)
        line += f" · {written} review{'s' if written != 1 else ''} in, {waiting} awaited · due {due(nomination.reviews_due_on)}"
    declined = [r for r in requests if r.status == DECLINED and not r.replaced]
    if declined:
        line += " · declined: " + ", ".join(who(r.reviewer) for r in declined)
    blocks: list[Block] = [section(line)]
    if not buttons or nomination.stage in (WITHDRAWN, DECIDED, PUBLISHED):
        return blocks  # a decided nomination can no longer be withdrawn
    value = metadata(nomination=nomination.id)
    elements = []
    if nomination.stage == DRAFT:
        elements.append(
            ButtonElement(
                text=plain("Continue"), action_id=f"{NominationIds.CONTINUE}:{nomination.id}", value=value, style="primary"
            )
        )
    for request in declined[:3]:
        elements.append(
            ButtonElement(
                text=plain(f"Replace {request.reviewer}", 75), action_id=f"{NominationIds.REPLACE}:{nomination.id}:{request.reviewer}",
                value=metadata(nomination=nomination.id, declined=request.reviewer),
            )
        )  # fmt: skip
    elements.append(
        ButtonElement(
            text=plain("Discard draft" if nomination.stage == DRAFT else "Withdraw"), action_id=f"{NominationIds.WITHDRAW}:{nomination.id}", value=value,
            confirm=ConfirmObject(title="Withdraw this nomination?", text="Reviewers are told no review is needed. This cannot be undone.", confirm="Withdraw", deny="Keep it"),
        )
    )  # fmt: skip
    blocks.append(ActionsBlock(elements=elements))
    return blocks


def nominations_message(blocks: list[Block]) -> Message:
    if not blocks:
        blocks = [section("No nominations involve you yet. Start one with /ladder nominate @person.")]
    return finish_message("Your nominations", blocks)


# -- the evidence log -----------------------------------------------------------------------------------------------


def evidence_modal(
    framework: Framework, *, author: str, permalink: str | None, channel: str | None, ts: str | None
) -> dict[str, Any]:
    competencies = [option(c.name, c.id) for c in framework.competencies][:100]
    where = f"<{permalink}|this message>" if permalink else "this message"
    blocks: list[Block] = [
        section(f"Save {where} in an evidence log."),
        context(":lock: Visible to you and to the person it is about; offered to whoever nominates them for promotion (their manager chain, or themselves). Slack channel members never see it."),
        input_block(SUBJECT, "About whom", UserSelectElement(action_id=EvidenceIds.INPUT, initial_user=author), hint="Yourself, or someone who reports to you."),
        input_block(NOTE, "What it shows", text_input(placeholder="For example: led the incident review that changed our on-call process.")),
        input_block(COMPETENCIES, "Competencies", StaticMultiSelectElement(action_id=EvidenceIds.INPUT, options=competencies)),
    ]  # fmt: skip
    return modal_view(
        "Save as evidence", blocks, callback_id=EvidenceIds.MODAL, submit="Save",
        private_metadata=metadata(channel=channel, ts=ts),
    )  # fmt: skip


def evidence_list(
    framework: Framework, items: Sequence[EvidenceRecord], *, viewer: str, competency: Competency | None
) -> Message:
    title = f"Evidence log: {competency.name}" if competency else "Evidence log"
    if not items:
        hint = "Save a Slack message with its ⋮ menu → “Save as evidence”."
        return finish_message(
            title, [section(f"Nothing saved{' for ' + esc(competency.name) if competency else ''} yet. {hint}")]
        )
    blocks: list[Block] = [section(f"*{esc(title)}*, newest first")]
    for item in items[:40]:
        names = ", ".join(c.name for c in (framework.competency(i) for i in item.competencies) if c)
        about = "" if item.subject == viewer else f" · about {who(item.subject)}"
        by = "" if item.author == viewer else f" · saved by {who(item.author)}"
        link = f" · <{item.permalink}|message>" if item.permalink else ""
        delete = (
            ButtonElement(text=plain("Delete"), action_id=f"{EvidenceIds.DELETE}:{item.id}", value=metadata(evidence=item.id),
                          confirm=ConfirmObject(title="Delete this item?", text="It leaves the evidence log for good.", confirm="Delete", deny="Keep it"))
            if item.author == viewer else None
        )  # fmt: skip
        blocks.append(
            section(
                f"{esc(truncate(item.note, 500))}\n_{esc(names)}_ · {item.created_at:%d %b %Y}{about}{by}{link}", accessory=delete
            )
        )
    return finish_message(title, blocks)
