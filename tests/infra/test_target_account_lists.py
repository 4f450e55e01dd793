"""The target-account template's list parameters (EndpointNames, StagingEndpointNames, NamePrefixes,
AlarmNames): one, two or three names, each granted by exactly one ARN of its own, and the deploy role still
reaches only the named resources in its own account and region."""

from __future__ import annotations

import json

import pytest

from tests.support.cfn_resolve import resolve
from tests.support.iam_requests import IamRequest
from tests.support.role_check import refused
from tests.support.target_account import ACCOUNT, PARAMETERS, REGION, deployed, policy, statements

PREFIX = "fraud-detection-models-74683f"  # PARAMETERS' NamePrefixes
ONE_TWO_THREE = [1, 2, 3]
IN_ITS_REGION = {"StringEquals": {"aws:RequestedRegion": REGION}}


def named(count: int, stem: str) -> list[str]:
    return [f"{stem}-{letter}" for letter in "abc"[:count]]


def sagemaker(kind: str, name: str) -> str:
    # The account is IAM's policy variable (the role's own); the region is the statement's condition.
    return f"arn:*:sagemaker:*:${{aws:PrincipalAccount}}:{kind}/{name}"


def alarm(name: str) -> str:
    return f"arn:*:cloudwatch:*:${{aws:PrincipalAccount}}:alarm:{name}"


def test_the_resolver_substitutes_once_and_never_inside_a_variables_value() -> None:
    node = {"Fn::Sub": ["${AWS::Region}/${V}/${!Kept}", {"V": {"Fn::Join": [",${AWS::Region}:", ["a", "b"]]}}]}
    assert resolve(node, PARAMETERS, {}) == "us-east-1/a,${AWS::Region}:b/${Kept}"


def test_the_resolver_refuses_a_function_where_cloudformation_takes_only_a_string() -> None:
    with pytest.raises(TypeError, match="Fn::Join delimiter"):
        resolve({"Fn::Join": [{"Ref": "AWS::Region"}, ["a", "b"]]}, PARAMETERS, {})
    with pytest.raises(TypeError, match="Fn::Sub String"):
        resolve({"Fn::Sub": [{"Ref": "AWS::Region"}, {}]}, PARAMETERS, {})
    with pytest.raises(KeyError):
        resolve({"Fn::Sub": "${Undefined}"}, PARAMETERS, {})


@pytest.mark.parametrize("count", ONE_TWO_THREE)
def test_every_endpoint_name_gets_its_own_arn(count: int) -> None:
    endpoints = named(count, "fraud")
    found = statements(deployed(EndpointNames=endpoints))
    expected = [sagemaker("endpoint", name) for name in endpoints] + [sagemaker("endpoint-config", f"{PREFIX}-v*")]
    assert found["DeployEndpoints"]["Resource"] == expected


@pytest.mark.parametrize("count", ONE_TWO_THREE)
def test_every_staging_endpoint_name_gets_its_own_arn(count: int) -> None:
    staging = named(count, "fraud-staging")
    found = statements(deployed(EndpointNames=staging, StagingEndpointNames=staging))
    assert found["SmokeTestAndReplaceStaging"]["Resource"] == [sagemaker("endpoint", name) for name in staging]


@pytest.mark.parametrize("count", ONE_TWO_THREE)
def test_every_name_prefix_gets_its_model_and_endpoint_config_arns(count: int) -> None:
    prefixes = named(count, "group")
    found = statements(deployed(NamePrefixes=prefixes))
    models = [sagemaker("model", f"{prefix}-v*") for prefix in prefixes]
    configs = [sagemaker("endpoint-config", f"{prefix}-v*") for prefix in prefixes]
    assert found["CreateReleaseResources"]["Resource"] == models + configs
    assert found["DeployEndpoints"]["Resource"] == [sagemaker("endpoint", "fraud-detection-prod"), *configs]


@pytest.mark.parametrize("count", ONE_TWO_THREE)
def test_every_alarm_name_gets_its_own_arn(count: int) -> None:
    alarms = named(count, "fraud-5xx")
    found = statements(deployed(AlarmNames=alarms))
    assert found["WatchReleaseAlarms"]["Resource"] == [alarm(name) for name in alarms]


def three_of_each() -> dict[str, list[str]]:
    staging = named(3, "fraud-staging")
    return {
        "EndpointNames": staging + named(3, "fraud-prod"),
        "StagingEndpointNames": staging,
        "NamePrefixes": named(3, "group"),
        "AlarmNames": named(3, "fraud-5xx"),
    }


def test_no_arn_is_left_with_a_cloudformation_variable_and_every_named_one_holds_to_the_region() -> None:
    resources = deployed(**three_of_each())
    assert "${AWS::" not in json.dumps(resources)
    for statement in policy(resources)["Statement"]:
        if any("${aws:PrincipalAccount}" in arn for arn in statement["Resource"]):
            assert statement["Condition"] == IN_ITS_REGION, statement["Sid"]


def request(
    action: str, resource: str, account: str = ACCOUNT, region: str = REGION, partition: str = "aws"
) -> IamRequest:
    arn = resource.format(partition=partition, region=region, account=account)
    return IamRequest(action, arn, {"aws:PrincipalAccount": ACCOUNT, "aws:RequestedRegion": region})


GRANTED = [
    ("sagemaker:UpdateEndpoint", "arn:{partition}:sagemaker:{region}:{account}:endpoint/fraud-prod-c"),
    ("sagemaker:DeleteEndpoint", "arn:{partition}:sagemaker:{region}:{account}:endpoint/fraud-staging-b"),
    ("sagemaker:CreateModel", "arn:{partition}:sagemaker:{region}:{account}:model/group-c-v7"),
    ("sagemaker:CreateEndpointConfig", "arn:{partition}:sagemaker:{region}:{account}:endpoint-config/group-b-v2"),
    ("cloudwatch:DescribeAlarms", "arn:{partition}:cloudwatch:{region}:{account}:alarm:fraud-5xx-c"),
]


def test_the_role_reaches_each_named_resource_in_its_own_account_and_region_only() -> None:
    document = policy(deployed(**three_of_each()))
    assert refused(document, [request(action, arn) for action, arn in GRANTED]) == []
    in_china = policy(deployed(**three_of_each(), **{"AWS::Partition": "aws-cn"}))
    assert refused(in_china, [request(action, arn, partition="aws-cn") for action, arn in GRANTED]) == []
    elsewhere = [request(action, arn, account="444444444444") for action, arn in GRANTED]
    assert refused(document, elsewhere) == elsewhere
    other_region = [request(action, arn, region="eu-west-1") for action, arn in GRANTED]
    assert refused(document, other_region) == other_region
    unnamed = [
        request("sagemaker:UpdateEndpoint", "arn:{partition}:sagemaker:{region}:{account}:endpoint/fraud-prod-d"),
        request("sagemaker:DeleteEndpoint", "arn:{partition}:sagemaker:{region}:{account}:endpoint/fraud-prod-a"),
        request("sagemaker:CreateModel", "arn:{partition}:sagemaker:{region}:{account}:model/group-d-v1"),
        request("cloudwatch:DescribeAlarms", "arn:{partition}:cloudwatch:{region}:{account}:alarm:fraud-5xx-d"),
    ]
    assert refused(document, unnamed) == unnamed
