"""Block Kit for review panels: digests (the channel's part and each judge's own), the packet (a document and a
view), scoring, the chair's decision, what the nominee, their manager, the nominator and reviewers hear,
appeals, and the cycle report.

What goes to a channel never carries a rating, a comment, evidence or a score: only :func:`digest_private`,
the packet and the modals do, and the composer sends those to members who judge the nomination.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping, Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    NumberInputElement,
    OptionGroup,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)

from bot.framework.citation import cited
from bot.framework.model import Competency, Framework
from bot.nominations.form import RECOMMENDATIONS, rating_field
from bot.panels import form
from bot.panels.digest import Digest, Entry, in_level, packet_filename
from bot.panels.docket import Case
from bot.panels.judging import Spread
from bot.panels.report import CycleReport
from messages.blocks import (
    bullet_list,
    context,
    esc,
    finish_message,
    input_block,
    metadata,
    modal_view,
    option,
    plain,
    section,
    sections,
    text_input,
    who,
)
from messages.escape import truncate
from messages.ids import PanelIds
from messages.records import CycleRecord, DecisionRecord, ReviewRequestRecord, ScoreRecord
from messages.render import Message

PRIVATE_ENTRIES = 8
"""Nominations shown in full in one member's digest message (Slack's 50 blocks); the rest are in the channel's thread."""
JUDGES_ONLY = "Read only by the panel members who judge this nomination."


@dataclass(frozen=True)
class FileUpload:
    """A document to upload (files_upload_v2) instead of a message."""

    filename: str
    title: str
    content: str | bytes
    """Text, or the bytes of an image (a chart)."""
    comment: str = ""
    alt_text: str = ""
    """What the file shows, for a screen reader (an image's figures in words)."""


def _value(case: Case) -> str:
    return metadata(nomination=case.id)


def _levels(entry: Entry) -> str:
    current = entry.current.title if entry.current else entry.case.nomination.from_level
    target = entry.target.title if entry.target else entry.case.nomination.target_level
    switch = " _(track switch)_" if entry.case.nomination.track_switch else ""
    return f"*{esc(current)}* → *{esc(target)}*{switch}"


def _time_in_level(entry: Entry) -> str:
    shown = f"{in_level(entry.months_in_level)} in level"
    if entry.typical:
        shown += f" (typical: {esc(entry.typical)}" + (f"; {entry.against_typical})" if entry.against_typical else ")")
    return shown


def distribution(framework: Framework, counts: Mapping[str, int], shown: Callable[[str], str] = esc) -> str:
    """How many gave each rating, in the rubric's order: ``shown`` escapes the labels for Slack (a document: ``str``)."""
    return " · ".join(f"{shown(r.label)} {counts[r.id]}" for r in framework.rubric if counts.get(r.id)) or "no ratings"


def _recommendations(counts: Counter[str], labels: dict[str, str]) -> str:
    return " · ".join(f"{esc(labels.get(k, k))} {v}" for k, v in counts.most_common()) or "none"


# -- digests ---------------------------------------------------------------------------------------------------------


def digest_parent(digest: Digest, *, to_channel: bool) -> Message:
    cycle, entries = digest.cycle, digest.entries
    decided = sum(e.case.decision is not None for e in entries)
    lines = [
        f"*{len(entries)}* nomination{'s' if len(entries) != 1 else ''} before the panel in {esc(cycle.name)} "
        f"({esc(digest.phase.value)}); {decided} decided.",
    ]
    if cycle.decisions_on:
        lines.append(f"Decisions are published on {cycle.decisions_on:%A %d %B %Y}.")
    where = (
        "Each nomination is in this message's thread. Ratings, comments and scores reach each member who judges a "
        "nomination privately: never in this channel."
        if to_channel
        else "Your panel has no channel: each member who judges a nomination gets it privately."
    )
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"Review digest: {digest.panel.name}", 150)),
        section("\n".join(lines)),
        context(f"{where} Judged against the framework's {esc(digest.framework_citation)}."),
    ]
    return finish_message(f"Review digest for {digest.panel.name}: {len(entries)} nominations", blocks)


