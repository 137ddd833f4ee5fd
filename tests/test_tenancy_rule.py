"""One tenant rule (issue #20): authorize, the install callback and the listeners find a request's tenant with the same
Slack-free function, the listeners adding only the payload's workspace when Bolt's context has none."""

from __future__ import annotations

import pytest
from slack_bolt import BoltContext

from bot.tenancy import tenant_id
from handlers.context import tenant_of

CASES = [
    # (enterprise, workspace, org-wide) -> tenant
    (("E0ORG", "T0ONE", True), "E0ORG"),  # org-wide install: the enterprise
    (("E0ORG", None, True), "E0ORG"),  # an org-level event of an org-wide install
    (("E0ORG", "T0SOLO", False), "T0SOLO"),  # a workspace-level install inside an enterprise: its own tenant
    (("E0ORG", None, False), "E0ORG"),  # no workspace named: the enterprise
    ((None, "T0AAA", False), "T0AAA"),
    ((None, "T0AAA", True), "T0AAA"),  # org-wide without an enterprise id: nothing else to go by
    ((None, None, None), None),
]


@pytest.mark.parametrize(("keys", "tenant"), CASES)
def test_the_one_rule(keys, tenant):
    assert tenant_id(*keys) == tenant


@pytest.mark.parametrize(("keys", "tenant"), CASES)
def test_the_listeners_apply_the_same_rule(keys, tenant):
    enterprise, team, org_wide = keys
    context = BoltContext(enterprise_id=enterprise, team_id=team, is_enterprise_install=org_wide)
    assert tenant_of(context, {}) == (tenant or "")


def test_the_listeners_take_the_payloads_workspace_when_the_context_has_none():
    assert tenant_of(BoltContext(), {"team": {"id": "T0AAA"}}) == "T0AAA"
    assert tenant_of(BoltContext(), {"team_id": "T0BBB"}) == "T0BBB"
    org = BoltContext(enterprise_id="E0ORG", is_enterprise_install=True)
    assert tenant_of(org, {"team_id": "T0ONE"}) == "E0ORG"
    assert tenant_of(BoltContext(enterprise_id="E0ORG", is_enterprise_install=False), {"team_id": "T0ONE"}) == "T0ONE"
