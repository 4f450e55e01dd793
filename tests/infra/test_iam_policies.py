"""The IAM policy files Chalice puts on the functions' roles: least privilege, and in step with the config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.release.names import name_prefix
from infra import iam
from infra.iam_rules import violations
from infra.names import PROJECT, load_config, stage_environment, stage_names

CONFIG = load_config()
STAGES = sorted(CONFIG["stages"])


def policy_file(stage: str) -> Path:
    name: str = CONFIG["stages"][stage]["iam_policy_file"]
    return PROJECT / ".chalice" / name


def policy(stage: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(policy_file(stage).read_text())
    return document


def resources(stage: str, action: str) -> list[str]:
    return [
        resource
        for statement in policy(stage)["Statement"]
        if action in statement["Action"]
        for resource in statement["Resource"]
    ]


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_policy_is_least_privilege(stage: str) -> None:
    assert violations(policy(stage)) == []


@pytest.mark.parametrize("stage", STAGES)
def test_policy_files_are_what_infra_iam_renders(stage: str) -> None:
    # A new group policy, table or target edited without `make iam` fails here, not in production.
    assert policy_file(stage).read_text() == iam.rendered(stage), "run `make iam` and commit the result"


@pytest.mark.parametrize("stage", STAGES)
def test_every_group_policy_is_covered(stage: str) -> None:
    decided = resources(stage, "sagemaker:UpdateModelPackage")
    for group in iam.groups():
        assert any(f":model-package/{group}/" in arn for arn in decided), group


@pytest.mark.parametrize("stage", STAGES)
def test_what_release_policies_name_is_reachable(stage: str) -> None:
    """Endpoints, alarms and the execution role a group's release section names: or the release fails live."""
    target = iam.load_target(stage)
    for group in iam.groups():
        release = json.loads((PROJECT / "policies" / f"{group}.json").read_text()).get("release")
        if not release:
            continue
        for kind in ("staging", "production"):
            endpoint = target.arn("sagemaker", f"endpoint/{release[kind]['endpoint_name'].lower()}")
            assert endpoint in resources(stage, "sagemaker:UpdateEndpoint"), endpoint
        staging = target.arn("sagemaker", f"endpoint/{release['staging']['endpoint_name'].lower()}")
        assert staging in resources(stage, "sagemaker:InvokeEndpoint")
        for alarm in release.get("alarms", []):
            assert target.arn("cloudwatch", f"alarm:{alarm}") in resources(stage, "cloudwatch:DescribeAlarms")
        assert release["execution_role_arn"] in resources(stage, "iam:PassRole")


@pytest.mark.parametrize("stage", STAGES)
def test_tables_topic_and_secret_are_the_configured_ones(stage: str) -> None:
    env = stage_environment(CONFIG, stage)
    target = iam.load_target(stage)
    assert resources(stage, "dynamodb:PutItem") == [
        target.arn("dynamodb", f"table/{env['SHEPHERD_IDEMPOTENCY_TABLE']}"),
        target.arn("dynamodb", f"table/{env['SHEPHERD_STATE_TABLE']}"),
    ]
    assert resources(stage, "sns:Publish") == [env["SHEPHERD_TOPIC_ARN"]]
    (secret,) = resources(stage, "secretsmanager:GetSecretValue")
    assert secret == target.arn("secretsmanager", f"secret:{env['SHEPHERD_SLACK_SECRET']}-??????")


@pytest.mark.parametrize("stage", STAGES)
def test_failed_events_can_reach_the_dead_letter_queue(stage: str) -> None:
    # Lambda sends on-failure destination records with the function's own role.
    assert resources(stage, "sqs:SendMessage") == [iam.load_target(stage).arn("sqs", f"model-shepherd-{stage}-dlq")]


def test_adding_a_group_policy_adds_its_resources(tmp_path: Path) -> None:
    (tmp_path / "payments-Risk.json").write_text("{}")
    (tmp_path / "schema.json").write_text("{}")
    names = stage_names(CONFIG, "prod")
    document = iam.render(names, iam.load_target("prod"), iam.groups(tmp_path))
    text = json.dumps(document)
    assert "model-package/payments-Risk/*" in text
    prefix = name_prefix("payments-Risk")
    assert prefix.startswith("payments-risk-")  # lowercase in IAM
    assert f"model/{prefix}-v*" in text and f"endpoint-config/{prefix}-v*" in text
    assert violations(document) == []


def test_an_ssm_slack_parameter_is_granted_instead_of_a_secret() -> None:
    config = json.loads(json.dumps(CONFIG))
    config["stages"]["prod"]["environment_variables"]["SHEPHERD_SLACK_SECRET"] = "ssm:/model-shepherd/prod/slack"
    document = iam.render(stage_names(config, "prod"), iam.load_target("prod"), iam.groups())
    actions = {action for statement in document["Statement"] for action in statement["Action"]}
    assert "secretsmanager:GetSecretValue" not in actions
    (parameter,) = [s["Resource"] for s in document["Statement"] if s["Action"] == ["ssm:GetParameter"]]
    assert parameter == ["arn:aws:ssm:us-east-1:123456789012:parameter/model-shepherd/prod/slack"]
