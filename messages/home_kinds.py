"""The Home tab as the outbox sends it: published again (views.publish) after someone acted from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from bot.admins import ConfiguredAdmins
from bot.checkins.service import Checkins
from bot.framework.model import Framework
from bot.home import home_of
from messages import home as views
from messages.kinds import URGENT, MessageKind, Publish, Reading

HOME = "home_tab"


def home_tab(
    framework: Framework, session: Any, team_id: str, user_id: str, *, now: Callable[[], datetime], admins: ConfiguredAdmins
) -> dict[str, Any]:
    """A person's Home tab as it is now (what ``app_home_opened`` publishes at once, and a refresh when it is sent)."""
    home = home_of(framework, session, team_id, user_id, now=now, admins=admins)
    named = {m for gap in home.plan.gaps for m in gap.mentors} | {i.user_id for posted in home.posted for i in posted.interests}
    names = Checkins(framework, session, now).names(team_id, named)
    return views.home_view(framework, home, names)


def _refresh(read: Reading) -> Publish:
    view = home_tab(read.framework, read.session, read.team_id, read.recipient, now=read.now, admins=read.admins)
    return Publish(user=read.recipient, view=view)


KINDS = (MessageKind(HOME, _refresh, URGENT),)
