"""Who sees an answer, as a matrix: every surface against answers about the asker and general ones."""

from __future__ import annotations

import pytest

from bot.confidentiality import Audience, Surface, answer_audience, mention_surface

MATRIX = {
    # surface:                 (general answer,        answer about the asker)
    Surface.SLASH_COMMAND: (Audience.ASKER_ONLY, Audience.ASKER_ONLY),
    Surface.CHANNEL_MENTION: (Audience.CONVERSATION, Audience.ASKER_ONLY),
    Surface.DIRECT_MESSAGE: (Audience.CONVERSATION, Audience.CONVERSATION),
    Surface.TERMINAL: (Audience.CONVERSATION, Audience.CONVERSATION),
}


def test_the_matrix_covers_every_surface():
    assert set(MATRIX) == set(Surface)


@pytest.mark.parametrize(("surface", "about_the_asker"), [(s, a) for s in Surface for a in (False, True)])
def test_who_sees_an_answer(surface, about_the_asker):
    assert answer_audience(surface, about_the_asker=about_the_asker) is MATRIX[surface][about_the_asker]


@pytest.mark.parametrize(
    ("channel", "surface"),
    [("C0GENERAL", Surface.CHANNEL_MENTION), ("G0PRIVATE", Surface.CHANNEL_MENTION), ("D0ASKER", Surface.DIRECT_MESSAGE)],
)
def test_a_mention_is_in_a_channel_unless_it_is_a_direct_conversation(channel, surface):
    assert mention_surface(channel) is surface


# -- career data: every relation × action, then every read path in the running app --------------------------

from datetime import UTC, datetime  # noqa: E402

from bot.confidentiality import Action, Relation, can, relations  # noqa: E402

R = Relation
SPEC: dict[Action, set[Relation]] = {
    # Written out here, apart from the policy, as the product promises it: who may do what.
    Action.READ_CHECKIN: {R.SELF, R.SHARED_WITH},
    Action.READ_GROWTH_PLAN: {R.SELF},
    Action.READ_SCHEDULE: {R.SELF},
    Action.READ_FAILED_DELIVERIES: {R.ADMIN},
    Action.MANAGE_ADMINS: {R.ADMIN},
    Action.NOMINATE: {R.SELF, R.MANAGER_CHAIN, R.ADMIN},
    Action.READ_NOMINATION_STAGE: {R.NOMINEE, R.NOMINATOR, R.ADMIN},
    Action.LIST_NOMINATIONS: {R.ADMIN},
    Action.READ_NOMINATION_CASE: {R.NOMINATOR},
    Action.READ_REVIEW_PROGRESS: {R.NOMINATOR, R.ADMIN},
    Action.WITHDRAW_NOMINATION: {R.NOMINATOR, R.ADMIN},
    Action.READ_REVIEW_REQUEST: {R.REVIEWER},
    Action.READ_REVIEW: {R.REVIEWER},
    Action.WRITE_REVIEW: {R.REVIEWER},
    Action.LOG_EVIDENCE_ABOUT: {R.SELF, R.MANAGER_CHAIN},
    Action.READ_EVIDENCE: {R.SELF, R.AUTHOR},
    Action.OFFER_EVIDENCE: {R.SELF, R.AUTHOR, R.MANAGER_CHAIN},
    Action.DELETE_EVIDENCE: {R.AUTHOR},
    # review panels: a recused member reads only what the panel channel says; scores are blind until one's own is in
    Action.READ_DIGEST_ENTRY: {R.PANEL_CHAIR, R.PANEL_MEMBER, R.RECUSED, R.PANEL_AWAITING},
    Action.READ_PANEL_PACKET: {R.PANEL_CHAIR, R.PANEL_MEMBER, R.APPEAL_PANEL},
    Action.SCORE_NOMINATION: {R.PANEL_CHAIR, R.PANEL_MEMBER},
    Action.READ_PANEL_SCORES: {R.SCORED, R.APPEAL_PANEL},  # the chair too scores before reading the others'
    Action.DECLARE_CONFLICT: {R.PANEL_CHAIR, R.PANEL_MEMBER, R.APPEAL_PANEL},
    Action.DECIDE_NOMINATION: {R.PANEL_CHAIR},
    Action.READ_DECISION: {R.NOMINEE, R.MANAGER, R.PANEL_CHAIR, R.PANEL_MEMBER, R.APPEAL_PANEL},
    Action.READ_OUTCOME: {R.NOMINEE, R.MANAGER, R.NOMINATOR, R.PANEL_CHAIR, R.PANEL_MEMBER, R.APPEAL_PANEL},
    Action.APPEAL_DECISION: {R.NOMINEE},
    Action.DECIDE_APPEAL: {R.APPEAL_CHAIR},
    # group data: a person's own answers are theirs alone (their manager, an admin, a panel: never)
    Action.READ_OWN_GROUPS: {R.SELF},
}