def digest_entry(entry: Entry) -> Message:
    """One nomination in the panel channel's thread: nothing a recused member may not read."""
    case = entry.case
    lines = [f"{who(case.nomination.nominee)}: {_levels(entry)}", _time_in_level(entry)]
    if entry.stage_flags:  # how its reviews went, and who is recused, only its judges read: a nominee may sit on the panel
        lines.append(esc("; ".join(entry.stage_flags)))
    value = _value(case)
    buttons = [
        ButtonElement(text=plain("Open packet"), action_id=PanelIds.PACKET, value=value),
        ButtonElement(text=plain("Score"), action_id=PanelIds.SCORE, value=value, style="primary"),
        ButtonElement(text=plain("Declare a conflict"), action_id=PanelIds.CONFLICT, value=value),
        ButtonElement(text=plain("Record decision"), action_id=PanelIds.DECIDE, value=value),
    ]
    note = context(
        f"Chair: {who(case.panel.chair if case.panel else None)}. The packet, the reviews and the scores open only to the "
        "members who judge this nomination, each in their own digest."
    )
    return finish_message(
        f"Nomination of {case.nomination.nominee}", [section("\n".join(lines)), note, ActionsBlock(elements=buttons)]
    )


def digest_private(
    framework: Framework, digest_entries: Sequence[Entry], recipient: str, *, panel_name: str, cycle_name: str
) -> Message:
    """One member's own digest: the nominations they judge, with what the channel must not show."""
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"Your review digest: {panel_name}", 150)),
        context(f":lock: {JUDGES_ONLY} {esc(cycle_name)}: you judge {len(digest_entries)} nomination{'s' if len(digest_entries) != 1 else ''}."),
    ]  # fmt: skip
    for entry in digest_entries[:PRIVATE_ENTRIES]:
        case = entry.case
        ratings = "\n".join(
            f"• {esc(e.competency.name)}: {distribution(framework, entry.ratings.get(e.competency.id, Counter()))}"
            for e in entry.evidence
        )
        mine = next((s for s in case.scores if s.panelist == recipient), None)
        status = "decided" if case.decision else ("you scored it" if mine else "not scored by you yet")
        text = (
            f"{who(case.nomination.nominee)}: {_levels(entry)} — {_time_in_level(entry)}\n"
            f"Peer ratings ({entry.reviews_in} of {entry.reviews_asked} reviews):\n{ratings}\n"
            f"Recommendations: {_recommendations(entry.recommendations, RECOMMENDATIONS)}"
        )
        if entry.conflicts:
            text += "\nConflicts declared by reviewers: " + "; ".join(
                f"{who(r)} ({esc(', '.join(c))})" for r, c in entry.conflicts
            )
        if entry.recused:
            text += "\n" + _recusals(entry)
        if entry.flags:
            text += "\nFlags: " + esc("; ".join(entry.flags))
        value = _value(case)
        buttons = [
            ButtonElement(text=plain("Open packet"), action_id=PanelIds.PACKET, value=value),
            ButtonElement(text=plain("Score"), action_id=PanelIds.SCORE, value=value, style="primary"),
            ButtonElement(text=plain("Declare a conflict"), action_id=PanelIds.CONFLICT, value=value),
        ]
        if case.chair == recipient:
            buttons.append(ButtonElement(text=plain("Record decision"), action_id=PanelIds.DECIDE, value=value))
        blocks += [DividerBlock(), section(text), context(f"Status: {status}."), ActionsBlock(elements=buttons)]
    rest = len(digest_entries) - PRIVATE_ENTRIES
    if rest > 0:
        blocks.append(context(f"{rest} more: open each from the panel channel's thread (Open packet, Score)."))
    return finish_message(f"Your review digest: {len(digest_entries)} nominations to judge", blocks)


def _recusals(entry: Entry) -> str:
    """Who may not judge a nomination and why: shown only where every reader judges it."""
    return "Recused: " + "; ".join(f"{who(m)} {esc(r.value)}" for m, r in entry.recused.items())


