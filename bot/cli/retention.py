"""`ladder retention run [--dry-run]`: apply the retention policies now — uninstalled workspaces past their period
erased, each tenant's own policy (its published framework's) on its rows, the framework file's on every other's — or
say what it would remove."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Sequence

from bot.cli import common
from bot.cli.common import command

if TYPE_CHECKING:  # the runner reads the database: imported when the command runs, so `ladder ask` never loads it
    from bot.retention.per_tenant import RetentionRun
    from bot.retention.runner import Outcome


def add_commands(commands: argparse._SubParsersAction) -> None:
    retention = commands.add_parser("retention", help="the retention policy: what Ladder keeps how long (docs/retention.md)")
    actions = retention.add_subparsers(metavar="ACTION", required=True)
    run = command(actions, "run", _run, "remove every record the retention policy says is due now (the clock does it daily)")
    run.add_argument("--dry-run", action="store_true", help="only count what would go, with each cut-off date; change nothing")


def _run(args: argparse.Namespace) -> int:
    from bot.retention import per_tenant
    from bot.runtime.clock import own_retention

    services = common.load_services()
    try:
        now = services.now()
        policy = services.framework.retention
        done = per_tenant.run(services.engine, policy, own_retention(services), now, dry_run=args.dry_run, bounded=False)
    finally:
        services.engine.dispose()
    print(whole_report(done, now, policy.uninstalled_workspace_days, dry_run=args.dry_run))
    return 0


def whole_report(done: RetentionRun, now: datetime, uninstalled_days: int, *, dry_run: bool) -> str:
    """The default policy's lines (headed, when some tenants have their own), each tenant policy's, then the
    uninstalled workspaces erased."""
    (_default, outcomes), *own = done.applied
    text = report(outcomes, now, dry_run=dry_run)
    if own:
        first, rest = text.split("\n", 1)
        text = f"{first}\nThe framework file's policy, for every tenant without one of its own:\n{rest}"
    for part, outcomes in own:
        lines = report(outcomes, now, dry_run=dry_run).splitlines()[1:]
        text += f"\nThe policy of {', '.join(part.tenants)}'s own published framework:\n" + "\n".join(lines)
    if done.erased:
        verb = "would be erased" if dry_run else "erased"
        text += f"\nUninstalled workspaces past {uninstalled_days} days (retention.uninstalled_workspace_days), {verb} whole:"
        for erased in done.erased:
            left = " (some left: it was installed again meanwhile)" if erased.more else ""
            text += f"\n- {erased.tenant}: {erased.total} row{'s' * (erased.total != 1)}{left}"
    if done.install_links:
        verb = "would be deleted" if dry_run else "deleted"
        text += f"\nInstall links that expired unused (Add to Slack started, never finished): {done.install_links} {verb}"
    return text


def report(outcomes: Sequence[Outcome], now: datetime, *, dry_run: bool) -> str:
    """One line per kind: how long it is kept (and the framework field that says so), its cut-off, and how many go."""
    verb = "would go" if dry_run else "removed"
    lines = [
        f"Retention policy at {now:%Y-%m-%d %H:%M} UTC" + (" (dry run: nothing was removed)" if dry_run else ""),
    ]
    for outcome in outcomes:
        due = outcome.due
        policy = f"kept {due.kept_for} (retention.{due.setting})"
        if due.cutoff is None:
            lines.append(f"- {due.label}: {policy}")
            continue
        line = f"- {due.label}: {policy}; older than {due.cutoff:%Y-%m-%d %H:%M} UTC: {outcome.count} {verb}"
        related = [(table, n) for table, n in list(outcome.rows.items())[1:] if n]
        if related:
            line += ", with " + ", ".join(_rows(table, n) for table, n in related)
        lines.append(line)
    return "\n".join(lines)


RELATED = {
    "review_request": ("peer review request", "peer review requests"),
    "conflict_declaration": ("declared conflict", "declared conflicts"),
    "panel_score": ("panel score", "panel scores"),
    "panel_decision": ("decision", "decisions"),
    "appeal": ("appeal", "appeals"),
    "audit_event": ("audit event", "audit events"),
    "level_change (unlinked, kept)": ("level change unlinked (kept)", "level changes unlinked (kept)"),
}
"""How a nomination's dependent rows are named in the report."""


def _rows(table: str, n: int) -> str:
    one, many = RELATED.get(table, (table.replace("_", " "), table.replace("_", " ")))
    return f"{n} {one if n == 1 else many}"
