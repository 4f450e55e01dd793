"""The Slack app manifest in infra/ asks for what the app uses and points interactivity at its route."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = json.loads((Path(__file__).parents[2] / "infra" / "slack-app-manifest.json").read_text())


def test_interactivity_points_at_the_slack_actions_route() -> None:
    interactivity = MANIFEST["settings"]["interactivity"]
    assert interactivity["is_enabled"] is True
    assert interactivity["request_url"].endswith("/api/slack/actions")


def test_the_bot_scopes_are_those_the_app_calls_need() -> None:
    # chat.postMessage (notifications), usergroups.users.list (approver_groups), users.info with the profile's
    # e-mail (no self-approval: users:read.email comes with users:read), the /shepherd command; views.open
    # needs no scope.
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == [
        "chat:write",
        "commands",
        "usergroups:read",
        "users:read",
        "users:read.email",
    ]
    assert MANIFEST["features"]["bot_user"]["display_name"] == "model-shepherd"


def test_the_slash_command_points_at_the_slack_commands_route() -> None:
    (command,) = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/shepherd"
    assert command["url"].startswith("https://API_ID.execute-api.REGION.amazonaws.com/")  # a placeholder
    assert command["url"].endswith("/api/slack/commands")
    assert len(command["description"]) <= 100 and len(command["usage_hint"]) <= 1000  # Slack's limits
