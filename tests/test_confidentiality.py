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