def stranded(framework: Framework, case: Case) -> Message:
    """To an admin: no panel covering a nomination has enough members free to judge it (no names of the recused)."""
    assert case.panel is not None and case.sitting is not None
    target = framework.level(case.nomination.target_level)
    text = (
        f"{who(case.nomination.nominee)}'s nomination for *{esc(target.title if target else case.nomination.target_level)}* "
        f"cannot be decided: after recusals only {len(case.sitting.judges)} member{'s' if len(case.sitting.judges) != 1 else ''} "
        f"of *{esc(case.panel.name)}* can judge it, the policy asks for {case.sitting.min_members}, and no other panel "
        "covering it has enough. Add members to the panel (`ladder panel edit`) or set up a panel that covers this level: "
        "it is then judged without anything more from you."
    )
    return finish_message("A nomination no panel can decide yet", [section(text)])


def appeal_unheard(framework: Framework, case: Case) -> Message:
    """To an admin: nobody free to hear an appeal is left (everyone on the panels decided it or has a stake in it)."""
    target = framework.level(case.nomination.target_level)
    text = (
        f"{who(case.nomination.nominee)}'s appeal of the decision on their nomination for "
        f"*{esc(target.title if target else case.nomination.target_level)}* has nobody free to hear it: everyone on the "
        "appeal panels decided it the first time or has a stake in it. Add members to an appeal panel "
        "(`ladder panel create … --appeal`, or `ladder panel edit`): it then goes to them without anything more from you."
    )
    return finish_message("An appeal nobody can hear yet", [section(text)])


# -- the packet --------------------------------------------------------------------------------------------------------

_documents = Environment(
    loader=PackageLoader("messages", "templates/documents"), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    autoescape=False,
)  # fmt: skip
_documents.filters["in_level"] = in_level


def packet(framework: Framework, entry: Entry, names: dict[str, str], *, today: date) -> FileUpload:
    """The full review packet as a Markdown document: it cites the framework edition it is judged against."""
    case = entry.case
    reviews = [r for r in case.requests if r.status == "submitted"]
    content = _documents.get_template("packet.md.j2").render(
        entry=entry, case=case, nomination=case.nomination, reviews=reviews, names=names, framework=framework,
        rubric={r.id: r.label for r in framework.rubric}, recommendations=RECOMMENDATIONS, today=today,
        distribution=lambda counts: distribution(framework, counts, str), cited=cited,
    )  # fmt: skip
    nominee = esc(names.get(case.nomination.nominee, case.nomination.nominee))
    target = esc(entry.target.title if entry.target else case.nomination.target_level)
    return FileUpload(
        filename=packet_filename(case.id), title=f"Review packet: {nominee} for {target}", content=content,
        comment=f"Review packet for {nominee} ({target}), judged against the framework's {esc(cited(case.nomination.framework_version, framework))}. {JUDGES_ONLY}",
    )  # fmt: skip


def packet_view(framework: Framework, entry: Entry, *, spread: Spread | None, may_reveal: bool = False) -> dict[str, Any]:
    """``spread``: the panel's scores, shown to whoever has read them already (or hears the appeal); ``may_reveal``: the
    viewer scored and may read them, which seals their score — so it takes a button, not a glance."""
    case = entry.case
    blocks: list[Block] = [
        section(f"{who(case.nomination.nominee)}: {_levels(entry)}\n{_time_in_level(entry)}"),
        context(f":lock: {JUDGES_ONLY} Framework {esc(cited(case.nomination.framework_version, framework))}."),
    ]
    if entry.recused:
        blocks.append(context(_recusals(entry)))
    blocks.append(section(f"*Evidence against {esc(entry.target.title if entry.target else '')}*"))
    for e in entry.evidence:
        blocks.append(
            section(
                f"*{esc(e.competency.name)}*\n_Expected:_ {esc(truncate(e.expectation, 600))}\n"
                f"_Case:_ {esc(truncate(e.case, 1200)) or 'nothing written'}\n"
                f"_Peer ratings:_ {distribution(framework, entry.ratings.get(e.competency.id, Counter()))}"
            )
        )
    blocks.append(section(f"*Recommendations:* {_recommendations(entry.recommendations, RECOMMENDATIONS)}"))
    for request in [r for r in case.requests if r.status == "submitted"][:6]:
        blocks.append(section(_review_text(request)))
    if spread is not None:
        blocks += [DividerBlock(), section(spread_text(framework, spread))]
    elif may_reveal:
        blocks += [DividerBlock(), _reveal(case)]
    else:
        blocks.append(context("The panel's scores open to you once your own is in."))
    return modal_view("Review packet", blocks, close="Done")


