"""The whole retention run: uninstalled workspaces past their period erased, then each tenant's own policy applied to
its own rows (the one in the framework it published last), and the deployment's default to every other tenant's.

A tenant's own ``retention:`` governs its rows except ``uninstalled_workspace_days``, which stays the deployment's (how
long an uninstalled workspace is kept is not the workspace's to say). Tenants whose own policy is the default's are
governed with the default; tenants sharing a policy, together. A tenant due for erasure is governed by none: its
erasure removes every row it has. The dry run reads what the run then does, in the same order, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable, Mapping

from sqlalchemy import Engine

from bot.framework.model import RetentionPolicy
from bot.retention import runner, workspaces
from bot.retention.runner import Outcome
from bot.retention.workspaces import Erased
from storage.repositories import oauth_states
from storage.repositories.retention import TeamScope
from storage.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Governed:
    """A policy and whose rows it governs: ``tenants`` whose own it is, or () for the deployment's default."""

    policy: RetentionPolicy
    scope: TeamScope
    tenants: tuple[str, ...] = ()


@dataclass
class RetentionRun:
    """What a run removed (or a dry run would): each uninstalled workspace erased, and each policy's outcomes."""

    erased: list[Erased]
    applied: list[tuple[Governed, list[Outcome]]]
    install_links: int = 0
    """Install links (OAuth states) that expired unused, deleted (or that would be)."""


def governed(default: RetentionPolicy, own: Mapping[str, RetentionPolicy], *, erasing: Iterable[str] = ()) -> list[Governed]:
    """The default first (every tenant but those with a policy of their own, and those being erased), then each other
    policy tenants published, for those tenants."""
    skipped = set(erasing)
    groups: dict[RetentionPolicy, list[str]] = {}
    for tenant, policy in sorted(own.items()):
        if tenant in skipped:
            continue
        policy = replace(policy, uninstalled_workspace_days=default.uninstalled_workspace_days)
        if policy != default:
            groups.setdefault(policy, []).append(tenant)
    separate = sorted(skipped | {t for tenants in groups.values() for t in tenants})
    return [Governed(default, TeamScope(excluding=tuple(separate)))] + [
        Governed(policy, TeamScope(only=tuple(tenants)), tuple(tenants)) for policy, tenants in groups.items()
    ]


def run(
    engine: Engine,
    default: RetentionPolicy,
    own: Mapping[str, RetentionPolicy],
    now: datetime,
    *,
    dry_run: bool = False,
    bounded: bool = True,
) -> RetentionRun:
    """Erase the workspaces past ``default.uninstalled_workspace_days``, then apply each policy to its tenants' rows.
    ``bounded``: the clock's daily run (so many batches, the rest the next day); else until nothing due is left."""
    erasing = workspaces.due_for_erasure(engine, default, now)
    if dry_run:
        erased = [workspaces.preview(engine, tenant) for tenant in erasing]
    else:
        erased = workspaces.erase_uninstalled(
            engine, default, now, tenants=erasing, max_batches=workspaces.BATCHES_PER_RUN if bounded else None
        )
    applied = []
    for part in governed(default, own, erasing=erasing):
        if dry_run:
            outcomes = runner.preview(engine, part.policy, now, scope=part.scope)
        else:
            batches = runner.BATCHES_PER_RUN if bounded else None
            outcomes = runner.apply(engine, part.policy, now, scope=part.scope, max_batches=batches)
        applied.append((part, outcomes))
    with unit_of_work(engine, reads_only=dry_run) as work:
        links = (oauth_states.count_expired if dry_run else oauth_states.delete_expired)(work.session, now)
    return RetentionRun(erased, applied, links)
