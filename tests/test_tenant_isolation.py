"""Isolation between tenants, through the running app installed with Add to Slack, on SQLite and PostgreSQL: acting in
workspace A — as A's admin and as each of B's people (their ids reach A's workspace too, as on Enterprise Grid) — every
listener the app registers and every `ladder` command that takes --team is driven with B's ids (nominations, review
requests, evidence, mentorships, stretch work, cycles, panels, channels, people); then nothing any answer, outbox row,
Slack call or page carries holds anything of B's (every text of B's carries MARK), no call is made with B's token, and
B's rows are what they were. A new listener or command without a case here fails the coverage tests."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlmodel import Session, select

from bot.cli import _parser
from handlers import commands, register_all
from messages.pages import organisation_site
from storage.models import OutboxMessage
from storage.repositories.tenants import ACTIVE, Tenants
from tests.app_server import SIGNING_SECRET, browse
from tests.tenant_world import (
    B_CHANNEL,
    B_CYCLE,
    B_PANEL,
    EVIDENCE,
    FRAMEWORK_NAME,
    MARK,
    PEOPLE,
    A,
    B,
    TwoTenants,
    rows_of,
    two_tenants,
)

ACTORS = ("UAADMIN", *PEOPLE)
"""Who acts in A's workspace: A's own admin (its installer), then each of B's people."""


# -- what the app registers, and what the command line has ----------------------------------------------------------------


