"""The least-privilege rules catch each kind of violation (so a clean result on the real files means something)."""

from __future__ import annotations

from typing import Any

import pytest

from infra.iam_rules import template_policies, violations

SCOPED = "arn:aws:sns:us-east-1:123456789012:model-shepherd-prod"
ROLE = "arn:aws:iam::123456789012:role/model-shepherd-sagemaker-execution"
PASSED_TO_SAGEMAKER = {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Sid": "S", "Effect": "Allow", "Action": action, "Resource": resource, **extra}


def test_a_scoped_write_and_an_unscoped_read_pass() -> None:
    assert violations(doc(allow("sns:Publish", SCOPED), allow(["sagemaker:ListModelPackages"], "*"))) == []


@pytest.mark.parametrize(
    "resource", ["*", ["*"], "arn:aws:sns:us-east-1:123456789012:*", "arn:aws:s3:::*", [SCOPED, "*"]]
)
def test_flags_a_write_action_on_an_unscoped_resource(resource: Any) -> None:
    assert any("unscoped" in problem for problem in violations(doc(allow("sns:Publish", resource))))


@pytest.mark.parametrize("action", ["*", "sagemaker:*", "sagemaker:Update*"])
def test_flags_wildcard_actions(action: str) -> None:
    assert any("wildcard action" in problem for problem in violations(doc(allow(action, SCOPED))))


def test_flags_not_action() -> None:
    statement = {"Sid": "S", "Effect": "Allow", "NotAction": "iam:*", "Resource": SCOPED}
    assert violations(doc(statement))


def test_pass_role_needs_the_exact_role_and_passed_to_service() -> None:
    assert violations(doc(allow("iam:PassRole", ROLE, Condition=PASSED_TO_SAGEMAKER))) == []
    assert any("PassedToService" in p for p in violations(doc(allow("iam:PassRole", ROLE))))
    wildcard = allow("iam:PassRole", "arn:aws:iam::123456789012:role/*", Condition=PASSED_TO_SAGEMAKER)
    assert any("execution role exactly" in p for p in violations(doc(wildcard)))
    other_service = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert violations(doc(allow("iam:PassRole", ROLE, Condition=other_service)))


def test_flags_mixed_case_endpoint_arns() -> None:
    endpoint = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/Fraud-Detection-*"
    assert any("lowercase" in p for p in violations(doc(allow("sagemaker:UpdateEndpoint", endpoint))))
    assert violations(doc(allow("sagemaker:UpdateEndpoint", endpoint.lower()))) == []


def test_flags_mixed_case_model_package_arns() -> None:
    package = "arn:aws:sagemaker:us-east-1:123456789012:model-package/Fraud-Models/*"
    assert any("lowercase" in p for p in violations(doc(allow("sagemaker:UpdateModelPackage", package))))
    assert violations(doc(allow("sagemaker:UpdateModelPackage", package.lower()))) == []


def test_deny_statements_are_not_grants() -> None:
    assert violations(doc({"Effect": "Deny", "Action": "*", "Resource": "*"})) == []


def test_finds_policies_on_roles_and_resources_in_a_template() -> None:
    template = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {"Policies": [{"PolicyName": "P", "PolicyDocument": {"Id": "1"}}]},
            },
            "QueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"PolicyDocument": {"Id": "2"}}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        }
    }
    assert dict(template_policies(template)) == {"Role/P": {"Id": "1"}, "QueuePolicy": {"Id": "2"}}
