"""`ladder workspace list|erase`: the workspaces (tenants) Ladder serves or served, and erasing one's data now.

``erase TEAM`` takes a workspace id (its tenant is erased: for a workspace of an org-wide install, the whole enterprise)
or a tenant's own id. It erases only a tenant that is inactive (uninstalled, its bot token revoked) unless ``--force``,
which first marks it inactive (nothing more is sent to it); ``--dry-run`` counts, per table, what would go and changes
nothing. It never prompts: scripts and CI run it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli import common
from bot.cli.common import command
from bot.errors import LadderError

if TYPE_CHECKING:  # read when the command runs, so `ladder ask` loads no database code
    from bot.retention.workspaces import Erased


def add_commands(commands: argparse._SubParsersAction) -> None:
    workspace = commands.add_parser(
        "workspace", help="workspaces Ladder is installed in, and erasing one's data (docs/workspaces.md)"
    )
    actions = workspace.add_subparsers(metavar="ACTION", required=True)
    command(actions, "list", _list, "each tenant (workspace or org-wide enterprise): status, since when, its workspaces")
    erase = command(
        actions, "erase", _erase, "delete every row of one workspace's tenant now (an uninstalled one, unless --force)"
    )
    erase.add_argument("team", metavar="TEAM", help="a workspace id (T…) or an org-wide install's enterprise id (E…)")
    erase.add_argument("--dry-run", action="store_true", help="only count, per table, what would be deleted; change nothing")
    erase.add_argument(
        "--force", action="store_true", help="erase a tenant that is still active too (it is marked inactive first)"
    )


def _list(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from storage.repositories.outbox import Outbox
    from storage.repositories.tenants import INACTIVE, Tenants
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    keep = timedelta(days=services.framework.retention.uninstalled_workspace_days)
    lines = []
    with unit_of_work(services.engine, reads_only=True) as work:
        tenants = Tenants(work.session)
        for tenant in tenants.all():
            kind = "enterprise, org-wide" if tenant.org_wide else "workspace"
            name = f" {tenant.name!r}" if tenant.name else ""
            if tenant.status == INACTIVE and tenant.inactive_since is not None:
                held = Outbox(work.session).held_for(tenant.id)
                state = (
                    f"inactive since {tenant.inactive_since:%Y-%m-%d %H:%M} UTC ({tenant.inactive_reason or 'inactive'}), "
                    f"{held} message{'s' * (held != 1)} held, erased after {tenant.inactive_since + keep:%Y-%m-%d}"
                )
            else:
                state = f"active since {tenant.installed_at:%Y-%m-%d %H:%M} UTC"
            spans = ", ".join(tenants.workspaces(tenant.id)) or "none seen yet"
            lines.append(f"{tenant.id}{name} ({kind}): {state}; workspaces: {spans}")
    print("\n".join(lines) if lines else "no installations recorded (single-workspace mode, or none installed yet)")
    return 0


def _erase(args: argparse.Namespace) -> int:
    from bot.retention.workspaces import erase, preview
    from storage.repositories.tenants import ACTIVE, Tenants
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    with unit_of_work(services.engine, reads_only=True) as work:
        tenants = Tenants(work.session)
        tenant = tenants.tenant_of_workspace(args.team) or args.team
        row = tenants.get(tenant)
    counted = preview(services.engine, tenant)
    if row is None and not counted.total:
        raise LadderError(f"nothing is held for {args.team}: no tenant or workspace of one by that id, and no rows")
    active = row is None or row.status == ACTIVE  # no row: single-workspace mode, served until uninstalled
    about = f"{tenant} (the tenant of workspace {args.team})" if tenant != args.team else tenant
    if args.dry_run:
        print(_report(counted, f"Erasing {about} would delete", active=active))
        return 0
    if active and not args.force:
        raise LadderError(
            f"{about} is active (Ladder is installed there): uninstall Ladder from it first, or give --force to erase it "
            "anyway (see what would go with --dry-run)"
        )
    if active:
        with unit_of_work(services.engine) as work:
            Tenants(work.session).deactivated(tenant, reason="erased", at=services.now())
    erased = erase(services.engine, tenant)
    print(_report(erased, f"Erased {about}:", active=False))
    if erased.more:
        raise LadderError(f"{tenant} was installed again while it was being erased: what is left was kept")
    return 0


def _report(erased: Erased, heading: str, *, active: bool) -> str:
    lines = [f"{heading} {erased.total} row{'s' * (erased.total != 1)}"]
    lines += [f"- {table}: {n}" for table, n in erased.rows.items()]
    if active:
        lines.append("It is active: erasing it needs --force (it is marked inactive first).")
    return "\n".join(lines)
