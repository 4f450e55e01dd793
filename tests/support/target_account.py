"""infra/target-account.json as CloudFormation deploys it in one account and region, with given parameters."""

from __future__ import annotations

import json
from typing import Any

from infra.names import PROJECT
from tests.support.cfn_resolve import resolve

TEMPLATE = PROJECT / "infra" / "target-account.json"
ACCOUNT, REGION = "333333333333", "us-east-1"
APP_ROLES = ["arn:aws:iam::123456789012:role/model-shepherd-prod-release_endpoint"]
PARAMETERS: dict[str, Any] = {
    "AppAccountId": "123456789012",
    "AppRegion": "us-east-1",
    "AppRoleArns": APP_ROLES,
    "DoctorArns": [""],
    "ExternalId": "",
    "DeployRoleName": "model-shepherd-deploy",
    "ExecutionRoleName": "sagemaker-exec",
    "EndpointNames": ["fraud-detection-prod"],
    "StagingEndpointNames": [""],
    "NamePrefixes": ["fraud-detection-models-74683f"],
    "AlarmNames": ["fraud-detection-prod-5xx"],
    "AsyncSmokeInputs": "",
    "AsyncOutputPath": "",
    "AsyncFailurePath": "",
    "AWS::Partition": "aws",
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
}


def deployed(**changes: Any) -> dict[str, Any]:
    template = json.loads(TEMPLATE.read_text())
    parameters = {**PARAMETERS, **changes}
    conditions = {
        "HasExternalId": parameters["ExternalId"] != "",
        "HasStaging": "".join(parameters["StagingEndpointNames"]) != "",
        "HasAlarms": "".join(parameters["AlarmNames"]) != "",
        "HasDoctors": "".join(parameters["DoctorArns"]) != "",
        "HasAsyncSmoke": parameters["AsyncSmokeInputs"] != "",
    }
    assert set(conditions) == set(template["Conditions"])
    resources: dict[str, Any] = resolve(template["Resources"], parameters, conditions)
    return resources


def policy(resources: dict[str, Any]) -> dict[str, Any]:
    """The deploy role's policy document."""
    [release] = resources["DeployRole"]["Properties"]["Policies"]
    document: dict[str, Any] = release["PolicyDocument"]
    return document


def statements(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {statement["Sid"]: statement for statement in policy(resources)["Statement"]}
