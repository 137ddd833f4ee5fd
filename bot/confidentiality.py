"""Who may see an answer: decided here, once, for every surface Ladder answers on.

An answer about the asker (their level, their next step) is HR data: it is shown to the asker
alone, even when the question was asked in a channel. Every feature (check-ins, nominations,
peer reviews, the evidence log) has its rules here, so no handler ever decides visibility itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Surface(Enum):
    SLASH_COMMAND = "slash_command"
    CHANNEL_MENTION = "channel_mention"
    """An @mention in a channel or a group conversation: other people can read the thread."""
    DIRECT_MESSAGE = "direct_message"
    """The asker's own conversation with Ladder."""
    TERMINAL = "terminal"


class Audience(Enum):
    CONVERSATION = "conversation"
    """Everyone who can read the conversation the question was asked in."""
    ASKER_ONLY = "asker_only"


def answer_audience(surface: Surface, *, about_the_asker: bool) -> Audience:
    if surface is Surface.SLASH_COMMAND:
        return Audience.ASKER_ONLY  # /ladder is private by promise: nobody sees the question either
    if surface is Surface.CHANNEL_MENTION and about_the_asker:
        return Audience.ASKER_ONLY
    return Audience.CONVERSATION


def mention_surface(channel_id: str) -> Surface:
    """app_mention events carry no channel type; a "D" channel is a one-to-one conversation."""
    return Surface.DIRECT_MESSAGE if channel_id.startswith("D") else Surface.CHANNEL_MENTION


# -- who may see a person's career data ---------------------------------------------------------------


class Relation(Enum):
    """How a viewer relates to the person whose data it is. Computed from data, never passed in by a caller."""

    SELF = "self"
    MANAGER = "manager"
    SHARED_WITH = "shared_with"
    """The manager a check-in was shared with, at the time it was shared."""
    MENTOR = "mentor"
    ADMIN = "admin"
    MANAGER_CHAIN = "manager_chain"
    """Anyone above the person in the management chain: their manager, their manager's manager, …"""
    NOMINEE = "nominee"
    NOMINATOR = "nominator"
    REVIEWER = "reviewer"
    """Asked to review a nomination; for a review, its author."""
    AUTHOR = "author"
    """Who wrote an evidence log item."""
    PANEL_CHAIR = "panel_chair"
    """Chairs the panel that reviews a nomination and is not recused from it (else the first member who is not)."""
    PANEL_MEMBER = "panel_member"
    """Sits on the panel that reviews a nomination and is not recused from it."""
    RECUSED = "recused"
    """Sits on that panel but may not judge this nomination (nominee, nominator, chain, reviewer asked, declared)."""
    PANEL_AWAITING = "panel_awaiting"
    """Sits on the panel that will judge a nomination not before it yet (peer reviews still open), or no longer (withdrawn)."""
    SCORED = "scored"
    """A panel member who has submitted their own score of the nomination."""
    APPEAL_PANEL = "appeal_panel"
    """Hears the nominee's appeal: passes the recusal rules, and did not decide it the first time."""
    APPEAL_CHAIR = "appeal_chair"
    """Decides the appeal: the first of those who hear it."""
    COLLEAGUE = "colleague"
    """Anyone else in the workspace."""


