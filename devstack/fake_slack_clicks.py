"""The fake Slack's clicks and modal submissions: what Slack sends the app, signed as Slack signs it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from devstack.fake_slack_views import View, Views, submission_payload


class SlackClicks:
    """FakeSlack's half that plays the people: it reads the workspace's identity and opened modals, and hands
    each click a response_url of its server."""

    signing_secret: str
    team_id: str
    app_id: str
    views: Views

    def _response_url(self, message: Mapping[str, Any]) -> str:
        raise NotImplementedError  # FakeSlack's: a response_url its server answers

    # --- clicks --------------------------------------------------------------------------------------
    def click(
        self, actions_url: str, message: Mapping[str, Any], action_id: str, user_id: str, **options: Any
    ) -> tuple[int, str]:
        """POST a signed block_actions request to actions_url; (HTTP status, body)."""
        body, headers = self.signed_click(message, action_id, user_id, **options)
        request = urllib.request.Request(actions_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def signed_click(
        self,
        message: Mapping[str, Any],
        action_id: str,
        user_id: str,
        *,
        user_name: str | None = None,
        value: str | None = None,
        timestamp: int | None = None,
        signing_secret: str | None = None,
        team_id: str | None = None,
        app_id: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers Slack would send for a click on ``action_id`` in ``message``."""
        payload = self.click_payload(message, action_id, user_id, user_name, value, team_id, app_id)
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, self.sign(body, timestamp, signing_secret)

    def sign(self, body: bytes, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        from slack_sdk.signature import SignatureVerifier

        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signer = SignatureVerifier(secret or self.signing_secret)
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signer.generate_signature(timestamp=stamp, body=body) or "",
        }

    def click_payload(
        self,
        message: Mapping[str, Any],
        action_id: str,
        user_id: str,
        user_name: str | None = None,
        value: str | None = None,
        team_id: str | None = None,
        app_id: str | None = None,
    ) -> dict[str, Any]:
        button = _find_button(message, action_id)
        team = team_id or self.team_id
        channel = str(message.get("channel", "C0FAKE"))
        return {
            "type": "block_actions",
            "user": {
                "id": user_id,
                "username": user_name or user_id.lower(),
                "name": user_name or user_id.lower(),
                "team_id": team,
            },
            "api_app_id": app_id or self.app_id,
            "token": "deprecated-verification-token",
            "container": {"type": "message", "message_ts": message.get("ts"), "channel_id": channel},
            "trigger_id": self.views.trigger(user_id),
            "team": {"id": team, "domain": "fake"},
            "channel": {"id": channel, "name": channel.lstrip("#")},
            "message": {key: message.get(key) for key in ("type", "ts", "text", "blocks")},
            "response_url": self._response_url(message),
            "actions": [
                {
                    **button,
                    "value": button.get("value", "") if value is None else value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    def submit(
        self, actions_url: str, text: str, view_id: str | None = None, user_name: str | None = None
    ) -> tuple[int, str]:
        """The person who opened the modal (the newest open one, or `view_id`) types `text` and submits it;
        (HTTP status, body). The modal closes unless the app answers with errors."""
        opened = self.views.find(view_id)
        if opened is None:
            return 404, json.dumps({"error": "no open modal"})
        body, headers = self.signed_submission(text, opened.id, user_name)
        request = urllib.request.Request(actions_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, answer = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        _closed_unless_errors(opened, answer)
        return status, answer

    def signed_submission(
        self, text: str, view_id: str | None = None, user_name: str | None = None, user_id: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a modal's submission (by its opener, or `user_id`) with `text` typed in."""
        opened = self.views.find(view_id)
        assert opened is not None, "no open modal"
        who = user_id or opened.user_id
        user = {"id": who, "username": user_name or who.lower(), "name": user_name or who.lower()}
        payload = submission_payload(opened, user, self.team_id, self.app_id, text)
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, self.sign(body)


def _closed_unless_errors(opened: View, answer: str) -> None:
    try:
        action = json.loads(answer or "{}")
    except ValueError:
        action = {}
    if isinstance(action, dict) and action.get("response_action") == "errors":
        opened.errors = dict(action.get("errors") or {})
    else:
        opened.open, opened.errors = False, {}


def _find_button(message: Mapping[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "actions")}
    return {"type": "button", "action_id": action_id, "block_id": "actions", "value": ""}