def test_the_matrix_covers_every_action():
    assert set(SPEC) == set(Action)


@pytest.mark.parametrize(("relation", "action"), [(r, a) for r in Relation for a in Action])
def test_every_relation_against_every_action(relation, action):
    """Each relation alone (everyone is also a colleague): allowed exactly where the specification says."""
    assert can(frozenset({relation, R.COLLEAGUE}), action) is (relation in SPEC[action])


OWNER, MANAGER, BOSS, MENTOR, ADMIN, COLLEAGUE, REVIEWER = "UOWNER", "UMANAGER", "UBOSS", "UMENTOR", "UADMIN", "UCOLL", "UREV"


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (OWNER, {R.SELF, R.NOMINEE}),
        (MANAGER, {R.MANAGER, R.MANAGER_CHAIN, R.NOMINATOR, R.AUTHOR}),
        (BOSS, {R.MANAGER_CHAIN}),
        (MENTOR, {R.MENTOR}),
        (ADMIN, {R.ADMIN}),
        (REVIEWER, {R.REVIEWER}),
        (COLLEAGUE, set()),
    ],
)
def test_relations_are_computed_from_the_data(viewer, expected):
    found = relations(
        viewer, OWNER, manager=MANAGER, mentors=frozenset({MENTOR}), admins=frozenset({ADMIN}),
        chain=frozenset({MANAGER, BOSS}), nominee=OWNER, nominator=MANAGER, reviewers=frozenset({REVIEWER}), author=MANAGER,
    )  # fmt: skip
    assert found == frozenset(expected | {R.COLLEAGUE})


CHAIR, JUDGE, RECUSED, HEARER, SECOND_HEARER = "UCHAIR", "UJUDGE", "URECUSED", "UHEARER", "UHEARER2"


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (CHAIR, {R.PANEL_CHAIR, R.PANEL_MEMBER, R.SCORED}),
        (JUDGE, {R.PANEL_MEMBER}),
        (RECUSED, {R.RECUSED}),
        (HEARER, {R.APPEAL_PANEL, R.APPEAL_CHAIR}),
        (SECOND_HEARER, {R.APPEAL_PANEL}),
        (COLLEAGUE, set()),
    ],
)
def test_panel_roles_are_computed_from_who_sits(viewer, expected):
    from bot.confidentiality import PanelSeat

    seat = PanelSeat(
        judges=frozenset({CHAIR, JUDGE}), chair=CHAIR, recused=frozenset({RECUSED}), scored=frozenset({CHAIR, RECUSED}),
        appeal=(HEARER, SECOND_HEARER),
    )  # fmt: skip
    assert relations(viewer, OWNER, panel=seat) == frozenset(expected | {R.COLLEAGUE})


UNDECLARED, DECLARED, DECIDER, FREE = "UNDECLARED", "UDECLARED", "UDECIDER", "UFREE"


