"""The SNS topic, and the Slack secret's keys (key names only: a value is never read out)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from shepherd_cli.doctor.results import Account, Check, fail, ok, refused, skip

SSM_PREFIX = "ssm:"
NOT_FOUND = ("NotFound", "NotFoundException", "ResourceNotFoundException", "ParameterNotFound")


def check_topic(account: Account) -> Check:
    arn = account.environment.get("SHEPHERD_TOPIC_ARN", "").strip()
    if not arn:
        return skip("topic", "SHEPHERD_TOPIC_ARN is not set")
    try:
        account.client("sns").get_topic_attributes(TopicArn=arn)
    except ClientError as error:
        if error_code(error) in NOT_FOUND:
            return fail("topic", f"topic {arn} does not exist: deploy infra/resources.json")
        return refused("topic", error, f"cannot read topic {arn}")
    return ok("topic", f"topic {arn} exists")


def check_slack_secret(account: Account) -> Check:
    reference = account.environment.get("SHEPHERD_SLACK_SECRET", "").strip()
    if not reference:
        return skip("slack-secret", "SHEPHERD_SLACK_SECRET is not set: no Slack messages or approvals")
    try:
        text = _secret_text(account, reference)
    except ClientError as error:
        if error_code(error) in NOT_FOUND:
            return fail("slack-secret", f"secret {reference} does not exist: create it (see docs/operating.md)")
        return refused("slack-secret", error, f"cannot read secret {reference}")
    return _check_keys(reference, text)


def _secret_text(account: Account, reference: str) -> str:
    if reference.startswith(SSM_PREFIX):
        found = account.client("ssm").get_parameter(Name=reference[len(SSM_PREFIX) :], WithDecryption=True)
        return str(found["Parameter"].get("Value", ""))
    return str(account.client("secretsmanager").get_secret_value(SecretId=reference).get("SecretString", ""))


def _check_keys(reference: str, text: str) -> Check:
    try:
        secret: Any = json.loads(text)
    except ValueError:
        secret = None
    if not isinstance(secret, dict):
        return fail("slack-secret", f"secret {reference} is not a JSON object: store its keys as JSON")
    present = sorted(key for key, value in secret.items() if isinstance(value, str) and value)
    missing = [] if {"bot_token", "webhook_url"} & set(present) else ["bot_token (or webhook_url)"]
    missing += [] if "signing_secret" in present else ["signing_secret"]
    if missing:
        return fail(
            "slack-secret",
            f"secret {reference} has keys {', '.join(present) or '(none)'}; add {' and '.join(missing)}",
        )
    return ok("slack-secret", f"secret {reference} has {', '.join(present)}")
