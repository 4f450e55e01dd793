"""The packaged template (`make package`): everything the app needs, and no function left without a net.

The checks are generic over the functions Chalice generated, so a new handler without infra fails here.
"""

from __future__ import annotations

import json
from typing import Any

from infra.iam_rules import template_policies, violations
from infra.names import load_config, stage_environment
from infra.template import ASYNC_EVENT_TYPES, RULE_EVENT_TYPES, functions

ENV = stage_environment(load_config(), "prod")


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def event_types(function: dict[str, Any]) -> set[str]:
    return {event["Type"] for event in function["Properties"].get("Events", {}).values()}


def queue_of(arn: Any) -> str:
    assert arn == {"Fn::GetAtt": [arn["Fn::GetAtt"][0], "Arn"]}, "a queue of this stack"
    return str(arn["Fn::GetAtt"][0])


def alarmed(template: dict[str, Any], namespace: str, metric: str) -> list[dict[str, Any]]:
    alarms = of_type(template, "AWS::CloudWatch::Alarm").values()
    return [
        a["Properties"]
        for a in alarms
        if (a["Properties"].get("Namespace"), a["Properties"].get("MetricName")) == (namespace, metric)
    ]


def test_every_event_driven_function_retries_then_keeps_the_event(template: dict[str, Any]) -> None:
    driven = {name: f for name, f in functions(template) if event_types(f) & ASYNC_EVENT_TYPES}
    assert "Gate" in driven
    queues = of_type(template, "AWS::SQS::Queue")
    for name, function in driven.items():
        config = function["Properties"].get("EventInvokeConfig")
        assert config, f"{name} has no EventInvokeConfig"
        assert 1 <= config["MaximumRetryAttempts"] <= 2, name
        on_failure = config["DestinationConfig"]["OnFailure"]
        assert on_failure["Type"] == "SQS", name
        assert queue_of(on_failure["Destination"]) in queues, name


def test_every_eventbridge_rule_has_its_own_dead_letter_queue(template: dict[str, Any]) -> None:
    queues = of_type(template, "AWS::SQS::Queue")
    for name, function in functions(template):
        for event_name, event in function["Properties"].get("Events", {}).items():
            if event["Type"] in RULE_EVENT_TYPES:
                assert queue_of(event["Properties"]["DeadLetterConfig"]["Arn"]) in queues, f"{name}/{event_name}"
                assert event["Properties"]["RetryPolicy"]["MaximumRetryAttempts"] > 0


def test_every_dead_letter_queue_keeps_messages_and_has_a_depth_alarm(template: dict[str, Any]) -> None:
    depth = alarmed(template, "AWS/SQS", "ApproximateNumberOfMessagesVisible")
    watched = {d["Value"]["Fn::GetAtt"][0] for a in depth for d in a["Dimensions"] if d["Name"] == "QueueName"}
    for name, queue in of_type(template, "AWS::SQS::Queue").items():
        assert name in watched, f"queue {name} has no depth alarm"
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600  # the maximum
    assert all(a["AlarmActions"] for a in depth)


def test_every_function_has_an_errors_alarm(template: dict[str, Any]) -> None:
    errors = alarmed(template, "AWS/Lambda", "Errors")
    covered = {d["Value"]["Ref"] for a in errors for d in a["Dimensions"] if d["Name"] == "FunctionName"}
    assert {name for name, _ in functions(template)} <= covered
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in errors)


def test_rollbacks_raise_an_alarm(template: dict[str, Any]) -> None:
    (rollback,) = alarmed(template, "ModelShepherd", "Rollback")
    assert rollback["Dimensions"] == [{"Name": "service", "Value": "model-shepherd"}]
    assert rollback["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_tables_have_ttl_and_point_in_time_recovery(template: dict[str, Any]) -> None:
    tables = {t["Properties"]["TableName"]: t for t in of_type(template, "AWS::DynamoDB::Table").values()}
    assert set(tables) == {ENV["SHEPHERD_IDEMPOTENCY_TABLE"], ENV["SHEPHERD_STATE_TABLE"]}
    for name, table in tables.items():
        properties = table["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert properties["TimeToLiveSpecification"]["Enabled"] is True, name
        assert table["DeletionPolicy"] == "Retain", name
    idempotency = tables[ENV["SHEPHERD_IDEMPOTENCY_TABLE"]]["Properties"]
    assert idempotency["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert idempotency["TimeToLiveSpecification"]["AttributeName"] == "expiration"  # Powertools' attribute
    state = tables[ENV["SHEPHERD_STATE_TABLE"]]["Properties"]
    assert [key["AttributeName"] for key in state["KeySchema"]] == ["pk", "sk"]
    assert state["TimeToLiveSpecification"]["AttributeName"] == "expires_at"


def test_functions_publish_to_the_topic_of_this_stack(template: dict[str, Any]) -> None:
    topic = template["Resources"]["NotificationTopic"]["Properties"]
    assert topic["TopicName"] == ENV["SHEPHERD_TOPIC_ARN"].rsplit(":", 1)[-1]
    for name, function in functions(template):
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["SHEPHERD_TOPIC_ARN"] == {"Ref": "NotificationTopic"}, name


def test_the_slack_secret_is_referenced_never_included(template: dict[str, Any]) -> None:
    (secret,) = of_type(template, "AWS::SecretsManager::Secret").values()
    assert secret["Properties"]["Name"] == ENV["SHEPHERD_SLACK_SECRET"]
    assert not {"SecretString", "GenerateSecretString"} & set(secret["Properties"])
    text = json.dumps(template)
    for marker in ("xoxb-", "xoxp-", "hooks.slack.com", 'signing_secret":'):
        assert marker not in text


def test_every_policy_in_the_template_is_least_privilege(template: dict[str, Any]) -> None:
    documents = dict(template_policies(template))
    assert any(name.endswith("RolePolicy") for name in documents)
    for name, document in documents.items():
        assert violations(document) == [], name


def test_functions_have_the_names_chalice_deploy_would_give(template: dict[str, Any]) -> None:
    names = {name: f["Properties"]["FunctionName"] for name, f in functions(template)}
    assert names["Gate"] == "model-shepherd-prod-gate"  # what the Logs statement of the IAM policy matches


def test_an_ssm_slack_parameter_makes_no_secret_resource() -> None:
    from infra.names import stage_names
    from infra.template import render

    config = load_config()
    config["stages"]["prod"]["environment_variables"]["SHEPHERD_SLACK_SECRET"] = "ssm:/model-shepherd/prod/slack"
    merge = render({"Resources": {}}, stage_names(config, "prod"))
    assert not of_type(merge, "AWS::SecretsManager::Secret")
    assert "DeadLetterQueue" in merge["Resources"]
