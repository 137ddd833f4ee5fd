"""Slack Web API clients, configured in one place."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.runtime.settings import Settings


def slack_client(
    settings: Settings,
    *,
    token: str | None = None,
    retries: bool = True,
    logger: logging.Logger | None = None,
    timeout: int = 10,
) -> WebClient:
    """A Web API client. With ``retries``, 429s and failed connections are retried in the calling
    thread (for the CLI and calls a person is waiting on); the outbox sender retries deliveries itself."""
    handlers = [RateLimitErrorRetryHandler(max_retry_count=2), ConnectionErrorRetryHandler(max_retry_count=2)] if retries else []
    return WebClient(token=token, base_url=settings.slack_api_url, timeout=timeout, retry_handlers=handlers, logger=logger)
