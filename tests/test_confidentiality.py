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

ALLOWED = {
    # relation:             read check-in (private), read check-in (shared with them), growth plan, schedule, failed deliveries
    Relation.SELF: (True, True, True, True, False),
    Relation.MANAGER: (False, True, False, False, False),
    Relation.MENTOR: (False, False, False, False, False),
    Relation.ADMIN: (False, False, False, False, True),
    Relation.COLLEAGUE: (False, False, False, False, False),
}
OWNER, MANAGER, MENTOR, ADMIN, COLLEAGUE = "UOWNER", "UMANAGER", "UMENTOR", "UADMIN", "UCOLLEAGUE"
VIEWER_OF = {
    Relation.SELF: OWNER,
    Relation.MANAGER: MANAGER,
    Relation.MENTOR: MENTOR,
    Relation.ADMIN: ADMIN,
    Relation.COLLEAGUE: COLLEAGUE,
}


def _relations(viewer: str, shared: bool) -> frozenset[Relation]:
    return relations(
        viewer,
        OWNER,
        manager=MANAGER,
        shared_with=MANAGER if shared else None,
        mentors=frozenset({MENTOR}),
        admins=frozenset({ADMIN}),
    )


def test_the_career_data_matrix_covers_every_relation_and_action():
    assert set(ALLOWED) | {Relation.SHARED_WITH} == set(Relation)
    assert len(next(iter(ALLOWED.values()))) == len(Action) + 1  # check-ins are read private and shared


@pytest.mark.parametrize("relation", list(ALLOWED))
def test_who_may_read_career_data(relation):
    viewer = VIEWER_OF[relation]
    private, shared, plan, schedule, failed = ALLOWED[relation]
    assert can(_relations(viewer, shared=False), Action.READ_CHECKIN) is private
    assert can(_relations(viewer, shared=True), Action.READ_CHECKIN) is shared
    assert can(_relations(viewer, shared=False), Action.READ_GROWTH_PLAN) is plan
    assert can(_relations(viewer, shared=False), Action.READ_SCHEDULE) is schedule
    assert can(_relations(viewer, shared=False), Action.READ_FAILED_DELIVERIES) is failed


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
