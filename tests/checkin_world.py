"""A small organisation on Ladder for workflow tests: people in the fake Slack (with timezones) and in
Ladder's database (with levels and managers), the app served over HTTP, and time under the test's control."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterator

from bot.runtime.clock import tick
from storage.repositories import PeopleRepository
from tests.app_server import RunningLadder, running_ladder
from tests.clock import TestClock
from tests.fake_slack import FakeSlack
from tests.modal_filler import fill

TEAM = "T0TEST"
PEOPLE = {
    # user: (name, timezone, level, manager)
    "UANA": ("Ana London", "Europe/London", "senior", "UMAX"),
    "UBEN": ("Ben New York", "America/New_York", "se2", "UMAX"),
    "UCHI": ("Chi Sydney", "Australia/Sydney", "staff", "UMAX"),
    "UMAX": ("Max Manager", "Europe/London", "sr_em", None),
    "UPAT": ("Pat Principal", "Europe/Berlin", "principal", "UMAX"),
    "UADMIN": ("Ada Admin", "Europe/London", "em", None),
}


@dataclass
class World:
    ladder: RunningLadder
    clock: TestClock
    slack: FakeSlack

    @property
    def services(self) -> Any:
        return self.ladder.services

    def tick(self) -> int:
        """What the clock process does each minute: write due prompts to the outbox, then send what is due."""
        written = tick(self.services)
        self.services.sender.drain()
        return written

    def drain(self) -> None:
        """What follows the requests so far: the outbox sends what they wrote (answers, Home tabs, messages)."""
        self.services.sender.drain()

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        return self.slack.messages(f"D{user_id}")

    def last_dm(self, user_id: str) -> dict[str, Any]:
        messages = self.dms_to(user_id)
        assert messages, f"no direct message to {user_id}"
        return messages[-1]

    def open_modal(self, user_id: str) -> dict[str, Any]:
        views = self.slack.open_views(user_id)
        assert views, f"no modal was opened for {user_id}"
        return views[-1]

    def submit(self, user_id: str, view: dict[str, Any], answers: dict[str, Any], **kw: Any) -> tuple[int, Any]:
        """Fill and submit a modal as the person would; Slack then shows what the app answered (an updated view)."""
        status, body, _ = self.ladder.slack.view_submission(user_id, view, fill(view, answers, **kw))
        answer = json.loads(body) if body.strip().startswith("{") else body
        if status == 200 and view.get("id"):
            self.slack.answer_submission(view["id"], answer)
        return status, answer

    def shown(self, view_id: str) -> dict[str, Any]:
        """The modal as the person sees it now (after an update by views.update or response_action)."""
        return self.slack.view(view_id)

    def home(self, user_id: str) -> dict[str, Any]:
        status, _, _ = self.ladder.slack.app_home_opened(user_id)
        assert status == 200
        self.drain()  # the Home is published through the outbox
        home = self.slack.home_of(user_id)
        assert home is not None, f"no Home tab published for {user_id}"
        return home


def text_of(blocks: list[dict[str, Any]]) -> str:
    """Every text in a view or message, as a person would read it (for 'does it say X' checks)."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("text"), str):
                out.append(value["text"])
            for key, inner in value.items():
                if key != "text" or not isinstance(inner, str):
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(blocks)
    return "\n".join(out)


@contextlib.contextmanager
def organisation(fake_slack: FakeSlack, tmp_path: Path, database_url: str, start: datetime, **env: str) -> Iterator[World]:
    clock = TestClock(start.astimezone(UTC))
    fake_slack.now = clock.timestamp
    fake_slack.trigger_lifetime = 10**9  # trigger ids are used at the test's pace, not Slack's 3 s
    for user_id, (name, tz, _level, _manager) in PEOPLE.items():
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", name, tz=tz)
    with running_ladder(fake_slack.url, tmp_path, database_url=database_url, now=clock, LADDER_ADMINS="UADMIN", **env) as ladder:
        people = PeopleRepository(ladder.services.engine)
        for user_id, (name, _tz, level, manager) in PEOPLE.items():
            track = "management" if level in ("em", "sr_em", "director", "vp", "cto") else "ic"
            people.upsert(TEAM, user_id, name=name, email=None, track=track, level=level, manager_user_id=manager)
        yield World(ladder, clock, fake_slack)