def _reveal(case: Case) -> SectionBlock:
    return section(
        "*The panel's scores* are open to you. Reading them seals your own score: it can no longer change after.",
        accessory=ButtonElement(text=plain("Read the scores"), action_id=PanelIds.SCORES, value=_value(case)),
    )


def _review_text(request: ReviewRequestRecord) -> str:
    rec = RECOMMENDATIONS.get(request.recommendation or "", "no recommendation")
    comment = esc(truncate(request.comment, 800)) if request.comment else "no comment"
    conflicts = f" Conflicts declared: {esc(', '.join(request.conflicts))}." if request.conflicts else ""
    return f"*Review by {who(request.reviewer)}*: {esc(rec)}.{conflicts}\n{comment}"


def spread_text(framework: Framework, spread: Spread) -> str:
    lines = [f"*The panel's scores* ({spread.scores} of {spread.judges} members who judge it):"]
    lines += [f"• {esc(c.competency.name)}: {distribution(framework, c.ratings)}" for c in spread.competencies]
    lines.append(f"Recommendations: {_recommendations(spread.recommendations, form.OUTCOMES)}")
    if spread.most_disagreed:
        lines.append("Most disagreement: " + ", ".join(esc(c.competency.name) for c in spread.most_disagreed[:3]))
    return "\n".join(lines)


# -- scoring and deciding -----------------------------------------------------------------------------------------------


def score_modal(framework: Framework, entry: Entry, mine: ScoreRecord | None) -> dict[str, Any]:
    case = entry.case
    ratings = [option(r.label, r.id, r.anchor or None) for r in framework.rubric]
    blocks: list[Block] = [
        section(f"Score {who(case.nomination.nominee)}: {_levels(entry)}"),
        context(":lock: Score on your own: the others' scores open to you once yours is in. The chair reads them all; the nominee never sees a score."),
    ]  # fmt: skip
    for e in entry.evidence:
        chosen = next((o for o in ratings if mine and o.value == mine.ratings.get(e.competency.id)), None)
        blocks.append(
            input_block(
                rating_field(e.competency.id), e.competency.name,
                RadioButtonsElement(action_id=PanelIds.INPUT, options=ratings, initial_option=chosen),
                hint=truncate(e.expectation, 1900) if e.expectation else None,
            )
        )  # fmt: skip
    outcomes = [option(label, key) for key, label in form.OUTCOMES.items()]
    competencies = [option(e.competency.name, e.competency.id) for e in entry.evidence]
    flagged = [o for o in competencies if mine and o.value in {f.get("competency") for f in mine.flags}]
    blocks += [
        input_block(
            form.RECOMMENDATION, "Your recommendation",
            RadioButtonsElement(action_id=PanelIds.INPUT, options=outcomes, initial_option=next((o for o in outcomes if mine and o.value == mine.recommendation), None)),
        ),
        input_block(form.RATIONALE, "Why", text_input(mine.rationale if mine else "")),
        input_block(
            form.FLAGGED, "Unclear or inconsistent criteria", CheckboxesElement(action_id=PanelIds.INPUT, options=competencies[:10], initial_options=flagged or None),
            optional=True, hint="Flag a criterion of the framework that was hard to judge against: the cycle report lists them.",
        ),
        input_block(form.FLAG_NOTE, "What is unclear", text_input(next((f.get("note", "") for f in mine.flags), "") if mine else ""), optional=True),
    ]  # fmt: skip
    return modal_view(
        "Score", blocks, callback_id=PanelIds.SCORE_MODAL, submit="Submit score", private_metadata=metadata(nomination=case.id)
    )


