"""Settings are checked when first loaded: each bad one is named, and a secret value is never echoed."""

from __future__ import annotations

import pytest

from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.settings import load_settings

GOOD = {
    "SHEPHERD_IDEMPOTENCY_TABLE": "model-shepherd-prod-idempotency",
    "SHEPHERD_STATE_TABLE": "model-shepherd-prod-state",
    "SHEPHERD_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:model-shepherd-prod",
    "SHEPHERD_SLACK_SECRET": "model-shepherd/prod/slack",
    "SHEPHERD_SLACK_CHANNEL": "#ml-releases",
}


def error_for(**overrides: str) -> str:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({**GOOD, **overrides})
    return str(raised.value)


def test_good_settings_load() -> None:
    settings = load_settings(GOOD)
    assert settings.state_table == "model-shepherd-prod-state"
    assert load_settings({**GOOD, "SHEPHERD_SLACK_SECRET": "ssm:/model-shepherd/prod/slack"}).slack_secret


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SHEPHERD_IDEMPOTENCY_TABLE", "my table"),
        ("SHEPHERD_STATE_TABLE", "ab"),
        ("SHEPHERD_TOPIC_ARN", "arn:aws:sqs:us-east-1:123456789012:model-shepherd-prod"),
        ("SHEPHERD_TOPIC_ARN", "model-shepherd-prod"),
        ("SHEPHERD_SLACK_SECRET", "ssm:no-leading-slash"),
        ("SHEPHERD_SLACK_SECRET", "has spaces in it"),
        ("SHEPHERD_SLACK_CHANNEL", "#ML Releases"),
        ("SHEPHERD_SLACK_API_URL", "ftp://127.0.0.1/api"),
    ],
)
def test_a_bad_setting_is_named(name: str, value: str) -> None:
    assert name in error_for(**{name: value})


@pytest.mark.parametrize(
    "credential",
    [
        "xoxb-1234-5678-abcdef",
        "https://hooks.slack.com/services/T0/B0/abc",
        '{"bot_token": "xoxb-1"}',
        "0123456789abcdef" * 2,
    ],
)
def test_a_credential_in_place_of_a_secret_name_is_refused_without_echoing_it(credential: str) -> None:
    message = error_for(SHEPHERD_SLACK_SECRET=credential)
    assert "SHEPHERD_SLACK_SECRET must name a secret" in message
    assert credential not in message


def test_every_problem_is_reported_at_once() -> None:
    message = error_for(SHEPHERD_STATE_TABLE="x", SHEPHERD_SLACK_CHANNEL="not a channel")
    assert "SHEPHERD_STATE_TABLE" in message
    assert "SHEPHERD_SLACK_CHANNEL" in message


def test_unset_optional_settings_are_not_errors() -> None:
    assert load_settings({}).topic_arn is None


def test_a_missing_required_table_is_named_where_it_is_needed() -> None:
    with pytest.raises(ConfigurationError, match="SHEPHERD_STATE_TABLE is not set"):
        load_settings({}).require_state_table()
