"""Slack calls a click needs: replies to its response_url, and the members of approver user groups."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from chalicelib.adapters.slack_notifier import SlackCredentials
from chalicelib.shared.errors import ConfigurationError

SLACK_HOOKS = "https://hooks.slack.com/"
REPLY_TIMEOUT_SECONDS = 2  # the whole click must answer inside Slack's 3 s
GROUP_CACHE_SECONDS = 60


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

    def _client(self) -> Any:
        from slack_sdk import WebClient

        token = self._credentials().bot_token
        if not token:
            raise ConfigurationError("approver_groups need a bot token (scope usergroups:read); there is none")
        if self._api_url:
            return WebClient(token=token, timeout=REPLY_TIMEOUT_SECONDS, base_url=self._api_url)
        return WebClient(token=token, timeout=REPLY_TIMEOUT_SECONDS)