def score_saved(case: Case) -> dict[str, Any]:
    return modal_view(
        "Score saved",
        [
            section("Your score is saved. You can change it (Score, again) until you read the others' or the chair decides."),
            _reveal(case),
        ],
        close="Done",
    )


def scores_view(framework: Framework, spread: Spread) -> dict[str, Any]:
    return modal_view(
        "The panel's scores", [section(spread_text(framework, spread)), context("Your own score is sealed now.")], close="Done"
    )


def decide_modal(
    framework: Framework, entry: Entry, spread: Spread, *, effective: date, competencies: Sequence[Competency]
) -> dict[str, Any]:
    case = entry.case
    outcomes = [option(label, key) for key, label in form.OUTCOMES.items()]
    blocks: list[Block] = [
        section(f"Decide on {who(case.nomination.nominee)}: {_levels(entry)}"),
        section(spread_text(framework, spread)),
        context("The decision is recorded once. The nominee reads the outcome and the feedback first, on the day decisions are published."),
        input_block(form.OUTCOME, "Decision", RadioButtonsElement(action_id=PanelIds.INPUT, options=outcomes)),
        input_block(
            form.EFFECTIVE, "Effective date (a promotion)", DatePickerElement(action_id=PanelIds.INPUT, initial_date=effective.isoformat()),
            optional=True, hint="Their level changes on this date.",
        ),
    ]  # fmt: skip
    for competency in competencies:
        blocks.append(input_block(form.feedback_field(competency.id), f"{competency.name}: feedback", text_input()))
        blocks.append(
            input_block(
                form.next_field(competency.id), f"{competency.name}: what's next", text_input(), optional=True,
                hint="Required for 'not yet': it goes into their growth plan.",
            )
        )  # fmt: skip
    blocks.append(input_block(form.SUMMARY, "Summary", text_input(), optional=True))
    return modal_view(
        "Record decision",
        blocks,
        callback_id=PanelIds.DECIDE_MODAL,
        submit="Record",
        private_metadata=metadata(nomination=case.id),
    )


def decided(decision: DecisionRecord) -> dict[str, Any]:
    when = "It is published with the others on the decisions day."
    return modal_view(
        "Decision recorded",
        [section(f"Recorded: *{esc(form.OUTCOMES.get(decision.outcome, decision.outcome))}*. {when}")],
        close="Done",
    )


# -- after the decision ------------------------------------------------------------------------------------------------


def decision_message(framework: Framework, case: Case, *, for_manager: bool, appeal_until: date | None) -> Message:
    decision = case.decision
    assert decision is not None
    target = framework.level(case.nomination.target_level)
    title = esc(target.title if target else case.nomination.target_level)
    subject = f"{who(case.nomination.nominee)}'s" if for_manager else "your"
    headline = {
        form.PROMOTE: f"The review panel promoted {'them' if for_manager else 'you'} to *{title}*, effective "
        f"{decision.effective_on:%d %B %Y}."
        if decision.effective_on
        else "",
        form.NOT_YET: f"The review panel's decision on {subject} nomination for *{title}*: *not yet*. It comes with a plan.",
        form.DEFER: f"The review panel deferred {subject} nomination for *{title}* to the next cycle.",
    }.get(decision.outcome, esc(decision.outcome))
    blocks: list[Block] = [
        section(headline),
        context(
            ":lock: Only you" + (" and their manager" if for_manager else " and your manager") + " read this. "
            f"Decided under the framework's {esc(cited(decision.framework_version, framework))}."
        ),
    ]
    competencies = framework.competencies_at(target) if target else ()
    # What's next and the appeal come before the feedback, so however long the feedback, Slack's limits never cut them.
    steps = [(c, decision.next_steps[c.id]) for c in competencies if decision.next_steps.get(c.id)]
    if steps:
        blocks.append(
            section(
                "*What's next*" + (" (it is in the growth plan on Ladder's Home tab)" if decision.outcome == form.NOT_YET else "")
            )
        )
        for competency, step in steps:
            blocks += sections(f"*{esc(competency.name)}*: {esc(step)}")
    if appeal_until is not None and not for_manager:
        blocks.append(
            context(f"You may appeal until {appeal_until:%A %d %B %Y}, with a reason: people who did not decide it hear it.")
        )
        blocks.append(ActionsBlock(elements=[ButtonElement(text=plain("Appeal"), action_id=PanelIds.APPEAL, value=_value(case))]))
    feedback = [(c, decision.feedback[c.id]) for c in competencies if decision.feedback.get(c.id)]
    if feedback:
        blocks.append(section("*The panel's feedback*"))
        for competency, text in feedback:
            blocks += sections(f"*{esc(competency.name)}*\n{esc(text)}")
    if decision.summary:
        blocks += sections(esc(decision.summary))
    return finish_message("The review panel's decision", blocks)


