"""Slack, through slack_sdk: notifications (a bot token's chat.postMessage, or an incoming webhook),
replies to a click's response_url, and the members of approver user groups.

slack_sdk rather than our own HTTP code: it handles Slack's rate limits (Retry-After), error
payloads and the webhook/Web API differences, and it is pure Python with no dependencies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.notification import Notification
from chalicelib.shared.slack_text import escape

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from slack_sdk.webhook import WebhookClient

SLACK_HOOKS = "https://hooks.slack.com/"
NOTIFY_TIMEOUT_SECONDS = 5
REPLY_TIMEOUT_SECONDS = 2  # the whole click must answer inside Slack's 3 s
GROUP_CACHE_SECONDS = 60


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str | None = None
    webhook_url: str | None = None
    signing_secret: str | None = None

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any]) -> SlackCredentials:
        if not isinstance(secret, Mapping):
            raise ConfigurationError("the Slack secret must be a JSON object")
        credentials = cls(secret.get("bot_token"), secret.get("webhook_url"), secret.get("signing_secret"))
        if not (credentials.bot_token or credentials.webhook_url):
            raise ConfigurationError("the Slack secret has neither bot_token nor webhook_url")
        return credentials


class SlackNotifier:
    def __init__(
        self,
        credentials: Callable[[], SlackCredentials],
        channel: str | None,
        api_url: str | None = None,
    ) -> None:
        self._credentials = credentials
        self._channel = channel
        self._api_url = api_url

    def send(self, notification: Notification) -> None:
        blocks = [dict(block) for block in notification.blocks]  # mrkdwn already: their builders escaped it
        text = escape(notification.text)  # plain text (SNS's subject too): Slack parses the fallback as mrkdwn
        credentials = self._credentials()
        if credentials.bot_token:
            if not self._channel:
                raise ConfigurationError("SHEPHERD_SLACK_CHANNEL is not set: a bot token needs a channel")
            self._web_client.chat_postMessage(channel=self._channel, text=text, blocks=blocks)
        else:
            response = self._webhook.send(text=text, blocks=blocks)
            if response.status_code != 200:
                raise RuntimeError(f"Slack webhook answered {response.status_code}: {response.body[:200]}")

    @cached_property
    def _web_client(self) -> WebClient:
        return web_client(self._credentials().bot_token, NOTIFY_TIMEOUT_SECONDS, self._api_url)

    @cached_property
    def _webhook(self) -> WebhookClient:
        from slack_sdk.webhook import WebhookClient

        url = self._credentials().webhook_url
        assert url is not None  # from_secret guarantees a bot token or a webhook
        return WebhookClient(url, timeout=NOTIFY_TIMEOUT_SECONDS)


class ResponseUrlResponder:
    """Posts only to Slack's own hooks (or the configured fake): a response_url is never a free URL fetch."""

    def __init__(self, allowed_prefixes: Sequence[str] = (SLACK_HOOKS,)) -> None:
        self._allowed = tuple(allowed_prefixes)

    def respond(self, response_url: str, message: Mapping[str, Any]) -> None:
        if not response_url.startswith(self._allowed):
            raise ValueError(f"response_url is not Slack's: {urlsplit(response_url).netloc}")
        from slack_sdk.webhook import WebhookClient  # imported on first click, not at app import

        response = WebhookClient(response_url, timeout=REPLY_TIMEOUT_SECONDS).send_dict(dict(message))
        if response.status_code != 200:
            raise RuntimeError(f"response_url answered {response.status_code}: {str(response.body)[:200]}")


def allowed_reply_prefixes(api_url: str | None) -> tuple[str, ...]:
    """Slack's hooks, plus the origin of a fake Slack on loopback when SHEPHERD_SLACK_API_URL names one."""
    if not api_url:
        return (SLACK_HOOKS,)
    parts = urlsplit(api_url)
    return (SLACK_HOOKS, f"{parts.scheme}://{parts.netloc}/")


class UserGroupDirectory:
    """usergroups.users.list with the bot token (scope usergroups:read), cached briefly per process."""

    def __init__(
        self,
        credentials: Callable[[], SlackCredentials],
        api_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = credentials
        self._api_url = api_url
        self._clock = clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}

    def members(self, group_id: str) -> frozenset[str]:
        cached = self._cache.get(group_id)
        if cached and self._clock() - cached[0] < GROUP_CACHE_SECONDS:
            return cached[1]
        users = frozenset(self._client().usergroups_users_list(usergroup=group_id).get("users") or ())
        self._cache[group_id] = (self._clock(), users)
        return users

    def _client(self) -> WebClient:
        token = self._credentials().bot_token
        if not token:
            raise ConfigurationError("approver_groups need a bot token (scope usergroups:read); there is none")
        return web_client(token, REPLY_TIMEOUT_SECONDS, self._api_url)


def web_client(token: str | None, timeout: int, api_url: str | None) -> WebClient:
    from slack_sdk import WebClient  # ~0.17 s of import: only when Slack is used

    if api_url:  # a fake Slack (the local stack's); otherwise slack_sdk's own default, slack.com
        return WebClient(token=token, timeout=timeout, base_url=api_url)
    return WebClient(token=token, timeout=timeout)
