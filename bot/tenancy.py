"""Whose data a request from Slack is: the one rule every part of Ladder (authorize, the installation callback, the
listeners) applies to a request's enterprise and workspace ids."""

from __future__ import annotations


def tenant_id(enterprise_id: str | None, team_id: str | None, org_wide: bool | None) -> str | None:
    """The tenant of a request from workspace ``team_id`` of enterprise ``enterprise_id``: the enterprise when the app is
    installed org-wide there (its workspaces are one organisation), else the workspace; an enterprise-level request with
    no workspace (an org-wide event) is the enterprise's. None when the request names neither."""
    if org_wide and enterprise_id:
        return enterprise_id
    return team_id or enterprise_id
