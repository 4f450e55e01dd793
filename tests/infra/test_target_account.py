"""The target-account template (infra/target-account.json, one StackSet for every staging and production
account): a deploy role trusting only the app's function roles, allowed exactly what a stage's calls need,
and a rule forwarding endpoint and alarm events to the app account's bus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from infra.iam_grants import GRANTS
from infra.names import PROJECT
from tests.support.target_account import ACCOUNT, APP_ROLES, REGION, TEMPLATE, deployed, statements

# What the release engine calls in a stage (chalicelib.adapters: endpoints, variants, runtime, cloudwatch).
STAGE_ACTIONS = {
    "sagemaker:CreateModel",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:DescribeEndpointConfig",  # a progressive or shadow release: the champion's model
    "sagemaker:UpdateEndpointWeightsAndCapacities",  # traffic shifted between its two variants
    "sagemaker:DescribeEndpoint",
    "sagemaker:CreateEndpoint",
    "sagemaker:UpdateEndpoint",
    "sagemaker:DeleteEndpoint",
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:GetMetricData",
    "iam:PassRole",
    "iam:GetRole",  # `shepherd doctor` reads the execution role (on a session that may do nothing else)
}


def cfn_lint(path: Path) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_template_passes_cfn_lint() -> None:
    cfn_lint(TEMPLATE)


def test_the_deploy_role_trusts_only_the_apps_function_roles_with_the_external_id_when_given() -> None:
    [trust] = deployed()["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": APP_ROLES} and trust["Action"] == "sts:AssumeRole"
    assert "Condition" not in trust
    [trust] = deployed(ExternalId="model-shepherd")["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "model-shepherd"}}


def test_operators_named_as_doctors_are_trusted_too_with_the_same_external_id() -> None:
    operator = "arn:aws:iam::123456789012:role/platform-operator"
    deploy = deployed(DoctorArns=[operator], ExternalId="model-shepherd")["DeployRole"]["Properties"]
    [functions, doctors] = deploy["AssumeRolePolicyDocument"]["Statement"]
    assert functions["Principal"] == {"AWS": APP_ROLES} and doctors["Principal"] == {"AWS": [operator]}
    assert doctors["Condition"] == functions["Condition"] == {"StringEquals": {"sts:ExternalId": "model-shepherd"}}
    found = statements(deployed())
    assert found["DoctorReadsTheExecutionRole"]["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/sagemaker-exec"


def test_a_production_account_gets_what_a_stage_calls_on_its_own_names_and_no_staging_rights() -> None:
    found = statements(deployed())
    # Every named ARN is in the role's own account (IAM's policy variable) and region (the condition).
    sagemaker = "arn:*:sagemaker:*:${aws:PrincipalAccount}"
    endpoint = f"{sagemaker}:endpoint/fraud-detection-prod"
    configs = f"{sagemaker}:endpoint-config/fraud-detection-models-74683f-v*"
    assert found["DeployEndpoints"]["Resource"] == [endpoint, configs]
    assert found["CreateReleaseResources"]["Resource"] == [
        f"{sagemaker}:model/fraud-detection-models-74683f-v*",
        configs,
    ]
    assert found["WatchReleaseAlarms"]["Resource"] == [
        "arn:*:cloudwatch:*:${aws:PrincipalAccount}:alarm:fraud-detection-prod-5xx"
    ]
    for sid in ("DeployEndpoints", "CreateReleaseResources", "WatchReleaseAlarms"):
        assert found[sid]["Condition"] == {"StringEquals": {"aws:RequestedRegion": REGION}}
    assert "SmokeTestAndReplaceStaging" not in found  # production is never deleted, never smoke-tested
    assert found["PassExecutionRoleToSageMakerOnly"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
    }


def test_a_staging_account_may_smoke_test_and_replace_only_its_staging_endpoints() -> None:
    found = statements(deployed(EndpointNames=["fraud-staging"], StagingEndpointNames=["fraud-staging"]))
    granted = {action for statement in found.values() for action in statement["Action"]}
    assert granted - {"sagemaker:DescribeModelPackage"} == STAGE_ACTIONS  # nothing more than a stage's calls
    assert found["SmokeTestAndReplaceStaging"]["Resource"] == [
        "arn:*:sagemaker:*:${aws:PrincipalAccount}:endpoint/fraud-staging"
    ]
    assert found["SmokeTestAndReplaceStaging"]["Condition"] == {"StringEquals": {"aws:RequestedRegion": REGION}}


def test_endpoint_and_alarm_events_are_forwarded_to_the_apps_default_bus() -> None:
    rule = deployed()["ForwardReleaseEvents"]["Properties"]
    assert set(rule["EventPattern"]["detail-type"]) == {
        "SageMaker Endpoint State Change",
        "CloudWatch Alarm State Change",
    }
    [target] = rule["Targets"]
    assert target["Arn"] == "arn:aws:events:us-east-1:123456789012:event-bus/default"


@pytest.mark.parametrize("function", sorted(GRANTS))
def test_only_functions_that_act_on_stages_are_meant_to_be_trusted(function: str) -> None:
    acts_on_stages = "AssumeDeployRoles" in GRANTS[function]
    assert acts_on_stages == (function not in ("gate", "cleanup"))


def test_the_apps_bus_takes_events_from_each_stage_account_the_policies_name(tmp_path: Path) -> None:
    import shutil

    from infra import iam, template
    from infra.names import load_config, stage_names
    from tests.support.policies import example_document

    policies = tmp_path / "policies"
    shutil.copytree(PROJECT / "policies", policies)
    document = example_document()
    document["release"]["staging"]["role_arn"] = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
    document["release"]["production"].update(account=ACCOUNT, role_arn=f"arn:aws:iam::{ACCOUNT}:role/d")
    (policies / "fraud-detection-models.json").write_text(json.dumps(document))
    accounts = iam.release_targets(policies).stage_accounts
    assert accounts == ("222222222222", ACCOUNT)
    merge = template.render({}, stage_names(load_config(), "prod"), stage_accounts=accounts)
    allowed = [
        resource for resource in merge["Resources"].values() if resource["Type"] == "AWS::Events::EventBusPolicy"
    ]
    assert [policy["Properties"]["Statement"]["Principal"] for policy in allowed] == [
        {"AWS": "arn:aws:iam::222222222222:root"},
        {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    ]
    assert all(policy["Properties"]["Statement"]["Action"] == "events:PutEvents" for policy in allowed)
    assert iam.release_targets(PROJECT / "policies").stage_accounts == ()  # single account: no bus policy
    linted = tmp_path / "bus.json"
    linted.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": merge["Resources"]}))
    cfn_lint(linted)


def test_an_async_staging_account_may_put_its_smoke_requests_and_read_their_answers_only() -> None:
    found = statements(
        deployed(
            EndpointNames=["fraud-staging"],
            StagingEndpointNames=["fraud-staging"],
            AsyncSmokeInputs="staging-async/async/smoke",
            AsyncOutputPath="staging-async/async/answers",
            AsyncFailurePath="staging-async/async/failures",
        )
    )
    assert found["PutAsyncSmokeRequests"]["Resource"] == "arn:aws:s3:::staging-async/async/smoke/*"
    assert found["ReadAsyncSmokeAnswers"]["Resource"] == [
        "arn:aws:s3:::staging-async/async/answers/*",
        "arn:aws:s3:::staging-async/async/failures/*",
    ]
    assert "sagemaker:InvokeEndpointAsync" in found["SmokeTestAndReplaceStaging"]["Action"]
    assert "PutAsyncSmokeRequests" not in statements(deployed())  # not an async staging account: no S3 at all
