"""Slack's views.open through slack_sdk with the bot token: the reason modal Reject, Roll back and Stop open."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.adapters.slack_api import REPLY_TIMEOUT_SECONDS, SlackCredentials, web_client
from chalicelib.shared.errors import ConfigurationError


class SlackViewOpener:
    def __init__(self, credentials: Callable[[], SlackCredentials], api_url: str | None = None) -> None:
        self._credentials = credentials
        self._api_url = api_url

    def open(self, trigger_id: str, view: Mapping[str, Any]) -> None:
        token = self._credentials().bot_token
        if not token:  # an incoming webhook cannot open a modal
            raise ConfigurationError("asking for a reason needs a bot token; the Slack secret has only a webhook")
        # slack_sdk raises SlackApiError on ok=false (expired_trigger_id, invalid view): the caller says so.
        web_client(token, REPLY_TIMEOUT_SECONDS, self._api_url).views_open(trigger_id=trigger_id, view=dict(view))
