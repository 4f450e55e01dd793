"""Slash commands through the fake Slack: `/shepherd TEXT` typed by a user, posted signed as Slack posts it.

    body, headers = signed_command(slack, "status fraud-detection-models", "U024BE7LH")
    status, answer = command(slack, commands_url, "pending", "U024BE7LH")   # over HTTP, the answer parsed

The control route POST /fake/command {"text", "user"} does the same against the app the fake knows.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from devstack.fake_slack import FakeSlack

COMMAND = "/shepherd"


def command_fields(slack: FakeSlack, text: str, user_id: str, **changes: str) -> dict[str, str]:
    """The form Slack posts for a slash command (https://api.slack.com/interactivity/slash-commands)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": slack.team_id,
        "team_domain": "fake",
        "channel_id": "C0FAKE",
        "channel_name": "ml-releases",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": COMMAND,
        "text": text,
        "api_app_id": slack.app_id,
        "is_enterprise_install": "false",
        "response_url": f"{slack.base_url}/response/command",
        "trigger_id": slack.views.trigger(user_id),
        **changes,
    }


def signed_command(slack: FakeSlack, text: str, user_id: str, **changes: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(command_fields(slack, text, user_id, **changes)).encode()
    return body, slack.sign(body)


def command(slack: FakeSlack, commands_url: str, text: str, user_id: str) -> tuple[int, Any]:
    """POST the signed command; (HTTP status, the app's JSON answer)."""
    body, headers = signed_command(slack, text, user_id)
    request = urllib.request.Request(commands_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def commands_url(actions_url: str) -> str:
    """The app's /slack/commands beside its /slack/actions (one app, one API)."""
    return actions_url.removesuffix("/slack/actions") + "/slack/commands"


def control_command(slack: FakeSlack, request: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    text, user = request.get("text"), request.get("user")
    if not isinstance(text, str) or not isinstance(user, str) or not user:
        return 400, {"error": "a command needs its text and the user typing it"}
    if not slack.actions_url:
        return 409, {"error": "this fake Slack knows no app to send commands to"}
    status, answer = command(slack, commands_url(slack.actions_url), text, user)
    return 200, {"status": status, "answer": answer}