class _Registrations:
    """Stands in for Bolt's App in handlers.register_all, keeping (kind, listener) for every registration."""

    def __init__(self) -> None:
        self.listeners: list[tuple[str, Callable[..., Any]]] = []

    def use(self, middleware: Any) -> None:
        pass

    def __getattr__(self, kind: str) -> Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]:
        def register(*matchers: Any, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
            def keep(listener: Callable[..., Any]) -> Callable[..., Any]:
                self.listeners.append((kind, listener))
                return listener

            return keep

        return register


def registered_listeners() -> set[str]:
    registrations = _Registrations()
    register_all(registrations, services=None)  # type: ignore[arg-type]
    return {f"{listener.__module__.rsplit('.', 1)[-1]}.{listener.__name__}" for _, listener in registrations.listeners}


def commands_with_team() -> set[str]:
    """Every `ladder` command (its words) whose parser has a --team option."""

    def leaves(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield " ".join(words), parser
        for sub in subs:
            for name, child in sub.choices.items():
                yield from leaves(child, (*words, name))

    return {words for words, parser in leaves(_parser(), ()) if any("--team" in a.option_strings for a in parser._actions)}


# -- a forger in A ---------------------------------------------------------------------------------------------------------


@dataclass
class Forger:
    tenants: TwoTenants
    answers: list[tuple[str, str]] = field(default_factory=list)
    """(case, what the app answered over HTTP)."""

    @property
    def slack(self) -> Any:
        return self.tenants.world.ladder.slack

    @property
    def value(self) -> str:
        """Every id of B's a button or modal of Ladder's carries, in one value (each listener reads its own key)."""
        ids = self.tenants.ids
        return json.dumps(
            {
                "nomination": ids.nomination, "mentorship": ids.mentorship, "assignment": ids.stretch,
                "interest": ids.interest, "evidence": ids.evidence, "cycle": ids.cycle, "panel": ids.panel,
                "review": ids.review_requests[0], "mentor": "UPAT", "competency": "strategic_influence",
                "declined": "UPAT", "key": f"checkin:{B}:UANA", "channel": B_CHANNEL, "home": False,
            }
        )  # fmt: skip

    def keep(self, case: str, answer: tuple[int, str, dict[str, str]]) -> None:
        status, body, _ = answer
        assert status in (200, 404), (case, status, body)
        self.answers.append((case, body))

    def press(self, case: str, action_id: str) -> None:
        for actor in ACTORS:
            self.keep(case, self.slack.block_actions(actor, action_id, value=self.value, channel_id=f"D{actor}", team_id=A))

    def submit(self, case: str, callback_id: str) -> None:
        """B's own modal of that kind (as B's person submitted it) if there was one, else a bare one, its metadata B's
        ids; submitted and closed from A's workspace."""
        view, values = self.tenants.world.submitted.get(callback_id, ({"callback_id": callback_id, "blocks": []}, {}))
        view, values = _scrubbed(view), _scrubbed(values)  # what A sends carries nothing of B's words, only B's ids
        metadata = {**json.loads(self.value), **_json(view.get("private_metadata"))}
        forged = {**view, **_in_a, "callback_id": callback_id, "private_metadata": json.dumps(metadata)}
        for actor in ACTORS:
            self.keep(case, self.slack.view_submission(actor, forged, values, team_id=A))

    def close(self, case: str, callback_id: str) -> None:
        view, values = self.tenants.world.submitted.get(callback_id, ({"callback_id": callback_id, "blocks": []}, {}))
        view, values = _scrubbed(view), _scrubbed(values)
        forged = {**view, **_in_a, "callback_id": callback_id, "notify_on_close": True, "private_metadata": self.value}
        for actor in ACTORS:
            self.keep(case, self.slack.view_closed(actor, forged, values, team_id=A))

    def command(self, case: str, text: str, actors: tuple[str, ...] = ACTORS) -> None:
        for actor in actors:
            self.keep(case, self.slack.slash_command(text, user_id=actor, channel_id=B_CHANNEL, team_id=A))

    def event(self, case: str, send: Callable[[str], tuple[int, str, dict[str, str]]]) -> None:
        for actor in ACTORS:
            self.keep(case, send(actor))


_in_a = {"team_id": A, "app_installed_team_id": A}
"""A view as Slack sends it from A's workspace: Bolt takes a view's tenant from app_installed_team_id, which Slack sets
(a view B's installation opened is B's request, whoever the payload's team says; Slack's signature makes it so)."""


def _scrubbed(value: Any) -> Any:
    return json.loads(re.sub(MARK, "plain", json.dumps(value), flags=re.IGNORECASE))


def _json(raw: Any) -> dict[str, Any]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _press(action_id: str) -> Callable[[Forger], None]:
    return lambda f: f.press(action_id, action_id)


def _submit(callback_id: str) -> Callable[[Forger], None]:
    return lambda f: f.submit(callback_id, callback_id)


def _close(callback_id: str) -> Callable[[Forger], None]:
    return lambda f: f.close(callback_id, callback_id)


QUESTIONS = (
    "what does technical depth mean?", "what is <@UANA|ana>'s level?", f"who sits on {B_PANEL}?",
    f"when is {B_CYCLE}?", "help",
)  # fmt: skip
SUBCOMMANDS = {
    "checkin": ("checkin", "checkin settings", "checkin weekly"),
    "check-in": ("check-in",),
    "mentor": ("mentor",),
    "stretch": ("stretch",),
    "nominate": ("nominate <@UANA|ana>", "nominate <@UBEN|ben>"),
    "nominations": ("nominations",),
    "evidence": ("evidence", "evidence technical depth"),
    "admins": ("admins", "admins add <@UBEN|ben>", "admins remove <@UADMIN|ada>"),
    "digest": ("digest", f"digest {B_PANEL}"),
    "cycle": ("cycle", f"cycle {B_CYCLE}"),
    "panel": ("panel",),
}
"""What A types after /ladder, by subcommand (commands.SUBCOMMANDS): B's cycle, panel and people named."""


def _slash(f: Forger) -> None:
    for texts in SUBCOMMANDS.values():
        for text in texts:
            actors = ACTORS[1:] if text.startswith("admins ") else ACTORS  # A's admin may add admins to A: not a probe
            f.command(f"/ladder {text}", text, actors)
    for question in QUESTIONS:
        f.command(f"/ladder {question}", question)


def _user_change(f: Forger) -> None:
    for user in PEOPLE:
        sent = {**f.tenants.world.slack.user_object(user), "team_id": A, "tz": "Pacific/Auckland", "real_name": "Renamed"}
        f.keep("user_change", f.slack.user_change(sent, team_id=A))


def _save_evidence(f: Forger) -> None:
    posted = {"type": "message", "user": "UANA", "text": "a message in A", "ts": "1773655300.000100"}
    for actor in ACTORS:
        f.keep("save_evidence", f.slack.message_action(actor, "save_evidence", posted, "C0GENERAL", team_id=A))


LISTENER_CASES: dict[str, Callable[[Forger], None]] = {
    "commands.slash_command": _slash,
    "questions.mentioned": lambda f: [
        f.event("app_mention", lambda actor, q=q: f.slack.app_mention(f"<@U0BOT> {q}", user=actor, team_id=A)) for q in QUESTIONS
    ],
    "questions.direct_message": lambda f: [
        f.event("message.im", lambda actor, q=q: f.slack.direct_message(q, user=actor, channel=f"D{actor}", team_id=A))
        for q in QUESTIONS
    ],
    "home.home_opened": lambda f: f.event("app_home_opened", lambda actor: f.slack.app_home_opened(actor, team_id=A)),
    "people.user_changed": _user_change,
    "checkins.start": _press("checkin_start"),
    "checkins.snooze": _press("checkin_snooze"),
    "checkins.skip": _press("checkin_skip"),
    "checkins.turn_off": _press("checkin_turn_off"),
    "checkins.submitted": _submit("checkin"),
    "checkins.closed": _close("checkin"),
    "checkins.open_preferences": _press("preferences_open"),
    "checkins.preferences_submitted": _submit("checkin_preferences"),
    "growth.open_mentor": _press("mentor_open"),
    "growth.mentor_submitted": _submit("mentor_offer"),
    "growth.request_mentor": _press("mentor_request:UPAT"),
    "growth.accept_mentee": _press("mentor_accept:UANA"),
    "growth.decline_mentee": _press("mentor_decline:UANA"),
    "growth.open_stretch": _press("stretch_open"),
    "growth.stretch_submitted": _submit("stretch_post"),
    "growth.interested": _press("stretch_interested"),
    "growth.give": _press("stretch_give"),
    "nominations.shortcut": lambda f: [
        f.keep("nominate_shortcut", f.slack.shortcut(a, "nominate_shortcut", team_id=A)) for a in ACTORS
    ],
    "nominations.start_submitted": _submit("nominate"),
    "nominations.case_submitted": _submit("nomination_case"),
    "nominations.case_closed": _close("nomination_case"),
    "nominations.resume": lambda f: f.press("nomination_continue", "nomination_continue:1"),
    "nominations.withdraw": lambda f: f.press("nomination_withdraw", "nomination_withdraw:1"),
    "nominations.open_replace": _press("review_replace"),
    "nominations.replace_submitted": _submit("review_replace_modal"),
    "reviews.open_review": lambda f: f.press("review_write", "review_write:1"),
    "reviews.review_submitted": _submit("review"),
    "reviews.open_decline": lambda f: f.press("review_decline", "review_decline:1"),
    "reviews.decline_submitted": _submit("review_decline_modal"),
    "evidence.shortcut": _save_evidence,
    "evidence.submitted": _submit("evidence"),
    "evidence.delete": lambda f: f.press("evidence_delete", "evidence_delete:1"),
    "panels.open_packet": _press("panel_packet"),
    "panels.open_score": _press("panel_score"),
    "panels.score_submitted": _submit("panel_score_modal"),
    "panels.read_scores": _press("panel_scores"),
    "panels.declare_conflict": _press("panel_conflict"),
    "panels.open_decide": _press("panel_decide"),
    "panels.decide_submitted": _submit("panel_decide_modal"),
    "panels.open_appeal": _press("panel_appeal"),
    "panels.appeal_submitted": _submit("panel_appeal_modal"),
    "panels.open_hearing": _press("panel_hear"),
    "panels.hearing_submitted": _submit("panel_hear_modal"),
    "panels.cycle_submitted": _submit("panel_cycle_modal"),
    "panels.panel_submitted": _submit("panel_setup_modal"),
    "questions.asked_again": _press("question_again"),
    "home.open_ask": _press("home_ask"),
    "home.ask_submitted": _submit("ask"),
    "rights.my_data": _press("home_my_data"),
    "fairness.open_self_id": _press("fairness_self_id_open"),
    "fairness.self_id_submitted": _submit("fairness_self_id"),
    "framework_uploads.publish_pressed": _press("framework_publish"),
    "framework_uploads.cancel_pressed": _press("framework_cancel"),
}
"""A case for every listener handlers.register_all registers (module.function), but the two that end A's installation:
those are LAST_CASES, sent after everything else."""


def _uninstalled(f: Forger) -> None:
    f.keep("app_uninstalled", f.slack.event({"type": "app_uninstalled", "event_ts": "1.2"}, team_id=A))


def _tokens_revoked(f: Forger) -> None:
    bots = [i.bot_user_id for i in f.tenants.world.slack.installations(B)]
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": bots}, "event_ts": "1.3"}
    f.keep("tokens_revoked", f.slack.event(event, team_id=A))


LAST_CASES: dict[str, Callable[[Forger], None]] = {
    "installations.tokens_revoked": _tokens_revoked,  # B's bot user named, from A: B must stay installed
    "installations.uninstalled": _uninstalled,  # A uninstalls itself: B must stay installed
}


def _cli_cases(tmp: Path) -> dict[str, list[str]]:
    people = tmp / "people.csv"
    people.write_text("slack_id,name,level,manager\nUANA,Ana in A,senior,\n")
    framework = tmp / "a.yaml"
    framework.write_text((Path(__file__).parents[1] / "bot" / "framework" / "default.yaml").read_text())
    groups = tmp / "groups.csv"
    groups.write_text("slack_id,gender\nUANA,woman\n")
    cycle = ["--opens", "2026-03-16", "--reviews-due", "2026-03-27", "--panel-from", "2026-03-30", "--decisions", "2026-04-10"]
    return {
        "ask": ["ask", "what does technical depth mean?", "--user", "UANA"],
        "framework history": ["framework", "history"],
        "framework publish": ["framework", "publish", str(framework)],
        "people import": ["people", "import", str(people), "--dry-run"],
        "people groups import": ["people", "groups", "import", str(groups), "--dry-run"],
        "checkins cadence": ["checkins", "cadence", "UANA", "monthly"],
        "checkins schedule": ["checkins", "schedule", "--user", "UANA", "--days", "30"],
        "checkins holidays": ["checkins", "holidays"],
        "outbox failed": ["outbox", "failed"],
        "admins add": ["admins", "add", "UANA"],
        "admins remove": ["admins", "remove", "UADMIN"],
        "admins list": ["admins", "list"],
        "nominations list": ["nominations", "list", "--cycle", B_CYCLE],
        "nominations export": ["nominations", "export", "--cycle", B_CYCLE],
        "cycle edit": ["cycle", "edit", B_CYCLE, "--review-cap", "9"],
        "cycle close": ["cycle", "close", B_CYCLE],
        "cycle rename": ["cycle", "rename", B_CYCLE, "Renamed by A"],
        "cycle remove": ["cycle", "remove", B_CYCLE],
        "cycle list": ["cycle", "list"],
        "cycle publish": ["cycle", "publish", B_CYCLE],
        "cycle report": ["cycle", "report", B_CYCLE],
        "panel edit": ["panel", "edit", B_PANEL, "--members", "UCHI"],
        "panel rename": ["panel", "rename", B_PANEL, "Renamed by A"],
        "panel remove": ["panel", "remove", B_PANEL],
        "panel list": ["panel", "list"],
        "digest": ["digest", B_PANEL, "--cycle", B_CYCLE],
        "audit": ["audit", "--cycle", B_CYCLE],
        "person export": ["person", "export", "UANA"],
        "person erase": ["person", "erase", "UANA", "--by", "UAADMIN"],
        "fairness report": ["fairness", "report", "--cycle", B_CYCLE],
        "fairness trend": ["fairness", "trend"],
        "cycle create": ["cycle", "create", B_CYCLE, *cycle],  # after every command naming B's cycle, so none finds A's
        "panel create": ["panel", "create", B_PANEL, "--chair", "UADMIN", "--members", "UBEN", "--channel", B_CHANNEL],
    }


# -- the tests --------------------------------------------------------------------------------------------------------------


def test_every_listener_the_app_registers_has_an_isolation_case():
    cases = set(LISTENER_CASES) | set(LAST_CASES)
    assert registered_listeners() - cases == set(), "a listener without an isolation case: add one to LISTENER_CASES"
    assert cases - registered_listeners() == set(), "a case for a listener that is no longer registered"
    assert set(SUBCOMMANDS) == set(commands.SUBCOMMANDS), "a /ladder subcommand without an isolation case"


def test_every_command_that_takes_team_has_an_isolation_case(tmp_path):
    assert set(_cli_cases(tmp_path)) == commands_with_team(), "a `ladder` command with --team needs a case in _cli_cases"


def _marked(text: str) -> list[str]:
    return sorted({m.group(0) for m in re.finditer(rf".{{0,40}}{MARK}.{{0,40}}", text, re.IGNORECASE)})


def _pages(url: str, root: str, limit: int = 40) -> Iterator[tuple[str, str]]:
    """The pages under ``root``, following its links (a few dozen)."""
    seen, queue = set(), [root]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = browse(f"{url}{path}")
        yield path, page.body
        for link in re.findall(r'href="([^"#?]+)"', page.body):
            absolute = link if link.startswith("/") else f"{path.rsplit('/', 1)[0]}/{link}"
            if absolute.startswith(root) and absolute not in seen:
                queue.append(absolute)


def test_tenant_a_sees_nothing_of_tenant_b(fake_slack, tmp_path, database_url):
    with two_tenants(fake_slack, tmp_path, database_url) as tenants:
        world, engine = tenants.world, tenants.world.services.engine
        # the probes reach B's data when B asks: what A must not see is there to see
        assert EVIDENCE in world.ladder.slack.slash_command("evidence", user_id="UANA")[1]
        assert FRAMEWORK_NAME in browse(f"{world.ladder.url}/ladder/{organisation_site(B, SIGNING_SECRET)}").body
        listed = world.ladder.slack.slash_command("nominations", user_id="UMAX")[1]
        assert f'\\"nomination\\":{tenants.ids.nomination}' in listed, listed

        fake_slack.expect_refusals("channel_not_found")  # A's token asking after B's panel channel: Slack's own wall
        before, since, outbox_before = rows_of(engine, B), len(fake_slack.calls()), _outbox_ids(engine, A)
        forger = Forger(tenants)
        for case in LISTENER_CASES.values():
            case(forger)
        world.drain()

        leaks = [(case, _marked(body)) for case, body in forger.answers if _marked(body)]
        with Session(engine) as session:
            written = [
                r for r in session.exec(select(OutboxMessage).where(OutboxMessage.team_id == A)) if r.id not in outbox_before
            ]
        leaks += [(f"outbox {r.purpose}", _marked(json.dumps(r.payload))) for r in written if _marked(json.dumps(r.payload))]
        calls = fake_slack.calls()[since:]
        leaks += [(f"Slack {c.method}", _marked(json.dumps(c.args))) for c in calls if _marked(json.dumps(c.args))]
        pages = list(_pages(world.ladder.url, f"/ladder/{organisation_site(A, SIGNING_SECRET)}"))
        assert len(pages) > 5 and "Example Engineering" in pages[0][1]  # A's pages served, from the default framework
        leaks += [(f"page {path}", _marked(body)) for path, body in pages]
        leaks = [leak for leak in leaks if leak[1]]

        cli = _cli_cases(tmp_path)
        statuses = {}
        for name, argv in cli.items():
            status, out, err = tenants.cli(*argv, "--team", A)
            statuses[name] = status
            if _marked(out + err):
                leaks.append((f"ladder {name}", _marked(out + err)))
            assert "Traceback" not in err, (name, err)

        for case in LAST_CASES.values():
            case(forger)
        world.drain()

        assert leaks == [], "\n".join(f"{where}: {found}" for where, found in leaks)
        assert [c.method for c in fake_slack.calls()[since:] if c.team == B] == []  # nothing with B's token
        assert rows_of(engine, B) == before
        with Session(engine) as session:
            tenant_b = Tenants(session).get(B)
            assert tenant_b is not None and tenant_b.status == ACTIVE
        assert {name for name, status in statuses.items() if status != 0} == NOT_FOUND_IN_A, statuses


NOT_FOUND_IN_A = {
    "nominations list", "nominations export", "cycle edit", "cycle close", "cycle rename", "cycle remove", "cycle publish",
    "cycle report", "panel edit", "panel rename", "panel remove", "digest", "audit", "fairness report",
    "people groups import",  # B's person is nobody in A
    "panel create",  # B's channel: A's installation cannot see it (Slack answers channel_not_found)
}  # fmt: skip
"""The commands that name B's cycle, panel or person (not A's) and so refuse, as for a name that is nowhere."""


def _outbox_ids(engine: Any, tenant: str) -> set[int | None]:
    with Session(engine) as session:
        return {r.id for r in session.exec(select(OutboxMessage).where(OutboxMessage.team_id == tenant))}
