"""Every stage in .chalice/config.json passes the settings checks and holds no secret."""

from __future__ import annotations

import json

import pytest

from chalicelib.shared.setting_checks import problems
from infra.names import CONFIG, load_config, stage_environment

STAGES = sorted(load_config()["stages"])


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_configuration_is_valid(stage: str) -> None:
    assert problems(stage_environment(load_config(), stage)) == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_names_what_the_app_requires(stage: str) -> None:
    env = stage_environment(load_config(), stage)
    for name in ("SHEPHERD_IDEMPOTENCY_TABLE", "SHEPHERD_STATE_TABLE", "SHEPHERD_TOPIC_ARN"):
        assert env.get(name), f"{name} missing for {stage}"


def test_no_slack_credential_in_the_config() -> None:
    text = CONFIG.read_text()
    for marker in ("xoxb-", "xoxp-", "xapp-", "hooks.slack.com", "signing_secret"):
        assert marker not in text
    assert json.loads(text)["autogen_policy"] is False  # IAM comes from the reviewed policy files only
