"""What a person's App Home shows, read in a bounded number of queries whatever their history.

Only what the confidentiality policy lets the viewer read is loaded: their own check-ins, the
check-ins shared with them, and (for admins) deliveries that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence

from sqlmodel import Session, col, select

from bot.admins import ConfiguredAdmins
from bot.checkins.schedule import Cadence
from bot.checkins.service import Checkins, Target, rated_against
from bot.confidentiality import Action, can, relations
from bot.framework.model import Framework
from bot.growth.plan import GrowthPlan, Opportunity
from bot.growth.service import Growth
from bot.nominations.service import Nominations, Promotions
from storage.models import (
    Checkin,
    CheckinSchedule,
    MentorOffer,
    Mentorship,
    OutboxMessage,
    StretchAssignment,
    StretchInterest,
)
from storage.repositories.outbox import Outbox

RECENT_CHECKINS = 5
SHARED_WITH_ME = 5


@dataclass(frozen=True)
class Posted:
    assignment: StretchAssignment
    interests: tuple[StretchInterest, ...]


@dataclass(frozen=True)
class Home:
    user_id: str
    target: Target
    latest: Checkin | None
    plan: GrowthPlan
    recent: tuple[Checkin, ...]
    checkin_count: int
    shared_with_me: tuple[Checkin, ...]
    schedule: CheckinSchedule
    cadence: Cadence
    mentor_offer: MentorOffer | None
    mentorships: tuple[Mentorship, ...]
    opportunities: tuple[Opportunity, ...]
    """Open opportunities matching the person's gaps."""
    interested_in: frozenset[int]
    posted: tuple[Posted, ...]
    failed_deliveries: tuple[OutboxMessage, ...]
    is_admin: bool
    promotions: Promotions = Promotions()


def home_of(
    framework: Framework, session: Session, team_id: str, user_id: str, *, now: Callable[[], datetime], admins: ConfiguredAdmins
) -> Home:
    growth = Growth(framework, session, now)
    checkins: Checkins = growth.checkins
    nominations = Nominations(framework, session, now, admins)
    team_admins = nominations.admins.of(team_id)
    target = checkins.target(team_id, user_id)
    schedule = checkins.repo.schedule(team_id, user_id) or CheckinSchedule(team_id=team_id, user_id=user_id)  # read, never create

    def readable(found: Sequence[Checkin]) -> tuple[Checkin, ...]:
        return tuple(
            c
            for c in found
            if can(relations(user_id, c.user_id, shared_with=c.shared_with, admins=team_admins), Action.READ_CHECKIN)
        )

    visible = readable(checkins.repo.recent(team_id, user_id, RECENT_CHECKINS))
    shared = session.exec(
        select(Checkin)
        .where(Checkin.team_id == team_id, Checkin.shared_with == user_id)
        .order_by(col(Checkin.submitted_at).desc())
        .limit(SHARED_WITH_ME)
    ).all()
    plan = growth.plan(team_id, user_id, target=target, latest=visible[0] if visible else None)
    matching: dict[int, Opportunity] = {o.id: o for gap in plan.gaps for o in gap.opportunities}
    posted = growth.repo.posted_by(team_id, user_id, limit=5)
    interests = growth.repo.interests_in(team_id, [a.id for a in posted if a.id is not None])
    is_admin = can(relations(user_id, user_id, admins=team_admins), Action.READ_FAILED_DELIVERIES)
    return Home(
        user_id=user_id,
        target=target,
        latest=visible[0] if visible else None,
        plan=plan,
        recent=visible,
        checkin_count=checkins.repo.count(team_id, user_id),
        shared_with_me=readable(shared),
        schedule=schedule,
        cadence=checkins.rules_of(schedule).cadence,
        mentor_offer=growth.repo.offer(team_id, user_id),
        mentorships=tuple(growth.repo.mentorships_of(team_id, user_id)),
        opportunities=tuple(matching.values()),
        interested_in=frozenset(i.assignment_id for i in growth.repo.interests_of(team_id, user_id)),
        posted=tuple(Posted(a, tuple(i for i in interests if i.assignment_id == a.id)) for a in posted),
        failed_deliveries=tuple(Outbox(session).failed(team_id, limit=10)) if is_admin else (),
        is_admin=is_admin,
        promotions=nominations.promotions(team_id, user_id),
    )


def latest_ratings(home: Home) -> dict[str, str]:
    """The person's own latest ratings, if they rated the level they are aiming for now."""
    return rated_against(home.latest, home.target.level)[0]
