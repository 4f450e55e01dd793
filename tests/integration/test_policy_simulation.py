"""The local stack's SimulatePrincipalPolicy: Allow/Deny, wildcards, explicit deny, conditions, attached policies."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

TOPIC = "arn:aws:sns:us-east-1:123456789012:topic"
PASSED_TO_SAGEMAKER = {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def role_with(*statements: dict[str, Any], attached: dict[str, Any] | None = None) -> str:
    iam = boto3.client("iam")
    arn: str = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    iam.put_role_policy(RoleName="fn", PolicyName="inline", PolicyDocument=json.dumps(document))
    if attached:
        policy = iam.create_policy(PolicyName="managed", PolicyDocument=json.dumps(attached))["Policy"]["Arn"]
        iam.attach_role_policy(RoleName="fn", PolicyArn=policy)
    return arn


def decision(role: str, action: str, resource: str, **extra: Any) -> str:
    results = boto3.client("iam").simulate_principal_policy(
        PolicySourceArn=role, ActionNames=[action], ResourceArns=[resource], **extra
    )["EvaluationResults"]
    found: str = results[0]["EvalDecision"]
    return found


@pytest.mark.usefixtures("aws")
def test_an_allowed_action_on_a_matching_resource_is_allowed() -> None:
    role = role_with({"Effect": "Allow", "Action": "sns:Publish", "Resource": TOPIC})
    assert decision(role, "sns:Publish", TOPIC) == "allowed"
    assert decision(role, "sns:Publish", TOPIC + "-other") == "implicitDeny"
    assert decision(role, "sns:DeleteTopic", TOPIC) == "implicitDeny"


@pytest.mark.usefixtures("aws")
def test_wildcards_match_actions_and_resources() -> None:
    role = role_with({"Effect": "Allow", "Action": "sagemaker:Describe*", "Resource": "arn:aws:sagemaker:*:model/a-?"})
    assert decision(role, "sagemaker:DescribeModel", "arn:aws:sagemaker:us-east-1:1:model/a-1") == "allowed"
    assert decision(role, "sagemaker:DescribeModel", "arn:aws:sagemaker:us-east-1:1:model/a-12") == "implicitDeny"


@pytest.mark.usefixtures("aws")
def test_an_explicit_deny_wins() -> None:
    role = role_with(
        {"Effect": "Allow", "Action": "sns:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "sns:Publish", "Resource": TOPIC},
    )
    assert decision(role, "sns:Publish", TOPIC) == "explicitDeny"


@pytest.mark.usefixtures("aws")
def test_not_action_never_matches() -> None:
    role = role_with({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert decision(role, "sns:Publish", TOPIC) == "implicitDeny"


@pytest.mark.usefixtures("aws")
def test_a_condition_matches_only_with_the_context_it_expects() -> None:
    role = role_with({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": PASSED_TO_SAGEMAKER})
    context = {"ContextKeyName": "iam:PassedToService", "ContextKeyType": "string"}
    assert decision(role, "iam:PassRole", "arn:aws:iam::1:role/x") == "implicitDeny"
    wrong = [{**context, "ContextKeyValues": ["lambda.amazonaws.com"]}]
    assert decision(role, "iam:PassRole", "arn:aws:iam::1:role/x", ContextEntries=wrong) == "implicitDeny"
    right = [{**context, "ContextKeyValues": ["sagemaker.amazonaws.com"]}]
    assert decision(role, "iam:PassRole", "arn:aws:iam::1:role/x", ContextEntries=right) == "allowed"


@pytest.mark.usefixtures("aws")
def test_attached_policies_count() -> None:
    attached = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    role = role_with({"Effect": "Allow", "Action": "sns:Publish", "Resource": TOPIC}, attached=attached)
    assert decision(role, "s3:GetObject", "arn:aws:s3:::b/k") == "allowed"
