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


@pytest.mark.parametrize(
    "url",
    [
        "nonsense",
        "postgresql://:x@",
        "oracle://u:p@h/db",
        "postgresql://u@h:0/db",
        "postgresql://u@h",
        "sqlite://u@h/x.db",
        "://",
        "sqlite://",
        "sqlite:///",
        "sqlite:///:memory:",
    ],
)
def test_a_malformed_database_url_is_named_without_its_password(url):
    with pytest.raises(InvalidSetting, match="^DATABASE_URL ") as refused:
        Settings.from_env({"DATABASE_URL": url.replace("://u", "://u:pa55word")})
    assert "pa55word" not in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///ladder.db",
        "sqlite:////tmp/ladder.db",
        "postgres://ladder:p%40ss@db.internal:5432/ladder?sslmode=require",
        "postgresql+psycopg://ladder@[::1]/ladder",
        "postgresql:///ladder",
    ],
)
def test_database_urls_ladder_runs_on_are_accepted(url):
    assert Settings.from_env({"DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("HOST", "::", "::"),
        ("HOST", "[::1]", "::1"),
        ("HOST", "localhost", "localhost"),
        ("PORT", "65535", 65535),
        ("WEB_CONCURRENCY", "4", 4),
        ("SLACK_API_URL", "http://127.0.0.1:4000/api", "http://127.0.0.1:4000/api/"),
        ("LADDER_UPGRADE_DB_ON_START", "off", False),
    ],
)
def test_settings_of_the_right_shape_are_read(name, value, read):
    field = {"SLACK_API_URL": "slack_api_url", "LADDER_UPGRADE_DB_ON_START": "upgrade_db_on_start"}.get(name, name.lower())
    assert getattr(Settings.from_env({name: value}), field) == read
