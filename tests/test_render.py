"""The renderer: escaping, fitting long content inside Slack's limits, refusing what Slack refuses."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import ChoiceLoader, DictLoader, PackageLoader

from messages.escape import slack_escape, truncate
from messages.limits import MessageInvalid, split_text, validate_view
from messages.render import Renderer

TEST_TEMPLATES = {
    "note.j2": '{"text": "{{ title }}"}\n{"type": "header", "text": {"type": "plain_text", "text": "{{ title }}"}}\n'
    '{"type": "section", "text": {"type": "mrkdwn", "text": "*Said:* {{ body }} {{ who|mention }}"}}\n',
    "many.j2": '{"text": "many"}\n{% for i in range(count) %}\n{"type": "section", "text": {"type": "mrkdwn", "text": "item {{ i }}"}}\n{% endfor %}\n',
    "form.j2": '{"view": {"type": "modal", "callback_id": "form", "title": {"type": "plain_text", "text": "{{ title }}"}, "submit": {"type": "plain_text", "text": "Send"}}}\n'
    '{"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "Why"}, "element": {"type": "plain_text_input", "action_id": "a", "multiline": true, "max_length": {{ max_length }}}}\n'
    '{% if options %}\n{"type": "input", "block_id": "c", "label": {"type": "plain_text", "text": "Pick"}, "element": {"type": "{{ kind }}", "action_id": "p", "options": [{% for i in range(options) %}{"text": {"type": "plain_text", "text": "o{{ i }}"}, "value": "v{{ i }}"}{{ "," if not loop.last else "" }}{% endfor %}]}}\n{% endif %}\n',
    "broken.j2": '{"text": "x"}\n{"type": "section", "text": {"type": "mrkdwn"\n',
}


@pytest.fixture(scope="module")
def renderer():
    return Renderer(loader=ChoiceLoader([DictLoader(TEST_TEMPLATES), PackageLoader("messages", "templates")]))


def test_user_text_is_escaped_and_mentions_we_build_are_not(renderer):
    message = renderer.message("note", title="<!channel> & friends", body="<!here> <@U1|x> a > b", who="U0ADA")
    dumped = json.dumps(message.blocks)
    assert message.text == "&lt;!channel&gt; &amp; friends"
    assert "&lt;!here&gt; &lt;@U1|x&gt; a &gt; b <@U0ADA>" in dumped
    assert "<!" not in dumped


def test_a_mention_of_something_that_is_not_a_user_id_is_escaped(renderer):
    message = renderer.message("note", title="t", body="b", who="<!channel>")
    assert "<!channel>" not in json.dumps(message.blocks)


def test_terminal_output_is_unescaped_plain_text(renderer):
    text = renderer.terminal("note", title="R&D <team>", body="a > b", who="U0ADA")
    assert text.startswith("R&D <team>\n==========")
    assert "Said: a > b" in text


def test_long_section_text_is_split_not_refused(renderer):
    body = ("A sentence about growth. " * 400).strip()
    message = renderer.message("note", title="t", body=body, who=None)
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert len(sections) >= 4
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert " ".join(s["text"]["text"] for s in sections).replace("*Said:* ", "").strip() == body


def test_long_header_is_cut_with_a_visible_ellipsis(renderer):
    message = renderer.message("note", title="T" * 400, body="b", who=None)
    header = message.blocks[0]["text"]["text"]
    assert len(header) == 150 and header.endswith("…")


def test_too_many_blocks_are_capped_with_a_note(renderer):
    message = renderer.message("many", count=80)
    assert len(message.blocks) == 50
    assert message.blocks[-1]["type"] == "context" and "31 more not shown" in message.blocks[-1]["elements"][0]["text"]


def test_views_are_checked_for_what_slack_sdk_lets_through(renderer):
    assert renderer.view("form", title="Nominate", max_length=3000, options=0, kind="")["type"] == "modal"
    with pytest.raises(MessageInvalid, match="max_length"):
        renderer.view("form", title="Nominate", max_length=3001, options=0, kind="")
    with pytest.raises(MessageInvalid, match="11 options"):
        renderer.view("form", title="Nominate", max_length=100, options=11, kind="checkboxes")
    with pytest.raises(MessageInvalid, match="11 options"):
        renderer.view("form", title="Nominate", max_length=100, options=11, kind="radio_buttons")
    with pytest.raises(MessageInvalid, match="101 options"):
        renderer.view("form", title="Nominate", max_length=100, options=101, kind="static_select")
    with pytest.raises(MessageInvalid, match="title"):
        renderer.view("form", title="A title far too long for a modal", max_length=100, options=0, kind="")


def test_a_view_with_too_many_blocks_is_refused():
    blocks = [{"type": "divider"} for _ in range(101)]
    with pytest.raises(MessageInvalid, match="101 blocks"):
        validate_view({"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": blocks})


def test_a_template_that_renders_bad_json_is_a_clear_error(renderer):
    with pytest.raises(MessageInvalid, match="broken: rendered line 2 is not JSON"):
        renderer.message("broken")


def test_truncate_never_cuts_an_entity_in_half():
    text = slack_escape("a" * 8 + "<<<<")
    cut = truncate(text, 12)
    assert cut.endswith("…") and "&l…" not in cut and "&…" not in cut


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=9000), st.integers(min_value=50, max_value=3000))
def test_split_text_keeps_every_part_within_the_limit(text, limit):
    parts = split_text(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=6000), st.text(max_size=400))
def test_any_user_text_renders_a_message_slack_accepts(body, title):
    renderer = Renderer(loader=DictLoader(TEST_TEMPLATES))
    if not title.strip():
        title = "t"
    message = renderer.message("note", title=title, body=body, who="U0ADA")
    dumped = json.dumps(message.blocks)
    assert "<!channel>" not in dumped and "<!here>" not in dumped
