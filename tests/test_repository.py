"""The promises the repository makes to a newcomer: README commands, CI, the Slack manifest."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "tests" / "data" / "slack" / "manifest-schema"


def _readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(), flags=re.S)


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_ci_makes_a_missing_browser_a_failure_not_a_skip():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    assert "export LADDER_REQUIRE_BROWSER=1" in lines[: lines.index(test_command)]


def test_readme_has_a_run_command_on_the_embedded_defaults():
    assert any("ladder ask" in c and "pip install" in c for c in _readme_commands())


def test_procfile_migrates_on_release_and_runs_one_clock_beside_the_web_server(tmp_path):
    """Each Procfile line is a shell command: run it with a stand-in `ladder` that says what it was asked to do."""
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    stand_in = tmp_path / "ladder"
    stand_in.write_text('#!/bin/sh\necho "clock=${LADDER_CLOCK:-on} $*"\n')
    stand_in.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    ran = {
        name: subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, check=True).stdout.strip()
        for name, command in processes.items()
    }
    assert ran == {"release": "clock=on db upgrade", "web": "clock=off serve", "clock": "clock=on clock"}
    readme = (ROOT / "README.md").read_text()
    assert all(f"`{name}: {command}`" in readme for name, command in processes.items())  # the README quotes each line


def _manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_is_valid_against_slacks_published_schema():
    import jsonschema

    schema = json.loads((SCHEMAS / "slack-manifest.schema.1.0.0.json").read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(_manifest()))
    assert errors == [], [e.message for e in errors]


def test_manifest_subscribes_to_exactly_the_events_the_app_handles():
    manifest = _manifest()
    subscribed = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert subscribed == {"app_mention", "message.im", "app_home_opened", "user_change", "app_uninstalled", "tokens_revoked"}
    assert manifest["settings"]["org_deploy_enabled"] is True  # Enterprise Grid: installable org-wide
    assert manifest["oauth_config"]["redirect_urls"] == ["https://ladder.example.com/slack/oauth_redirect"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True  # buttons and modals
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ladder"}


def test_every_subscribed_event_gets_a_200_not_a_404(ladder):
    """Bolt answers 404 to an event with no listener, and Slack then retries it."""
    for event in (
        {"type": "app_mention", "user": "U0ASKER", "text": "<@U0BOT> hi", "ts": "1.1", "channel": "C1", "event_ts": "1.1"},
        {
            "type": "message",
            "channel_type": "im",
            "user": "U0ASKER",
            "text": "hi",
            "ts": "1.2",
            "channel": "D1",
            "event_ts": "1.2",
        },
        {"type": "app_home_opened", "user": "U0ASKER", "channel": "D1", "tab": "home", "event_ts": "1.3"},
        {"type": "user_change", "user": {"id": "U0ASKER", "tz": "Europe/Paris", "team_id": "T0TEST"}, "event_ts": "1.4"},
    ):
        assert ladder.slack.event(event)[0] == 200
