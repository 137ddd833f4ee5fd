"""The review panels' messages the outbox sends: digests (in a panel's channel and to each judge), packets, decisions,
appeals, and what admins must act on. Each re-checks at send time who may read what it carries; the only messages
Ladder posts in a channel are a panel's digest and its entries, and only while everyone in it may read them."""

from __future__ import annotations

from functools import partial
from typing import Any, Sequence

from bot.confidentiality import Action
from bot.panels.board import CYCLE_REPORT, Board
from bot.panels.digest import DIGEST, DIGEST_ENTRY, DIGEST_PRIVATE, PACKET, STRANDED
from bot.panels.docket import Case
from bot.panels.publication import (
    APPEAL_DECIDED,
    APPEAL_FILED,
    APPEAL_UNHEARD,
    DECISION,
    DECISION_TO_MANAGER,
    OUTCOME_TO_NOMINATOR,
    REVIEWER_THANKS,
)
from messages import panels as views
from messages.kinds import BULK, Gone, MessageKind, Reading, Refused
from messages.panels import FileUpload
from messages.render import Message

READING_DECISIONS = {
    DECISION: Action.READ_DECISION, DECISION_TO_MANAGER: Action.READ_DECISION, APPEAL_DECIDED: Action.READ_DECISION,
    OUTCOME_TO_NOMINATOR: Action.READ_OUTCOME, REVIEWER_THANKS: Action.READ_REVIEW_REQUEST, APPEAL_FILED: Action.DECIDE_APPEAL,
}  # fmt: skip
"""What a recipient must be allowed to read a decision's message (its nomination's case must be decided, too)."""


def _is_user(recipient: str) -> bool:
    return recipient[:1] in ("U", "W")


def _for_admins(name: str, read: Reading) -> Message:
    """A nomination no panel can judge, or an appeal nobody can hear: for the team's admins, while it is so."""
    board: Board = read.board()
    if read.recipient not in board.docket.admins.of(read.team_id):
        raise Gone("the recipient is not an admin")
    case = board.docket.case(read.team_id, int(read.context.get("nomination_id") or -1))
    if name == STRANDED:
        if not case.stranded:
            raise Gone("a panel can judge it now")
        return views.stranded(read.framework, case)
    if case.appeal is None or case.appeal_decision is not None or case.hearers:
        raise Gone("someone can hear the appeal now")
    return views.appeal_unheard(read.framework, case)


def _cycle_report(read: Reading) -> Message:
    board: Board = read.board()
    cycle = read.row("PromotionCycle", read.context.get("cycle_id"))
    if read.recipient not in board.docket.admins.of(read.team_id):
        raise Gone("the recipient is not an admin")
    return views.report_message(board.reports.report(read.team_id, cycle))


def _digest(name: str, read: Reading) -> Message:
    board: Board = read.board()
    panel = board.docket.repo.panel(read.team_id, read.context.get("panel_id"))
    cycle = read.row("PromotionCycle", read.context.get("cycle_id"))
    if panel is None:
        raise Gone("the panel is gone")
    digest = board.digests.build(read.team_id, panel, cycle)
    if name == DIGEST:
        if not _is_user(read.recipient):
            _only_readers(board, read, panel, [])
        return views.digest_parent(digest, to_channel=read.recipient == panel.channel)
    wanted = set(read.context.get("nomination_ids") or [])
    mine = [
        e for e in digest.entries
        if e.case.id in wanted and board.docket.may(read.recipient, read.team_id, e.case, Action.READ_PANEL_PACKET)
    ]  # fmt: skip
    if not mine:
        raise Gone("nothing in this digest is for the recipient any more")
    return views.digest_private(read.framework, mine, read.recipient, panel_name=panel.name, cycle_name=cycle.name)


def _case(read: Reading) -> tuple[Board, Case]:
    board: Board = read.board()
    return board, board.docket.case(read.team_id, int(read.context.get("nomination_id") or -1))


def _digest_entry(read: Reading) -> Message:
    board, case = _case(read)
    if case.panel is None or case.panel.channel != read.recipient:
        raise Gone("the nomination is not before this channel's panel any more")
    _only_readers(board, read, case.panel, [case])
    return views.digest_entry(board.digests.entry(case, read.now().date()))


def _packet(read: Reading) -> FileUpload:
    board, case = _case(read)
    if not _is_user(read.recipient):
        raise Gone("a packet goes to each judge's own conversation, never to a channel")
    if not board.docket.may(read.recipient, read.team_id, case, Action.READ_PANEL_PACKET):
        raise Gone("the recipient may not read this packet")
    names = board.docket.names(
        read.team_id,
        {case.nomination.nominee, case.nomination.nominator, *case.reviewers, *(case.sitting.members if case.sitting else ())},
    )
    today = read.now().date()
    return views.packet(read.framework, board.digests.entry(case, today), names, today=today)


def _decision(name: str, read: Reading) -> Message:
    board, case = _case(read)
    if not board.docket.may(read.recipient, read.team_id, case, READING_DECISIONS[name]) or case.decision is None:
        raise Gone("the recipient may not read this decision")
    if name in (DECISION, DECISION_TO_MANAGER):
        appeal_until = board.publication.appeal_window(read.team_id, case) if case.appeal is None else None
        return views.decision_message(read.framework, case, for_manager=name == DECISION_TO_MANAGER, appeal_until=appeal_until)
    if name == OUTCOME_TO_NOMINATOR:
        return views.outcome_to_nominator(read.framework, case)
    if name == REVIEWER_THANKS:
        return views.reviewer_thanks(case)
    if name == APPEAL_FILED:
        return views.appeal_filed(case)
    if case.appeal_decision is None:
        raise Gone("the appeal is not decided")
    return views.appeal_decided(read.framework, case, for_manager=read.recipient != case.nomination.nominee)


def _only_readers(board: Board, read: Reading, panel: Any, cases: Sequence[Case]) -> None:
    """A panel channel is posted in only while everyone in it sits on the panel and may read each nomination shown."""
    channel = read.recipient
    if read.audience is None:
        raise Refused(f"who is in the channel {channel} could not be checked")
    members = set(board.docket.panels.members_of(panel))
    outsiders = sorted(
        reader for reader in read.audience
        if reader not in members or not all(board.docket.may(reader, read.team_id, c, Action.READ_DIGEST_ENTRY) for c in cases)
    )  # fmt: skip
    if outsiders:
        raise Refused(
            f"{len(outsiders)} in the channel {channel} may not read the panel's digest ({', '.join(outsiders[:5])}): "
            "remove them from it"
        )


KINDS = (
    MessageKind(DIGEST, partial(_digest, DIGEST), BULK, channels=True, audience=True),
    MessageKind(DIGEST_ENTRY, _digest_entry, BULK, channels=True, audience=True),
    MessageKind(DIGEST_PRIVATE, partial(_digest, DIGEST_PRIVATE), BULK),
    MessageKind(PACKET, _packet, BULK),
    MessageKind(STRANDED, partial(_for_admins, STRANDED), BULK),
    MessageKind(APPEAL_UNHEARD, partial(_for_admins, APPEAL_UNHEARD), BULK),
    MessageKind(CYCLE_REPORT, _cycle_report, BULK),
    *(MessageKind(name, partial(_decision, name), BULK) for name in READING_DECISIONS),
)
