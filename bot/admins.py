"""Who administers Ladder in a team: people named in LADDER_ADMINS, and those granted the role since.

The first admin is set on the command line (``ladder admins add USER``); after that an admin may
add others from Slack (``/ladder admins add @person``).
"""

from __future__ import annotations

from typing import Callable

from sqlmodel import Session

from bot.confidentiality import Action, can, relations
from bot.errors import LadderError, NotAllowed
from storage.models import utcnow
from storage.repositories.audit import AuditTrail
from storage.repositories.roles import RoleRepository

CLI = "cli"
INSTALLER = "install"
"""Who granted the role to the person who installed Ladder (with Add to Slack): the install itself."""
ADMIN = "admin"
"""The role an admin holds, as stored (the roles repository is given it)."""


class ConfiguredAdmins:
    """Admins named in the configuration (LADDER_ADMINS), and the one workspace they administer.

    In single-workspace mode (one bot token) that is the token's workspace, which ``workspace()`` gives once Slack has
    said it, and None until then: while it is not known they administer nothing (fail closed), and they never
    administer another team that reaches the server. With many workspaces (OAuth) there are none: each installation's
    admins are its installer (:meth:`Admins.grant_installer`) and those they add.
    """

    def __init__(self, users: frozenset[str] = frozenset(), workspace: Callable[[], str | None] = lambda: None) -> None:
        self.users = users
        self._workspace = workspace

    def of(self, team_id: str | None) -> frozenset[str]:
        if not self.users or team_id is None or team_id != self._workspace():
            return frozenset()
        return self.users


NOBODY = ConfiguredAdmins()


class Admins:
    def __init__(self, session: Session, configured: ConfiguredAdmins = NOBODY) -> None:
        self._roles = RoleRepository(session)
        self._audit = AuditTrail(session)
        self._configured = configured

    def of(self, team_id: str) -> frozenset[str]:
        return self._configured.of(team_id) | frozenset(self._roles.holders(team_id, ADMIN))

    def add(self, team_id: str, user_id: str, *, by: str) -> bool:
        """Grant the role; ``by`` is the admin granting it, or ``cli`` (whoever runs the command line runs Ladder)."""
        self.may_manage(team_id, by)
        granted = self._roles.grant(team_id, user_id, ADMIN, by)
        if granted:
            self._audit.audit(team_id, "role", 0, "admin_added", by, utcnow(), user=user_id)
        return granted

    def grant_installer(self, team_id: str, user_id: str) -> bool:
        """The person who installed Ladder for a team (workspace or org-wide enterprise) that has no admin yet becomes
        its first. Anyone installing it again gains nothing: any member may re-run an install the workspace approved
        once. True when this granted it."""
        if self._roles.holders(team_id, ADMIN):
            return False
        granted = self._roles.grant(team_id, user_id, ADMIN, INSTALLER)
        if granted:
            self._audit.audit(team_id, "role", 0, "admin_added", INSTALLER, utcnow(), user=user_id)
        return granted

    def remove(self, team_id: str, user_id: str, *, by: str) -> bool:
        self.may_manage(team_id, by)
        if user_id in self._configured.of(team_id):
            raise LadderError(f"{user_id} is an admin through LADDER_ADMINS: change that setting to remove them.")
        removed = self._roles.revoke(team_id, user_id, ADMIN)
        if removed:
            self._audit.audit(team_id, "role", 0, "admin_removed", by, utcnow(), user=user_id)
        return removed

    def may_manage(self, team_id: str, by: str) -> None:
        """Raise :class:`NotAllowed` unless ``by`` may add and remove admins in the team."""
        if by != CLI and not can(relations(by, None, admins=self.of(team_id)), Action.MANAGE_ADMINS):
            raise NotAllowed("Only a Ladder admin can add or remove admins.")