class Action(Enum):
    READ_CHECKIN = "read_checkin"
    READ_GROWTH_PLAN = "read_growth_plan"
    READ_SCHEDULE = "read_schedule"
    READ_FAILED_DELIVERIES = "read_failed_deliveries"
    MANAGE_ADMINS = "manage_admins"
    NOMINATE = "nominate"
    READ_NOMINATION_STAGE = "read_nomination_stage"
    """That a nomination exists, its target level, stage and dates."""
    LIST_NOMINATIONS = "list_nominations"
    """Every nomination in the team, by stage (no case, no review)."""
    READ_NOMINATION_CASE = "read_nomination_case"
    """The nominator's evidence and portfolio."""
    READ_REVIEW_PROGRESS = "read_review_progress"
    """Who was asked to review, who declined, how many reviews are in: never what they say."""
    WITHDRAW_NOMINATION = "withdraw_nomination"
    READ_REVIEW_REQUEST = "read_review_request"
    """The request itself: whom to review, for which level, by when."""
    READ_REVIEW = "read_review"
    """A review's ratings, recommendation, conflicts and comment."""
    WRITE_REVIEW = "write_review"
    LOG_EVIDENCE_ABOUT = "log_evidence_about"
    READ_EVIDENCE = "read_evidence"
    OFFER_EVIDENCE = "offer_evidence"
    """Seeing a person's evidence log as portfolio entries while nominating them."""
    DELETE_EVIDENCE = "delete_evidence"
    READ_DIGEST_ENTRY = "read_digest_entry"
    """What the panel channel says of a nomination: who, from which level to which, how many reviews, recusals, flags."""
    READ_PANEL_PACKET = "read_panel_packet"
    """The whole case: evidence, peer reviews (ratings, recommendations, comments, conflicts)."""
    SCORE_NOMINATION = "score_nomination"
    READ_PANEL_SCORES = "read_panel_scores"
    """The other panelists' scores: only once one's own is in (the chair too), and reading them seals one's own."""
    DECLARE_CONFLICT = "declare_conflict"
    DECIDE_NOMINATION = "decide_nomination"
    READ_DECISION = "read_decision"
    """The outcome with the panel's feedback and what's next."""
    READ_OUTCOME = "read_outcome"
    """The outcome alone."""
    APPEAL_DECISION = "appeal_decision"
    DECIDE_APPEAL = "decide_appeal"
    READ_OWN_GROUPS = "read_own_groups"
    """A person's answers to the fairness questions (gender, …): only they read or change them. Group data reaches
    anyone else only through the fairness audit's aggregated reports, never about one person."""


_ALLOWED: dict[Action, frozenset[Relation]] = {
    Action.READ_CHECKIN: frozenset({Relation.SELF, Relation.SHARED_WITH}),
    Action.READ_GROWTH_PLAN: frozenset({Relation.SELF}),
    Action.READ_SCHEDULE: frozenset({Relation.SELF}),
    Action.READ_FAILED_DELIVERIES: frozenset({Relation.ADMIN}),
    Action.MANAGE_ADMINS: frozenset({Relation.ADMIN}),
    Action.NOMINATE: frozenset({Relation.SELF, Relation.MANAGER_CHAIN, Relation.ADMIN}),
    Action.READ_NOMINATION_STAGE: frozenset({Relation.NOMINEE, Relation.NOMINATOR, Relation.ADMIN}),
    Action.LIST_NOMINATIONS: frozenset({Relation.ADMIN}),
    Action.READ_NOMINATION_CASE: frozenset({Relation.NOMINATOR}),
    Action.READ_REVIEW_PROGRESS: frozenset({Relation.NOMINATOR, Relation.ADMIN}),
    Action.WITHDRAW_NOMINATION: frozenset({Relation.NOMINATOR, Relation.ADMIN}),
    Action.READ_REVIEW_REQUEST: frozenset({Relation.REVIEWER}),
    Action.READ_REVIEW: frozenset({Relation.REVIEWER}),
    Action.WRITE_REVIEW: frozenset({Relation.REVIEWER}),
    Action.LOG_EVIDENCE_ABOUT: frozenset({Relation.SELF, Relation.MANAGER_CHAIN}),
    Action.READ_EVIDENCE: frozenset({Relation.SELF, Relation.AUTHOR}),
    Action.OFFER_EVIDENCE: frozenset({Relation.SELF, Relation.AUTHOR, Relation.MANAGER_CHAIN}),
    Action.DELETE_EVIDENCE: frozenset({Relation.AUTHOR}),
    Action.READ_DIGEST_ENTRY: frozenset({Relation.PANEL_CHAIR, Relation.PANEL_MEMBER, Relation.RECUSED, Relation.PANEL_AWAITING}),
    Action.READ_PANEL_PACKET: frozenset({Relation.PANEL_CHAIR, Relation.PANEL_MEMBER, Relation.APPEAL_PANEL}),
    Action.SCORE_NOMINATION: frozenset({Relation.PANEL_CHAIR, Relation.PANEL_MEMBER}),
    Action.READ_PANEL_SCORES: frozenset({Relation.SCORED, Relation.APPEAL_PANEL}),
    Action.DECLARE_CONFLICT: frozenset({Relation.PANEL_CHAIR, Relation.PANEL_MEMBER, Relation.APPEAL_PANEL}),
    Action.DECIDE_NOMINATION: frozenset({Relation.PANEL_CHAIR}),
    Action.READ_DECISION: frozenset(
        {Relation.NOMINEE, Relation.MANAGER, Relation.PANEL_CHAIR, Relation.PANEL_MEMBER, Relation.APPEAL_PANEL}
    ),
    Action.READ_OUTCOME: frozenset(
        {
            Relation.NOMINEE,
            Relation.MANAGER,
            Relation.NOMINATOR,
            Relation.PANEL_CHAIR,
            Relation.PANEL_MEMBER,
            Relation.APPEAL_PANEL,
        }
    ),
    Action.APPEAL_DECISION: frozenset({Relation.NOMINEE}),
    Action.DECIDE_APPEAL: frozenset({Relation.APPEAL_CHAIR}),
    Action.READ_OWN_GROUPS: frozenset({Relation.SELF}),
}
"""Being someone's manager, mentor or an admin does not by itself open their check-ins: only sharing does.

A nomination's reviews are read by their author alone until the review panel (which sees everything
for the nominations it reviews); the nominee sees the stage and dates, never who wrote what, nor any
rating or comment; the nominator sees the stage and who answered, never what they wrote. An admin
lists nominations and their stages, never their case or reviews. Relations that need a row to exist
(nominator, reviewer) are exclusive of the nominee: the nominee is never among their own reviewers.

The review panel in scope reads the whole case and its reviews; a member recused from a nomination reads
only what its panel channel says (no rating, comment, score, nor why anyone is recused), and the channel is
posted in only while everyone in it may read that. Panelists score blind, the chair too: others' scores open
to them once their own is in. Whoever hears an appeal passes the same recusal rules as a judge (and did not
decide it the first time). The nominee and their manager read the decision with its feedback; the
nominator hears the outcome; reviewers are thanked without it."""


