"""The role check itself: a call a role does not allow fails the test that made it; a grant no call used is named.

Every other functional test runs under the check (conftest.py); these prove it would catch what it is for.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib import handlers
from chalicelib.bootstrap import Container
from devstack.resources import LocalResources
from tests.support import aws_calls
from tests.support.function_roles import rendered_roles
from tests.support.iam_requests import IamRequest, iam_requests
from tests.support.role_check import refused, unused_grants, used_grants
from tests.support.unused_grants import unused

PACKAGES = "arn:aws:sagemaker:us-east-1:123456789012:model-package"
ROLE_ARN = "arn:aws:iam::123456789012:role/model-shepherd-sagemaker-execution"


def without(document: dict[str, Any], action: str) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(document))
    for statement in copied["Statement"]:
        statement["Action"] = [granted for granted in statement["Action"] if granted != action]
    return copied


def test_every_handler_entry_point_names_its_function() -> None:
    entry_points = {name for name in vars(handlers) if name.startswith("on_")}
    assert entry_points == set(aws_calls.FUNCTION_OF_HANDLER)
    assert set(aws_calls.FUNCTION_OF_HANDLER.values()) == set(rendered_roles())


def test_a_call_the_handler_makes_is_recorded_for_its_function(container: Container) -> None:
    aws_calls.take()
    result = handlers.on_model_package_pending(
        {"detail": {"ModelPackageArn": f"{PACKAGES}/x-models/1", "ModelApprovalStatus": "PendingManualApproval"}}, None
    )
    boto3.client("sns").list_topics()  # the test's own call: not the handler's
    assert "has no policy" in result["skipped"]
    calls = aws_calls.take()
    assert {call.function for call in calls} == {"gate"}  # the once-only record; not the test's list_topics
    assert [call for call in calls if call.service == "sagemaker"] == []  # the package is not even read


def test_a_role_missing_an_action_refuses_the_recorded_call(container: Container) -> None:
    gate = rendered_roles()["gate"]
    publish = IamRequest("sns:Publish", container.settings.topic_arn or "")
    assert refused(gate, [publish]) == []
    assert refused(without(gate, "sns:Publish"), [publish]) == [publish]


def test_pass_role_is_allowed_only_to_sagemaker() -> None:
    release = rendered_roles()["release_decided"]
    call = aws_calls.AwsCall(
        "release_decided",
        "sagemaker",
        "CreateModel",
        {"ModelName": "Fraud-Detection-Models-74683f-v1-x", "ExecutionRoleArn": ROLE_ARN},
        "us-east-1",
    )
    requests = iam_requests(call)
    assert [r.action for r in requests] == ["sagemaker:CreateModel", "iam:PassRole"]
    assert requests[0].resource.endswith(":model/fraud-detection-models-74683f-v1-x")  # IAM's lowercase
    assert refused(release, requests) == []
    to_lambda = IamRequest("iam:PassRole", ROLE_ARN, {"iam:PassedToService": "lambda.amazonaws.com"})
    assert refused(release, [to_lambda]) == [to_lambda]
    assert refused(rendered_roles()["gate"], requests) == requests  # the gate creates nothing


def test_a_grant_no_call_used_is_named() -> None:
    roles = rendered_roles()
    gate = roles["gate"]
    publish = IamRequest("sns:Publish", "arn:aws:sns:us-east-1:123456789012:model-shepherd-local")
    used = used_grants(gate, [publish])
    assert ("Notify", "sns:Publish") in used
    assert ("Notify", "sns:Publish") not in unused_grants(gate, used)
    assert ("DecideModelPackages", "sagemaker:UpdateModelPackage") in unused_grants(gate, used)
    found = unused({("gate", sid, action) for sid, action in used}, {"gate": gate})
    assert "gate: DecideModelPackages grants sagemaker:UpdateModelPackage" in found
    assert not any("Logs" in line for line in found)  # Lambda's own use, never recorded


@pytest.mark.parametrize(
    ("operation", "params", "expected"),
    [
        (
            "TransactWriteItems",
            {"TransactItems": [{"ConditionCheck": {"TableName": "t"}}, {"Put": {"TableName": "t"}}]},
            ["dynamodb:ConditionCheckItem", "dynamodb:PutItem"],
        ),
        ("BatchGetItem", {"RequestItems": {"t": {}}}, ["dynamodb:BatchGetItem"]),
        ("Query", {"TableName": "t", "IndexName": "by-time"}, ["dynamodb:Query"]),
    ],
)
def test_dynamodb_calls_map_to_the_actions_iam_authorizes(operation: str, params: Any, expected: list[str]) -> None:
    requests = iam_requests(aws_calls.AwsCall("gate", "dynamodb", operation, params, "us-east-1"))
    assert [request.action for request in requests] == expected
    assert all(":table/t" in request.resource for request in requests)


# What a progressive or shadow release sends for production (its champion's config read, a config beside it
# made, traffic shifted), the metric analysis's read and production re-read; the functions whose paths send each.
PRODUCTION_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-detection-prod"
CONFIG_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/fraud-detection-models-74683f-v2-x-spl"
JUDGED_CALLS = {
    ("sagemaker:DescribeEndpointConfig", CONFIG_ARN): {"api_handler", "release_endpoint", "release_reconcile"},
    # release_decided makes the release's own configs, whose names share the split's prefix.
    ("sagemaker:CreateEndpointConfig", CONFIG_ARN): {
        "api_handler",
        "release_decided",
        "release_endpoint",
        "release_reconcile",
    },
    ("sagemaker:DescribeEndpoint", PRODUCTION_ARN): {
        "api_handler",
        "release_decided",
        "release_endpoint",
        "release_alarm",
        "release_reconcile",
    },
    ("sagemaker:UpdateEndpointWeightsAndCapacities", PRODUCTION_ARN): {
        "api_handler",
        "release_decided",
        "release_endpoint",
        "release_alarm",
        "release_reconcile",
    },
    ("cloudwatch:GetMetricData", "*"): {"release_endpoint", "release_alarm", "release_reconcile"},
}


def test_the_local_stacks_roles_allow_the_judged_rollouts_calls_by_the_doctors_simulation(
    resources: LocalResources,
) -> None:
    """devstack's function roles (what `shepherd doctor` simulates on the local stack) allow each of these calls
    to exactly the functions that make it."""
    from chalicelib.adapters.aws import make_client
    from devstack.function_roles import STAGE, create_function_roles
    from shepherd_cli.doctor.expected_policies import role_name

    iam = boto3.client("iam")
    create_function_roles(make_client, resources.environment())
    for (action, resource), functions in JUDGED_CALLS.items():
        allowed = set()
        for function in aws_calls.FUNCTION_OF_HANDLER.values():
            role = iam.get_role(RoleName=role_name(STAGE, function))["Role"]["Arn"]
            answer = iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=[action], ResourceArns=[resource])
            if answer["EvaluationResults"][0]["EvalDecision"] == "allowed":
                allowed.add(function)
        assert allowed == functions, action
