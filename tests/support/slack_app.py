"""The app wired to a fake Slack in process: its secret, the environment, a container built from it."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from devstack.slack_local import create_slack_secret, slack_environment


def app_with_slack(
    resources: LocalResources, slack: FakeSlack, policies: Path, monkeypatch: pytest.MonkeyPatch
) -> Container:
    """A bot-token Slack secret for `slack`, the settings pointing at it and at `policies`, the container in use."""
    create_slack_secret(boto3.client("secretsmanager"), slack, webhook=False)
    settings = {**resources.environment(), **slack_environment(slack), "SHEPHERD_POLICY_DIR": str(policies)}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    container = Container(settings=load_settings())
    use_container(container)
    return container