def outcome_to_nominator(framework: Framework, case: Case) -> Message:
    decision = case.decision
    assert decision is not None
    target = framework.level(case.nomination.target_level)
    text = (
        f"The review panel decided on {who(case.nomination.nominee)}'s nomination for *{esc(target.title if target else '')}*, "
        f"which you started: *{esc(form.OUTCOMES.get(decision.outcome, decision.outcome))}*. They have been told, with the panel's feedback."
    )
    return finish_message("The panel decided on your nomination", [section(text)])


def reviewer_thanks(case: Case) -> Message:
    text = (
        f"The review panel has decided on {who(case.nomination.nominee)}'s nomination. Thank you for your review: "
        "it was read by the panel alone."
    )
    return finish_message("Thank you for your review", [section(text)])


def appeal_modal(case: Case, closes: date) -> dict[str, Any]:
    blocks: list[Block] = [
        section(f"Appeal the decision on your nomination (until {closes:%d %B %Y}). People who did not decide it the first time hear it; their outcome is final."),
        input_block(form.REASON, "Why are you appealing?", text_input(), hint="Read by those who hear the appeal."),
    ]  # fmt: skip
    return modal_view(
        "Appeal", blocks, callback_id=PanelIds.APPEAL_MODAL, submit="Appeal", private_metadata=metadata(nomination=case.id)
    )


def appeal_filed(case: Case) -> Message:
    text = f"{who(case.nomination.nominee)} appealed the review panel's decision on their nomination. You hear the appeal: its outcome is final."
    value = _value(case)
    buttons = ActionsBlock(
        elements=[
            ButtonElement(text=plain("Open packet"), action_id=PanelIds.PACKET, value=value),
            ButtonElement(text=plain("Hear the appeal"), action_id=PanelIds.HEAR, value=value, style="primary"),
            ButtonElement(text=plain("Declare a conflict"), action_id=PanelIds.CONFLICT, value=value),
        ]
    )
    return finish_message("An appeal to hear", [section(text), context(f":lock: {JUDGES_ONLY}"), buttons])


def hear_modal(framework: Framework, case: Case, spread: Spread | None, *, effective: date) -> dict[str, Any]:
    assert case.decision is not None and case.appeal is not None
    first = case.decision
    outcomes = [option(label, key) for key, label in form.APPEAL_OUTCOMES.items()]
    feedback = "\n".join(f"• {esc(k)}: {esc(truncate(v, 300))}" for k, v in first.feedback.items())
    blocks: list[Block] = [
        section(f"*The first decision:* {esc(form.OUTCOMES.get(first.outcome, first.outcome))}, by {who(first.decided_by)}.\n{feedback}"),
        section(f"*The appeal:* {esc(truncate(case.appeal.reason, 2000))}"),
    ]  # fmt: skip
    if spread is not None:
        blocks.append(section(spread_text(framework, spread)))
    blocks += [
        input_block(form.OUTCOME, "Outcome (final)", RadioButtonsElement(action_id=PanelIds.INPUT, options=outcomes)),
        input_block(form.EFFECTIVE, "Effective date (a promotion)", DatePickerElement(action_id=PanelIds.INPUT, initial_date=effective.isoformat()), optional=True),
        input_block(form.SUMMARY, "Reasons", text_input(), hint="The nominee reads them."),
    ]  # fmt: skip
    return modal_view(
        "Hear the appeal", blocks, callback_id=PanelIds.HEAR_MODAL, submit="Decide", private_metadata=metadata(nomination=case.id)
    )