@pytest.mark.parametrize(
    ("member", "hears"),
    [(OWNER, False), (MANAGER, False), (BOSS, False), (REVIEWER, False), (DECLARED, False), (DECIDER, False), (FREE, True)],
)
def test_an_appeal_is_heard_only_by_appeal_panel_members_the_recusal_rules_leave_free(member, hears):
    """The appeal hearer's relations, from the same rules as a judge's: the nominee, the nominator, the chain, the peer
    reviewers asked, whoever declared a conflict, and those who decided the first time never hear the appeal."""
    from bot.confidentiality import PanelSeat
    from bot.panels.recusal import Parties

    parties = Parties(OWNER, MANAGER, frozenset({MANAGER, BOSS}), frozenset({REVIEWER}), frozenset({DECLARED}))
    appeal = parties.for_the_appeal({DECIDER})
    seat = PanelSeat(appeal=tuple(m for m in (member, FREE) if appeal.reason(m) is None))
    found = relations(member, OWNER, panel=seat)
    for action in (Action.READ_PANEL_PACKET, Action.READ_PANEL_SCORES, Action.DECLARE_CONFLICT):
        assert can(found, action) is hears, action
    assert can(found, Action.DECIDE_APPEAL) is (hears and seat.appeal[0] == member)


def test_a_nomination_not_before_its_panel_opens_nothing_to_the_panels_members():
    """Peer reviews still open, or withdrawn: its panel's members read what the channel says of it, and nothing more."""
    from bot.confidentiality import PanelSeat

    found = relations(JUDGE, OWNER, panel=PanelSeat(waiting=frozenset({JUDGE, CHAIR})))
    assert found == frozenset({R.PANEL_AWAITING, R.COLLEAGUE})
    assert [a for a in Action if can(found, a)] == [Action.READ_DIGEST_ENTRY]


def test_a_recused_member_is_no_judge_even_as_chair_or_after_scoring():
    from bot.confidentiality import PanelSeat

    seat = PanelSeat(judges=frozenset({JUDGE}), chair=JUDGE, recused=frozenset({CHAIR}), scored=frozenset({CHAIR}))
    found = relations(CHAIR, OWNER, panel=seat)
    for action in (Action.READ_PANEL_PACKET, Action.SCORE_NOMINATION, Action.READ_PANEL_SCORES, Action.DECIDE_NOMINATION):
        assert not can(found, action)
    assert can(found, Action.READ_DIGEST_ENTRY)


def test_no_read_path_carries_a_private_check_in(fake_slack, tmp_path, sqlite_url, caplog, monkeypatch):
    """Home tabs, direct messages, channel posts, modals of others, the CLI and the logs: the private words appear
    only in the owner's own Home tab (and the modal they typed them into)."""
    import io
    from contextlib import redirect_stdout

    from bot.cli import main
    from tests.checkin_world import PEOPLE, organisation, text_of

    secret = "SECRET-private-words"
    caplog.set_level("INFO")  # what a deployment logs (at DEBUG, slack_sdk's request lines are scrubbed by bot/runtime/logs.py)
    with organisation(fake_slack, tmp_path, sqlite_url, datetime(2026, 3, 16, 9, tzinfo=UTC)) as world:
        world.tick()
        world.ladder.slack.slash_command("checkin", user_id="UANA")
        modal = world.open_modal("UANA")
        labels = ("Technical depth", "Project execution", "Strategic influence", "Mentoring without supervising")
        world.submit("UANA", modal, {"What went well": secret, "Your goals": secret, **{label: "Partly" for label in labels}})
        world.services.sender.drain()
        homes = {user: text_of(world.home(user)["blocks"]) for user in PEOPLE}
        monkeypatch.setenv("DATABASE_URL", sqlite_url)
        monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
        cli = io.StringIO()
        with redirect_stdout(cli):
            main(["outbox", "failed"])
            main(["checkins", "schedule", "--days", "60"])
    assert secret in homes["UANA"]
    assert [user for user, text in homes.items() if secret in text and user != "UANA"] == []
    posted = [
        c for c in fake_slack.calls() if c.method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
    ]
    assert [c.args.get("channel") for c in posted if secret in str(c.args)] == []
    assert secret not in cli.getvalue()
    assert secret not in caplog.text


