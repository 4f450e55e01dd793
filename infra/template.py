"""The template merged into Chalice's with `chalice package --merge-template`.

Shared resources come from infra/resources.json, named from the stage's settings. Everything per
function is derived from the template Chalice generated, so a new handler is covered without anyone
remembering to: an explicit name, retries and an on-failure destination for asynchronous invocations,
a dead-letter queue on its EventBridge rule, the topic from this stack, and an alarm on its errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infra.names import StageNames

RESOURCES = Path(__file__).resolve().parent / "resources.json"
MAX_RETRIES = 2  # Lambda's maximum for asynchronous invocations
MAX_EVENT_AGE_SECONDS = 6 * 3600  # the maximum; past it the reconciler repairs what was missed
ASYNC_EVENT_TYPES = frozenset({"CloudWatchEvent", "EventBridgeRule", "Schedule", "SNS", "S3"})
RULE_EVENT_TYPES = frozenset({"CloudWatchEvent", "EventBridgeRule", "Schedule"})
DLQ_ARN = {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}
APP_BUS = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"


def render(
    chalice_template: dict[str, Any],
    names: StageNames,
    resources: Path = RESOURCES,
    stage_accounts: tuple[str, ...] = (),
) -> dict[str, Any]:
    """`stage_accounts`: the accounts the release policies put stages in (their events come to this bus)."""
    merge: dict[str, Any] = json.loads(_fill(resources.read_text(), names))
    for account in stage_accounts:
        merge["Resources"][f"EventsFrom{account}"] = events_from(account, names)
    if names.slack_secret:
        merge["Resources"]["SlackSecret"] = slack_secret(names.slack_secret)
    for logical_id, function in functions(chalice_template):
        merge["Resources"][logical_id] = function_overlay(function, names)
        merge["Resources"][f"{logical_id}ErrorsAlarm"] = errors_alarm(logical_id, function, names)
    return merge


def functions(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            yield logical_id, resource


def function_overlay(function: dict[str, Any], names: StageNames) -> dict[str, Any]:
    properties = function.get("Properties", {})
    overlay: dict[str, Any] = {"FunctionName": names.function_name(properties.get("Handler", ""))}
    if "SHEPHERD_TOPIC_ARN" in properties.get("Environment", {}).get("Variables", {}):
        # The topic this stack made, whatever the account: the config's ARN is for `chalice deploy`.
        overlay["Environment"] = {"Variables": {"SHEPHERD_TOPIC_ARN": {"Ref": "NotificationTopic"}}}
    events = properties.get("Events", {})
    if any(event.get("Type") in ASYNC_EVENT_TYPES for event in events.values()):
        overlay["EventInvokeConfig"] = {
            "MaximumRetryAttempts": MAX_RETRIES,
            "MaximumEventAgeInSeconds": MAX_EVENT_AGE_SECONDS,
            # A destination record keeps the full event and the error: what `shepherd replay` needs.
            "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": DLQ_ARN}},
        }
    rules = {name: rule_dead_letter() for name, event in events.items() if event.get("Type") in RULE_EVENT_TYPES}
    if rules:
        overlay["Events"] = rules
    return {"Properties": overlay}


def rule_dead_letter() -> dict[str, Any]:
    """EventBridge's own retries and DLQ, for events it could not deliver to the function at all."""
    return {
        "Properties": {
            "DeadLetterConfig": {"Arn": DLQ_ARN},
            "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
        }
    }


def errors_alarm(logical_id: str, function: dict[str, Any], names: StageNames) -> dict[str, Any]:
    name = names.function_name(function.get("Properties", {}).get("Handler", ""))
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"{name}-errors",
            "AlarmDescription": f"{logical_id} failed: see its logs. Async events are retried, then kept in the DLQ.",
            "Namespace": "AWS/Lambda",
            "MetricName": "Errors",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": logical_id}}],
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
        },
    }


def events_from(account: str, names: StageNames) -> dict[str, Any]:
    """A stage account's forwarding rule (infra/target-account.json) may put its endpoint and alarm events on
    this account's default bus; nothing else may."""
    return {
        "Type": "AWS::Events::EventBusPolicy",
        "Properties": {
            "StatementId": f"{names.prefix}-events-from-{account}",
            "Statement": {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "events:PutEvents",
                "Resource": {
                    "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
                },
            },
        },
    }


def slack_secret(name: str) -> dict[str, Any]:
    """Created empty: the value is put by hand (README, "Configure Slack"), never in a template or config."""
    return {
        "Type": "AWS::SecretsManager::Secret",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "Name": name,
            "Description": 'Slack credentials for model-shepherd: {"bot_token": ..., "signing_secret": ...}',
        },
    }


def _fill(text: str, names: StageNames) -> str:
    tokens = {
        "@APP@": names.app,
        "@STAGE@": names.stage,
        "@IDEMPOTENCY_TABLE@": names.idempotency_table,
        "@STATE_TABLE@": names.state_table,
        "@TOPIC_NAME@": names.topic_name,
        "@DLQ_NAME@": names.dlq_name,
    }
    for token, value in tokens.items():
        text = text.replace(token, value)
    return text
