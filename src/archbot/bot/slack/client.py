"""The Web API client: pointed at SLACK_API_URL when set, and retrying what is worth retrying.

slack_sdk only retries connection errors by default. A rate limit (429 + Retry-After) or a Slack 5xx
is transient, so archbot waits and tries again a couple of times before telling the user it failed.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from archbot.kernel.settings import Settings

SLACK_API_URL = "https://slack.com/api/"
API_TIMEOUT_S = 30
MAX_RETRIES = 2
# Waits of about 0.5 s then 1 s (plus jitter) between attempts; a rate limit waits for Retry-After.
BACKOFF_FACTOR_S = 0.5


def retry_handlers() -> list[RetryHandler]:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=BACKOFF_FACTOR_S)
    return [
        ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
        ServerErrorRetryHandler(max_retry_count=MAX_RETRIES, interval_calculator=backoff),
    ]


def api_base_url(settings: Settings) -> str:
    url = settings.slack_api_url or SLACK_API_URL
    return url if url.endswith("/") else url + "/"


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=api_base_url(settings),
        timeout=API_TIMEOUT_S,
        retry_handlers=retry_handlers(),
    )


def make_webhook(response_url: str) -> WebhookClient:
    """A client for a slash command's `response_url`, with the same retry policy."""
    return WebhookClient(url=response_url, timeout=API_TIMEOUT_S, retry_handlers=retry_handlers())
