"""Checks on the SHEPHERD_* settings, run when settings are first loaded.

Each error names the setting and what is wrong with it; none repeats a value that might be a secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from chalicelib.shared.errors import ConfigurationError

_TABLE = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")
_SNS_TOPIC = re.compile(r"^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")
_SECRET_ID = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$")
_SSM_NAME = re.compile(r"^ssm:/[A-Za-z0-9/_.-]{1,1011}$")
_CHANNEL = re.compile(r"^(#?[a-z0-9][a-z0-9_-]{0,79}|[CGD][A-Z0-9]{6,})$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
# What a Slack credential looks like: it belongs in the secret, never in a setting (or a log line).
_CREDENTIAL = re.compile(r"(xox[abposr]-|xapp-|hooks\.slack\.com|[{\"]|^[0-9a-f]{32}$)")


def check_table(name: str, value: str) -> str | None:
    return None if _TABLE.match(value) else f"{name} is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)"


def check_topic(name: str, value: str) -> str | None:
    return None if _SNS_TOPIC.match(value) else f"{name} is not an SNS topic ARN: {value!r}"


def check_secret_reference(name: str, value: str) -> str | None:
    if _CREDENTIAL.search(value):
        return f"{name} must name a secret (a Secrets Manager id or ssm:/parameter), not hold one: value not shown"
    if value.startswith("ssm:"):
        return None if _SSM_NAME.match(value) else f"{name} is not an SSM parameter reference (ssm:/path/name)"
    return None if _SECRET_ID.match(value) else f"{name} is not a Secrets Manager secret name or ARN"


def check_channel(name: str, value: str) -> str | None:
    return None if _CHANNEL.match(value) else f"{name} is not a Slack channel (#name or an id like C0123456789)"


def check_url(name: str, value: str) -> str | None:
    return None if _URL.match(value) else f"{name} is not an http(s) URL"


CHECKS: dict[str, Callable[[str, str], str | None]] = {
    "SHEPHERD_IDEMPOTENCY_TABLE": check_table,
    "SHEPHERD_STATE_TABLE": check_table,
    "SHEPHERD_TOPIC_ARN": check_topic,
    "SHEPHERD_SLACK_SECRET": check_secret_reference,
    "SHEPHERD_SLACK_CHANNEL": check_channel,
    "SHEPHERD_SLACK_API_URL": check_url,
}


def problems(env: Mapping[str, str]) -> list[str]:
    """Every problem with the settings that are set (unset optional ones are checked where they are required)."""
    found = []
    for name, check in CHECKS.items():
        value = env.get(name, "").strip()
        problem = check(name, value) if value else None
        if problem:
            found.append(problem)
    return found


def check_environment(env: Mapping[str, str]) -> None:
    found = problems(env)
    if found:
        raise ConfigurationError("; ".join(found))