def appeal_decided(framework: Framework, case: Case, *, for_manager: bool) -> Message:
    decision = case.appeal_decision
    assert decision is not None
    target = framework.level(case.nomination.target_level)
    whose = f"{who(case.nomination.nominee)}'s" if for_manager else "your"
    if decision.outcome == form.PROMOTE:
        head = f"The appeal on {whose} nomination succeeded: promoted to *{esc(target.title if target else '')}*, effective {decision.effective_on:%d %B %Y}."
    else:
        head = f"The appeal on {whose} nomination was heard: the decision stands."
    return finish_message(
        "The appeal was decided",
        [
            section(head),
            section(esc(decision.summary)),
            context(f"This outcome is final. Decided under the framework's {esc(cited(decision.framework_version, framework))}."),
        ],
    )


def notice(title: str, text: str) -> dict[str, Any]:
    return modal_view(title, [section(esc(text))], close="Done")


# -- the cycle report ---------------------------------------------------------------------------------------------------


def report_lines(report: CycleReport) -> list[str]:
    """The cycle report as plain lines (the CLI prints them; the admins' message escapes them)."""
    lines = [
        f"{report.cycle.name}: {report.nominations} nominations ({report.withdrawn} withdrawn, {report.undecided} undecided), "
        # an appeal follows a decision that was not a promotion: a small count (none included) is not shown
        + (
            f"{report.appeals} appealed"
            if report.appeals >= report.min_group_size
            else f"fewer than {report.min_group_size} appealed"
        ),
    ]
    for title, table in (("by track", report.outcomes_by_track), ("by target level", report.outcomes_by_level)):
        for name, counts in sorted(table.items()):
            lines.append(f"outcomes {title}, {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if report.suppressed:
        lines.append(
            f"outcomes not shown for {', '.join(report.suppressed)}: fewer than {report.min_group_size} decided nominations "
            "(or they could be worked out from the groups shown)"
        )
    for step, days in report.median_days.items():
        lines.append(f"median days, {step}: {days if days is not None else '—'}")
    lines.append(
        f"reviews: {report.reviews_written} written of {report.reviews_asked} asked, {report.reviews_declined} declined, "
        f"{report.reviews_late} not in by the due date"
    )
    lines.append(f"recusals: {report.recusals}")
    for (level, competency), notes in sorted(report.flags.items()):
        lines.append(f"criterion flagged: {level} / {competency} ({len(notes)}): " + " | ".join(n for n in notes if n))
    if not report.flags:
        lines.append("criteria flagged: none")
    return lines


def report_message(report: CycleReport) -> Message:
    lines = report_lines(report)
    return finish_message(
        f"Cycle report: {report.cycle.name}",
        [
            HeaderBlock(text=plain(f"Cycle report: {report.cycle.name}", 150)),
            section(bullet_list(esc(line) for line in lines[1:])),
            context(esc(lines[0])),
        ],
    )


# -- setting cycles and panels up (admins) ------------------------------------------------------------------------------


def cycle_modal(cycle: CycleRecord | None) -> dict[str, Any]:
    blocks: list[Block] = [
        context("Dates drive the clock: reminders, reviews closing, digests, and the day decisions are published.")
    ]
    if cycle is None:
        blocks.append(input_block(form.CYCLE_NAME, "Name", text_input(multiline=False, placeholder="e.g. 2027 H1")))
    else:
        blocks.insert(0, section(f"Edit *{esc(cycle.name)}*."))
    for key, label in form.CYCLE_DATES.items():
        initial = getattr(cycle, key) if cycle is not None else None
        blocks.append(
            input_block(
                key, label, DatePickerElement(action_id=PanelIds.INPUT, initial_date=initial.isoformat() if initial else None)
            )
        )
    blocks += [
        input_block(
            form.APPEAL_DAYS, "Appeal window (working days)",
            NumberInputElement(action_id=PanelIds.INPUT, is_decimal_allowed=False, min_value="0", max_value="60", initial_value=str(cycle.appeal_days if cycle else 10)),
        ),
        input_block(
            form.REVIEW_CAP, "Reviews one person may be asked for",
            NumberInputElement(action_id=PanelIds.INPUT, is_decimal_allowed=False, min_value="1", max_value="50", initial_value=str(cycle.review_cap if cycle else 5)),
        ),
    ]  # fmt: skip
    return modal_view(
        "Promotion cycle", blocks, callback_id=PanelIds.CYCLE_MODAL, submit="Save",
        private_metadata=metadata(cycle=cycle.id if cycle else None),
    )  # fmt: skip


def panel_modal(framework: Framework) -> dict[str, Any]:
    families = sorted({t.family for t in framework.tracks if t.family})
    tracks = [option(t.name, t.id) for t in framework.tracks]
    levels = [
        OptionGroup(label=plain(t.name, 75), options=[option(lv.title, lv.id) for lv in t.levels[1:]][:100])
        for t in framework.tracks
        if len(t.levels) > 1
    ]
    blocks: list[Block] = [
        input_block(form.PANEL_NAME, "Name", text_input(multiline=False, placeholder="e.g. Engineering IC panel")),
        input_block(form.CHAIR, "Chair", UserSelectElement(action_id=PanelIds.INPUT), hint="The chair records decisions; they are a member too."),
        input_block(form.MEMBERS, "Members", UserMultiSelectElement(action_id=PanelIds.INPUT, max_selected_items=25)),
        input_block(
            form.CHANNEL, "Private channel for digests",
            ConversationSelectElement(action_id=PanelIds.INPUT, filter=ConversationFilter(include=["private"], exclude_bot_users=True)),
            optional=True, hint="A private channel with Ladder in it (/invite @Ladder) and only the panel's members: Ladder posts there only while that holds. It names who is nominated, never a rating or a comment.",
        ),
        context("Scope: which promotions it reviews, by target level. Leave all three empty for every promotion."),
    ]  # fmt: skip
    if families:
        blocks.append(
            input_block(
                form.FAMILIES,
                "Families",
                StaticMultiSelectElement(action_id=PanelIds.INPUT, options=[option(f, f) for f in families][:100]),
                optional=True,
            )
        )
    blocks += [
        input_block(form.TRACKS, "Tracks", StaticMultiSelectElement(action_id=PanelIds.INPUT, options=tracks[:100]), optional=True),
        input_block(form.LEVELS, "Target levels", StaticMultiSelectElement(action_id=PanelIds.INPUT, option_groups=levels[:100]), optional=True),
        input_block(
            form.PANEL_KIND, "Appeals", CheckboxesElement(action_id=PanelIds.INPUT, options=[option("An appeal panel: it hears appeals against other panels' decisions", "appeal")]),
            optional=True,
        ),
    ]  # fmt: skip
    return modal_view("Review panel", blocks, callback_id=PanelIds.PANEL_MODAL, submit="Create")


def cycle_saved(line: str, warnings: Sequence[str] = ()) -> dict[str, Any]:
    blocks: list[Block] = [section(esc(f"Saved. {line}"))]
    if warnings:
        blocks.append(section(":warning: Worth a look:\n" + bullet_list(esc(w) for w in warnings)))
    return modal_view("Promotion cycle", blocks, close="Done")


def panel_saved(name: str, members: int, scope: str, warnings: Sequence[str]) -> dict[str, Any]:
    blocks: list[Block] = [section(f"*{esc(name)}* is set up: {members} members; it reviews {esc(scope)}.")]
    if warnings:
        blocks.append(section(":warning: Worth a look:\n" + bullet_list(esc(w) for w in warnings)))
    return modal_view("Review panel", blocks, close="Done")
