"""The IAM policy files Chalice puts on each function's own role: least privilege, in step with the config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import app
from chalicelib.release.names import name_prefix
from infra import iam
from infra.iam_grants import GRANTS
from infra.iam_rules import violations
from infra.names import PROJECT, load_config, stage_environment, stage_names

CONFIG = load_config()
STAGES = sorted(CONFIG["stages"])
FUNCTIONS = sorted(GRANTS)


def policy(stage: str, function: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((PROJECT / ".chalice" / iam.policy_file(stage, function)).read_text())
    return document


def resources(document: dict[str, Any], action: str) -> list[str]:
    return [r for statement in document["Statement"] if action in statement["Action"] for r in statement["Resource"]]


def actions(document: dict[str, Any]) -> set[str]:
    return {action for statement in document["Statement"] for action in statement["Action"]}


def test_every_function_of_the_app_has_grants() -> None:
    # A new handler without its own grants would get no role file: chalice package would fail, or worse.
    assert set(GRANTS) == {source.name for source in app.event_sources} | {"api_handler"}


@pytest.mark.parametrize("stage", STAGES)
def test_every_function_has_its_own_policy_file_in_the_config(stage: str) -> None:
    functions = CONFIG["stages"][stage]["lambda_functions"]
    assert {name: functions[name]["iam_policy_file"] for name in FUNCTIONS} == {
        name: iam.policy_file(stage, name) for name in FUNCTIONS
    }
    # A function added without grants gets the default role: its logs and failed events, nothing else.
    default = json.loads((PROJECT / ".chalice" / CONFIG["stages"][stage]["iam_policy_file"]).read_text())
    assert actions(default) == {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_policy_is_least_privilege(stage: str, function: str) -> None:
    assert violations(policy(stage, function)) == []


@pytest.mark.parametrize("stage", STAGES)
def test_policy_files_are_what_infra_iam_renders(stage: str) -> None:
    # A new group policy, table or target edited without `make iam` fails here, not in production.
    on_disk = {path.name for path in (PROJECT / ".chalice").glob(f"policy-{stage}*.json")}
    rendered = iam.rendered(stage)
    assert on_disk == set(rendered), "run `make iam`"
    for name, text in rendered.items():
        assert (PROJECT / ".chalice" / name).read_text() == text, "run `make iam`"


@pytest.mark.parametrize("stage", STAGES)
def test_only_the_slack_route_and_the_release_engine_pass_the_execution_role(stage: str) -> None:
    passing = {function for function in FUNCTIONS if "iam:PassRole" in actions(policy(stage, function))}
    assert passing == {"api_handler", "release_decided", "release_reconcile"}  # Retry, Approved, repairs
    deleting = {
        function for function in FUNCTIONS if "sagemaker:DeleteModelPackage" in actions(policy(stage, function))
    }
    assert deleting == {"cleanup"}
    assert "sagemaker:CreateModel" not in actions(policy(stage, "gate"))


@pytest.mark.parametrize("stage", STAGES)
def test_every_group_policy_is_covered(stage: str) -> None:
    decided = resources(policy(stage, "gate"), "sagemaker:UpdateModelPackage")
    for group in iam.groups():
        assert any(f":model-package/{group}/" in arn for arn in decided), group


@pytest.mark.parametrize("stage", STAGES)
def test_what_release_policies_name_is_reachable(stage: str) -> None:
    """Endpoints, alarms and the execution role a group's release section names: or the release fails live."""
    target = iam.load_target(stage)
    document = policy(stage, "release_reconcile")
    for group in iam.groups():
        release = json.loads((PROJECT / "policies" / f"{group}.json").read_text()).get("release")
        if not release:
            continue
        for kind in ("staging", "production"):
            endpoint = target.arn("sagemaker", f"endpoint/{release[kind]['endpoint_name'].lower()}")
            assert endpoint in resources(document, "sagemaker:UpdateEndpoint"), endpoint
        staging = target.arn("sagemaker", f"endpoint/{release['staging']['endpoint_name'].lower()}")
        assert staging in resources(document, "sagemaker:InvokeEndpoint")
        assert resources(document, "sagemaker:DeleteEndpoint") == [staging]  # never production
        for alarm in release.get("alarms", []):
            assert target.arn("cloudwatch", f"alarm:{alarm}") in resources(document, "cloudwatch:DescribeAlarms")
        assert release["execution_role_arn"] in resources(document, "iam:PassRole")


@pytest.mark.parametrize("stage", STAGES)
def test_tables_topic_and_secret_are_the_configured_ones(stage: str) -> None:
    env = stage_environment(CONFIG, stage)
    target = iam.load_target(stage)
    gate = policy(stage, "gate")
    tables = [
        target.arn("dynamodb", f"table/{env['SHEPHERD_IDEMPOTENCY_TABLE']}"),
        target.arn("dynamodb", f"table/{env['SHEPHERD_STATE_TABLE']}"),  # a review's start is recorded there
    ]
    assert resources(gate, "dynamodb:PutItem") == tables
    assert resources(gate, "dynamodb:GetItem") == tables
    for function in FUNCTIONS:
        document = policy(stage, function)
        assert resources(document, "sns:Publish") == [env["SHEPHERD_TOPIC_ARN"]], function
        (secret,) = resources(document, "secretsmanager:GetSecretValue")
        assert secret == target.arn("secretsmanager", f"secret:{env['SHEPHERD_SLACK_SECRET']}-??????")