@dataclass(frozen=True)
class PanelSeat:
    """Who sits for one nomination: its panel's judges (members not recused) and acting chair, the members recused,
    who has scored, who hears its appeal (the first of them decides it), and — while the nomination is not before the
    panel — its members, waiting."""

    judges: frozenset[str] = frozenset()
    chair: str | None = None
    recused: frozenset[str] = frozenset()
    scored: frozenset[str] = frozenset()
    appeal: tuple[str, ...] = ()
    waiting: frozenset[str] = frozenset()

    def relations_of(self, viewer: str) -> set[Relation]:
        found: set[Relation] = set()
        if viewer in self.recused:
            found.add(Relation.RECUSED)
        elif viewer in self.waiting:
            found.add(Relation.PANEL_AWAITING)
        elif viewer in self.judges:
            found.add(Relation.PANEL_MEMBER)
            if viewer == self.chair:
                found.add(Relation.PANEL_CHAIR)
            if viewer in self.scored:
                found.add(Relation.SCORED)
        if viewer in self.appeal:
            found.add(Relation.APPEAL_PANEL)
            if viewer == self.appeal[0]:
                found.add(Relation.APPEAL_CHAIR)
        return found


def relations(
    viewer: str, owner: str | None, *, manager: str | None = None, shared_with: str | None = None,
    mentors: frozenset[str] = frozenset(), admins: frozenset[str] = frozenset(),
    chain: frozenset[str] = frozenset(), nominee: str | None = None, nominator: str | None = None,
    reviewers: frozenset[str] = frozenset(), author: str | None = None, panel: PanelSeat | None = None,
) -> frozenset[Relation]:  # fmt: skip
    """``owner``: whose data it is; ``chain``: the owner's managers up the chain; ``reviewers``: those asked to
    review (for a single review, its author alone); ``author``: who wrote an evidence item; ``panel``: who
    sits for the nomination (:class:`PanelSeat`)."""
    found = {Relation.COLLEAGUE}
    if panel is not None:
        found |= panel.relations_of(viewer)
    if viewer in chain:
        found.add(Relation.MANAGER_CHAIN)
    if nominee is not None and viewer == nominee:
        found.add(Relation.NOMINEE)
    if nominator is not None and viewer == nominator:
        found.add(Relation.NOMINATOR)
    if viewer in reviewers:
        found.add(Relation.REVIEWER)
    if author is not None and viewer == author:
        found.add(Relation.AUTHOR)
    if owner is not None and viewer == owner:
        found.add(Relation.SELF)
    if manager is not None and viewer == manager:
        found.add(Relation.MANAGER)
    if shared_with is not None and viewer == shared_with:
        found.add(Relation.SHARED_WITH)
    if viewer in mentors:
        found.add(Relation.MENTOR)
    if viewer in admins:
        found.add(Relation.ADMIN)
    return frozenset(found)


def can(viewer_relations: frozenset[Relation], action: Action) -> bool:
    return bool(viewer_relations & _ALLOWED[action])
