"""Machine-read state that comes back from Slack (a button's value, a view's private_metadata) is read safely."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from messages.blocks import metadata, metadata_id, read_metadata


def test_what_ladder_wrote_reads_back():
    assert read_metadata(metadata(nomination=7, home=True)) == {"nomination": 7, "home": True}
    assert metadata_id(metadata(nomination=7), "nomination") == 7


def test_deep_nesting_or_an_overlong_value_reads_as_nothing():
    assert read_metadata("[" * 2999) == {}
    assert read_metadata("[" * 1500 + "]" * 1500) == {}  # valid JSON, deeper than the decoder goes
    assert read_metadata('{"a": "' + "x" * 5000 + '"}') == {}
    assert metadata_id("[" * 2999, "nomination") == -1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='[]{}":,0123456789abtrueflsn \\', max_size=3000))
def test_any_text_reads_as_a_mapping_or_nothing(raw):
    assert isinstance(read_metadata(raw), dict)
