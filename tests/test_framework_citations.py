"""Every packet and decision cites the framework version it was made under (#20): an organisation publishes its
framework as version 1, a panel decides under it, the organisation publishes version 2, and the decision published
afterwards still cites version 1. The real app over HTTP, the fake Slack; SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bot.framework.loader import default_framework_path
from storage.models import Nomination, PanelDecision
from tests.checkin_world import text_of
from tests.test_review_panels import DECISIONS, cli, decide, feedback, rows, score, up_to_the_decisions, world

__all__ = ["cli", "world"]  # the fixtures this module shares


def publish(world, cli, tmp_path: Path, name: str, text: str) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    status, out, err = cli("framework", "publish", str(path))
    assert status == 0, err
    world.services.frameworks.forget()  # the test's server, as its next poll would
    return out


def test_a_decision_keeps_citing_the_version_it_was_made_under(world, cli, tmp_path):
    shipped = default_framework_path().read_text(encoding="utf-8")
    assert 'version: "2026.1"' in shipped
    assert "as version 1" in publish(world, cli, tmp_path, "v1.yaml", shipped.replace('version: "2026.1"', 'version: "2026.7"'))
    up_to_the_decisions(world, cli)
    assert {n.framework_version for n in rows(world, Nomination)} == {1}
    packet = next(f for f in world.slack.files_in("UPAT") if f["name"].startswith("review-packet-"))["content"]
    assert "version 2026.7, published version 1" in packet

    for judge, rating in (("UPAT", "Exceeds"), ("UDEE", "Exceeds"), ("UCHI", "Meets")):
        assert score(world, judge, "UGUS", rating, "Promote")[0] == 200
    _, status, answer = decide(world, "UPAT", "UGUS", {**feedback("Promote", next_steps=False), "Effective date": "2026-04-13"})
    assert status == 200 and answer["response_action"] == "update", answer
    assert [d.framework_version for d in rows(world, PanelDecision)] == [1]

    out = publish(world, cli, tmp_path, "v2.yaml", shipped.replace('version: "2026.1"', 'version: "2026.8"'))
    assert "as version 2" in out
    world.clock.set(DECISIONS)
    world.tick()
    told = text_of(world.last_dm("UGUS")["blocks"])
    assert "promoted you to" in told and "Decided under the framework's published version 1." in told
    assert [d.framework_version for d in rows(world, PanelDecision)] == [1]
