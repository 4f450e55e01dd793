"""Slack's users.info through slack_sdk with the bot token (scopes users:read and users:read.email): the
clicker's profile e-mail, to tell whether they registered the version they approve."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.adapters.slack_api import REPLY_TIMEOUT_SECONDS, SlackCredentials, web_client
from chalicelib.shared.errors import ConfigurationError


class SlackUserDirectory:
    def __init__(self, credentials: Callable[[], SlackCredentials], api_url: str | None = None) -> None:
        self._credentials = credentials
        self._api_url = api_url

    def email(self, user_id: str) -> str | None:
        token = self._credentials().bot_token
        if not token:  # an incoming webhook cannot look anyone up
            raise ConfigurationError("checking who approves needs a bot token; the Slack secret has only a webhook")
        # slack_sdk raises SlackApiError on ok=false (ratelimited, missing_scope, user_not_found).
        answer = web_client(token, REPLY_TIMEOUT_SECONDS, self._api_url).users_info(user=user_id)
        user = answer.get("user")
        profile = user.get("profile") if isinstance(user, dict) else None
        email = profile.get("email") if isinstance(profile, dict) else None
        return email if isinstance(email, str) and email else None  # absent without users:read.email
