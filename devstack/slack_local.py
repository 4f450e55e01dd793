"""Point the app at a fake Slack: the secret it reads and the settings that name it (tests, bench, local stack)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.fake_slack import FakeSlack

SECRET_NAME = "model-shepherd-local/slack"
CHANNEL = "#ml-releases"
GROUP_KEYS = ("approver_groups", "reader_groups")


def create_slack_secret(secretsmanager: Any, slack: FakeSlack, name: str = SECRET_NAME, webhook: bool = False) -> str:
    """The secret the app reads: a bot token (or an incoming webhook) and the signing secret."""
    token = {"webhook_url": slack.webhook_url} if webhook else {"bot_token": slack.bot_token}
    secret = {**token, "signing_secret": slack.signing_secret}
    arn: str = secretsmanager.create_secret(Name=name, SecretString=json.dumps(secret))["ARN"]
    return arn


def slack_environment(slack: FakeSlack, secret: str = SECRET_NAME, channel: str = CHANNEL) -> dict[str, str]:
    return {
        "SHEPHERD_SLACK_SECRET": secret,
        "SHEPHERD_SLACK_CHANNEL": channel,
        "SHEPHERD_SLACK_API_URL": slack.api_url,
        "SHEPHERD_SLACK_TEAM_ID": slack.team_id,
        "SHEPHERD_SLACK_APP_ID": slack.app_id,
    }


class FakeSlackPart:
    """The fake Slack as a part of the local stack (devstack.stack.OPTIONAL_PARTS): started after AWS is up,
    so the secret the app reads can be made in local Secrets Manager; clicks go to the app's route."""

    name = "fake Slack"

    def __init__(self, config: Any) -> None:
        self._config = config
        self.slack = FakeSlack(actions_url=f"http://{config.host}:{config.app_port}/slack/actions")

    def start(self) -> None:
        from devstack.environment import aws_client_factory
        from devstack.errors import PortInUseError

        port = getattr(self._config, "slack_port", 0)
        try:
            self.slack.start(port)
        except OSError:
            raise PortInUseError(f"port {port} is in use: the fake Slack needs another (--slack-port)") from None
        aws = aws_client_factory(f"http://{self._config.host}:{self._config.aws_port}")
        create_slack_secret(aws("secretsmanager"), self.slack)
        self.slack.user_groups.update(policy_user_groups(os.environ))

    def stop(self) -> None:
        self.slack.stop()

    def alive(self) -> bool:
        return self.slack.running

    def environment(self) -> dict[str, str]:
        return slack_environment(self.slack)


def policy_user_groups(environment: Mapping[str, str]) -> dict[str, list[str]]:
    """Every user group the policies name (approvers' and readers'), as a workspace has them: one member each,
    the group's id with U for S (S0614TZR7 -> U0614TZR7). Without them every click of someone outside the
    approver list would ask Slack for a group it does not know."""
    from chalicelib.shared.settings import policy_dir

    groups: dict[str, list[str]] = {}
    for path in sorted(Path(policy_dir(environment)).glob("*.json")):
        try:
            slack = json.loads(path.read_text(encoding="utf-8")).get("slack", {})
        except (OSError, ValueError, AttributeError):
            continue  # a broken policy is the app's and doctor's to report, not the fake Slack's
        for key in GROUP_KEYS:
            for group in slack.get(key, []) if isinstance(slack, dict) else []:
                groups.setdefault(str(group), [f"U{str(group)[1:]}"])
    return groups


def local_stack_part(config: Any) -> FakeSlackPart:
    return FakeSlackPart(config)
