"""`shepherd doctor` simulates a conditioned statement as the code's requests are made: one value per key."""

from __future__ import annotations

from pathlib import Path

import boto3
from botocore.stub import Stubber

from shepherd_cli.doctor.results import Account
from shepherd_cli.doctor.roles import check_role

ROLE = "arn:aws:iam::123456789012:role/model-shepherd-dev-release_endpoint"
PACKAGES = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/*"
STAGE_KEY = "sagemaker:ModelLifeCycle:stage"
LIFECYCLE = {
    "Sid": "RecordModelLifeCycle",
    "Effect": "Allow",
    "Action": ["sagemaker:UpdateModelPackage"],
    "Resource": [PACKAGES],
    "Condition": {"StringEquals": {STAGE_KEY: ["Staging", "Production", "Archived"]}},
}


def test_a_single_valued_condition_key_is_asked_with_one_of_its_allowed_values() -> None:
    iam = boto3.client("iam")
    asked = {
        "PolicySourceArn": ROLE,
        "ActionNames": ["sagemaker:UpdateModelPackage"],
        "ResourceArns": [PACKAGES],
        "ContextEntries": [{"ContextKeyName": STAGE_KEY, "ContextKeyValues": ["Staging"], "ContextKeyType": "string"}],
    }
    allowed = {"EvaluationResults": [{"EvalActionName": "sagemaker:UpdateModelPackage", "EvalDecision": "allowed"}]}
    account = Account("dev", {}, lambda service: iam, Path("."))
    with Stubber(iam) as stub:
        stub.add_response("simulate_principal_policy", allowed, asked)  # the Stubber refuses any other request
        check = check_role(account, "role:x", ROLE, {"Statement": [LIFECYCLE]})
    assert (check.failed, check.reason.endswith("allows every action the generated policy lists")) == (False, True)
