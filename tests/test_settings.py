"""Settings: read once from the environment; secrets never shown."""

from __future__ import annotations

import pytest

from bot.runtime.settings import InvalidSetting, Settings

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-very-secret",
    "SLACK_SIGNING_SECRET": "sign-very-secret",
    "SLACK_APP_TOKEN": "xapp-very-secret",
}


def test_no_secret_appears_in_a_repr_or_a_str():
    settings = Settings.from_env({**SECRETS, "DATABASE_URL": "postgresql://ladder:pa55word@db:5432/ladder"})
    for text in (repr(settings), str(settings), f"{settings}"):
        assert "very-secret" not in text and "pa55word" not in text
        assert "slack_bot_token='set'" in text and "postgresql://ladder:***@db:5432/ladder" in text
    assert settings.slack_bot_token == "xoxb-very-secret"  # still there to use


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_LEVEL", "LOUD"),
        ("PORT", "eighty"),
        ("LADDER_REQUEST_TIMEOUT", "0"),
        ("LADDER_PAGES", "maybe"),
        ("LADDER_PUBLIC_URL", "ladder.example.com"),
    ],
)
def test_a_malformed_setting_is_named_and_its_value_shown(name, value):
    with pytest.raises(InvalidSetting, match=name):
        Settings.from_env({name: value})