@pytest.mark.parametrize("stage", STAGES)
def test_failed_events_can_reach_the_dead_letter_queue(stage: str) -> None:
    # Lambda sends on-failure destination records with the function's own role; the API is not invoked so.
    queue = [iam.load_target(stage).arn("sqs", f"model-shepherd-{stage}-dlq")]
    for function in FUNCTIONS:
        expected = [] if function == "api_handler" else queue
        assert resources(policy(stage, function), "sqs:SendMessage") == expected, function


def test_adding_a_group_policy_adds_its_resources(tmp_path: Path) -> None:
    (tmp_path / "payments-Risk.json").write_text("{}")
    (tmp_path / "schema.json").write_text("{}")
    names = stage_names(CONFIG, "prod")
    documents = iam.render(names, iam.load_target("prod"), iam.groups(tmp_path))
    assert "model-package/payments-risk/*" in json.dumps(documents["gate"])  # as SageMaker writes the ARN
    prefix = name_prefix("payments-Risk")
    assert prefix.startswith("payments-risk-")  # lowercase in IAM
    text = json.dumps(documents["release_decided"])
    assert f"model/{prefix}-v*" in text and f"endpoint-config/{prefix}-v*" in text
    assert all(violations(document) == [] for document in documents.values())


def test_an_ssm_slack_parameter_is_granted_instead_of_a_secret() -> None:
    config = json.loads(json.dumps(CONFIG))
    config["stages"]["prod"]["environment_variables"]["SHEPHERD_SLACK_SECRET"] = "ssm:/model-shepherd/prod/slack"
    documents = iam.render(stage_names(config, "prod"), iam.load_target("prod"), iam.groups())
    for document in documents.values():
        assert "secretsmanager:GetSecretValue" not in actions(document)
        (parameter,) = [s["Resource"] for s in document["Statement"] if s["Action"] == ["ssm:GetParameter"]]
        assert parameter == ["arn:aws:ssm:us-east-1:123456789012:parameter/model-shepherd/prod/slack"]


def test_an_async_target_grants_its_smoke_tests_the_endpoint_and_its_s3_paths_only(tmp_path: Path) -> None:
    from tests.support.policies import async_document

    (tmp_path / "fraud-detection-models.json").write_text(json.dumps(async_document()))
    names = stage_names(CONFIG, "prod")
    documents = iam.render(names, iam.load_target("prod"), iam.groups(tmp_path), iam.release_targets(tmp_path))
    smoke = documents["release_endpoint"]
    endpoint = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-detection-staging"
    assert resources(smoke, "sagemaker:InvokeEndpointAsync") == [endpoint]
    assert resources(smoke, "s3:PutObject") == ["arn:aws:s3:::my-bucket/async/smoke/*"]
    assert resources(smoke, "s3:GetObject") == [
        "arn:aws:s3:::my-bucket/async/answers/*",
        "arn:aws:s3:::my-bucket/async/failures/*",
    ]
    assert "sagemaker:InvokeEndpointAsync" not in actions(documents["release_alarm"])
    assert all(violations(document) == [] for document in documents.values())


def test_without_an_async_target_no_role_may_invoke_asynchronously() -> None:
    for stage in STAGES:
        assert all("sagemaker:InvokeEndpointAsync" not in actions(policy(stage, f)) for f in FUNCTIONS), stage


def test_a_batch_target_grants_its_jobs_output_and_parameter_only_to_the_functions_that_use_them(
    tmp_path: Path,
) -> None:
    from tests.support.policies import batch_document

    (tmp_path / "fraud-detection-models.json").write_text(json.dumps(batch_document()))
    names = stage_names(CONFIG, "prod")
    documents = iam.render(names, iam.load_target("prod"), iam.groups(tmp_path), iam.release_targets(tmp_path))
    arn = "arn:aws:sagemaker:us-east-1:123456789012:transform-job/fraud-detection-models-74683f-v*"
    parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/model-shepherd/fraud-detection-models/production"
    assert resources(documents["release_decided"], "sagemaker:CreateTransformJob") == [arn]
    watching = documents["release_endpoint"]
    assert resources(watching, "sagemaker:DescribeTransformJob") == [arn]
    assert resources(watching, "s3:ListBucket") == ["arn:aws:s3:::my-bucket"]
    assert resources(watching, "s3:GetObject") == ["arn:aws:s3:::my-bucket/batch/smoke/*"]
    assert resources(watching, "ssm:PutParameter") == [parameter]
    assert "sagemaker:CreateTransformJob" not in actions(watching)
    assert "ssm:PutParameter" not in actions(documents["gate"]) | actions(documents["cleanup"])
    assert all(violations(document) == [] for document in documents.values())


def test_without_a_batch_target_no_role_may_run_transform_jobs_or_write_parameters() -> None:
    for stage in STAGES:
        for document in iam.render(stage_names(CONFIG, stage), iam.load_target(stage), iam.groups()).values():
            assert not {"sagemaker:CreateTransformJob", "ssm:PutParameter"} & set(actions(document))