# -- group data (gender, location, …): read by the fairness audit alone ---------------------------------------------

GROUP_DATA_MODULES = (
    "storage/models.py",
    "storage/repositories/groups.py",  # the one repository over person_group
    "storage/repositories/fairness.py",  # the audit's loader
    "storage/repositories/person_data.py",  # a person's own export, and erasure
    "bot/fairness/",  # the audit, HR's import, self-identification
    "bot/rights/",  # a person's rights over their data
    "bot/cli/groups.py",  # ladder people groups import
    "handlers/fairness.py",  # a person's own form
    "messages/fairness_form.py",
)
"""The only modules that may name the person_group table or its repository: everything else reaches group data
through them, and they pass it on only aggregated (the audit) or to the person themselves."""


def test_only_the_audit_the_import_the_own_form_and_data_rights_touch_group_data():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    touching = []
    for path in sorted(p for folder in ("bot", "handlers", "messages", "storage") for p in (root / folder).rglob("*.py")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if name.startswith(("storage/migrations/", *GROUP_DATA_MODULES)):
            continue
        if any(word in text for word in ("PersonGroup", "person_group", "storage.repositories.groups", "GroupRepository")):
            touching.append(name)
    assert touching == []


GROUP_VALUES = ("Zyxwoman", "Qqremote", "Wwethnic", "Xqselfchoice")
"""Distinctive group values: three from HR's import, one a person's own answer (a choice of the framework below)."""
GROUP_FILE = (
    "slack_id,gender,location,ethnicity\n"
    + "".join(f"{user},Zyxwoman,Qqremote,Wwethnic\n" for user in ("UANA", "UBEN", "UGUS", "UHAL", "UMAX", "UPAT"))
    + "UCHI,,Qqremote,\n"
)


def test_no_read_path_carries_group_data(fake_slack, tmp_path, sqlite_url, caplog, monkeypatch, capsys):
    """A whole cycle with group data imported and one nominee's own answer: no Q&A answer, Home tab, digest, packet,
    score or decision modal, decision message, nomination export, audit trail, cycle report or log line holds a group
    value. Only the person's own form shows their answer (and every form offers the framework's choices)."""
    import dataclasses

    from sqlmodel import Session

    from bot.cli import common, main
    from bot.framework.loader import default_framework_path
    from storage.repositories.groups import GroupRepository
    from tests.app_server import BOT_TOKEN
    from tests.checkin_world import PEOPLE, organisation, text_of
    from tests.test_review_panels import DECISIONS, EXTRA, decide, feedback, score, up_to_the_decisions

    framework = tmp_path / "framework.yaml"
    framework.write_text(
        default_framework_path().read_text()
        + "\nfairness:\n  questions:\n    - id: gender\n      question: Which best describes your gender?\n"
        "      choices: [Xqselfchoice, Man]\n"
    )
    caplog.set_level("INFO")
    for user_id, (name, tz, _level, _manager) in EXTRA.items():
        fake_slack.add_user(user_id, f"{user_id.lower()}@example.com", name, tz=tz)
    start = datetime(2026, 3, 16, 9, tzinfo=UTC)
    with organisation(fake_slack, tmp_path, sqlite_url, start, LADDER_FRAMEWORK=str(framework)) as world:
        from storage.repositories import PeopleRepository

        people = PeopleRepository(world.services.engine)
        for user_id, (name, _tz, level, manager) in EXTRA.items():
            track = "management" if level == "director" else "ic"
            people.upsert("T0TEST", user_id, name=name, email=None, track=track, level=level, manager_user_id=manager)
        world.tick()
        for name, value in {
            "DATABASE_URL": sqlite_url, "LADDER_FRAMEWORK": str(framework), "LADDER_ADMINS": "UADMIN",
            "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": world.slack.url,
        }.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        load = common.load_services
        monkeypatch.setattr(common, "load_services", lambda: dataclasses.replace(load(), now=world.clock))
        printed: list[str] = []

        def cli(*argv: str) -> tuple[int, str, str]:
            capsys.readouterr()
            status = main([*argv, "--team", "T0TEST"])
            out, err = capsys.readouterr()
            printed.append(out + err)
            return status, out, err

        groups_file = tmp_path / "groups.csv"
        groups_file.write_text(GROUP_FILE)
        assert cli("people", "groups", "import", str(groups_file))[0] == 0
        # Ben answers for himself from his Home
        home = world.home("UBEN")
        form_button = next(
            e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"] if "fairness" in e["action_id"]
        )
        world.ladder.slack.block_actions("UBEN", form_button["action_id"], view=home)
        form = world.open_modal("UBEN")
        status, _ = world.submit("UBEN", form, {"Which best describes your gender?": "Xqselfchoice"})
        assert status == 200
        world.ladder.slack.block_actions("UBEN", form_button["action_id"], view=home)
        again = next(b for b in world.open_modal("UBEN")["blocks"] if b.get("block_id") == "gender")
        assert again["element"]["initial_option"]["text"]["text"] == "Xqselfchoice"  # their own form: the one place
        with Session(world.services.engine) as session:
            held = GroupRepository(session).effective_groups("T0TEST")
        assert held["UBEN"]["gender"] == "Xqselfchoice" and held["UANA"] == {
            "gender": "Zyxwoman", "location": "Qqremote", "ethnicity": "Wwethnic",
        }  # fmt: skip

        up_to_the_decisions(world, cli)  # nominations, peer reviews, the digest and its packets
        for judge in ("UDEE", "UEVE", "UPAT"):
            assert score(world, judge, "UBEN", "Meets", "Promote")[0] == 200
            assert score(world, judge, "UGUS", "Exceeds", "Promote")[0] == 200
        assert decide(world, "UPAT", "UBEN", {**feedback("Promote", next_steps=False), "Effective date": "2026-04-13"})[1] == 200
        assert decide(world, "UPAT", "UGUS", feedback("Not yet"))[1] == 200
        world.clock.set(DECISIONS)
        world.tick()
        world.drain()

        answers: list[str] = []
        for question in ("what's my next level?", "what do I need for it?", "what's my level", "compare my level to staff"):
            answers.append(world.ladder.slack.slash_command(question, user_id="UBEN")[1])
            world.ladder.slack.direct_message(question, user="UBEN", channel="DUBEN")
            world.ladder.slack.app_mention(f"<@U0BOT> {question}", user="UBEN")
        world.drain()
        homes = {user: text_of(world.home(user)["blocks"]) for user in {*EXTRA, *PEOPLE}}
        cli("ask", "--user", "UBEN", "what's my next level?")
        cli("nominations", "export", "--cycle", "2026 H1")
        cli("nominations", "list")
        cli("audit", "--cycle", "2026 H1")
        cli("cycle", "report", "2026 H1")
        files = [f.get("content") for user in {*EXTRA, *PEOPLE} for f in world.slack.files_in(user)]
        calls = [
            c for c in world.slack.calls()
            if not (c.method in ("views.open", "views.update") and "fairness_self_id" in str(c.args))  # a person's own form
        ]  # fmt: skip

    assert any(f for f in files), "the packets went out"
    for value in GROUP_VALUES:
        assert [user for user, text in homes.items() if value in text] == [], value
        assert [c.method for c in calls if value in str(c.args)] == [], value
        assert not any(value in str(f) for f in files), value
        assert not any(value in answer for answer in answers), value
        assert not any(value in out for out in printed), value
        assert value not in caplog.text, value
