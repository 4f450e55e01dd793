"""Slack, through slack_sdk: a bot token (chat.postMessage, chat.update) or an incoming webhook.

slack_sdk rather than our own HTTP code: it handles Slack's rate limits (Retry-After), error
payloads and the webhook/Web API differences, and it is pure Python with no dependencies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.notification import Notification


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
        blocks = list(notification.blocks)
        credentials = self._credentials()
        if credentials.bot_token:
            if not self._channel:
                raise ConfigurationError("SHEPHERD_SLACK_CHANNEL is not set: a bot token needs a channel")
            self._web_client.chat_postMessage(channel=self._channel, text=notification.text, blocks=blocks)
        else:
            response = self._webhook.send(text=notification.text, blocks=blocks)
            if response.status_code != 200:
                raise RuntimeError(f"Slack webhook answered {response.status_code}: {response.body[:200]}")

    @cached_property
    def _web_client(self) -> Any:
        from slack_sdk import WebClient  # ~0.17 s of import: only when Slack is used

        token = self._credentials().bot_token
        if self._api_url:
            return WebClient(token=token, timeout=5, base_url=self._api_url)
        return WebClient(token=token, timeout=5)

    @cached_property
    def _webhook(self) -> Any:
        from slack_sdk.webhook import WebhookClient

        url = self._credentials().webhook_url
        assert url is not None  # from_secret guarantees a bot token or a webhook
        return WebhookClient(url, timeout=5)
