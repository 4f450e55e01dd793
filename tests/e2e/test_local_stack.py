"""The story on the local stack: the seed's own boto3 calls drive the automation over the wire."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
from typing import Any

import pytest
from botocore.exceptions import ClientError

from devstack import seed
from devstack.aws_validation import switch
from devstack.servers import free_port
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e


def outcome_of(stack: RunningStack, arn: str) -> str | None:
    package = stack.client("sagemaker").describe_model_package(ModelPackageName=arn)
    outcome: str | None = package.get("CustomerMetadataProperties", {}).get("shepherd:outcome")
    return outcome


def inbox(stack: RunningStack, expected: int, kind: str = "gate.decision") -> list[dict[str, Any]]:
    """Messages of `kind` until `expected` arrived (the release engine's own messages may come between)."""
    sqs, received = stack.client("sqs"), list[dict[str, Any]]()
    url = sqs.get_queue_url(QueueName="model-shepherd-local-inbox")["QueueUrl"]
    while len([m for m in received if m.get("type") == kind]) < expected:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=5).get("Messages", [])
        if not messages:
            break
        for message in messages:
            received.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return received


@pytest.fixture(scope="module")
def story(local_stack: RunningStack) -> dict[str, str]:
    """The seed's calls: create the group, register three versions with metrics in S3."""
    sagemaker, s3 = local_stack.client("sagemaker"), local_stack.client("s3")
    seed.create_group(sagemaker)
    arns = {
        name: seed.register_version(sagemaker, seed.upload_metrics(s3, "my-bucket", name, metrics), name)
        for name, metrics in (("good", seed.GOOD), ("bad", seed.BAD), ("borderline", seed.BORDERLINE))
    }
    for arn in arns.values():
        wait_for(lambda arn=arn: outcome_of(local_stack, arn))
    return arns


def test_registrations_are_decided_by_the_gate_through_eventbridge(local_stack: RunningStack, story: Any) -> None:
    sagemaker = local_stack.client("sagemaker")
    statuses = {
        name: sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"]
        for name, arn in story.items()
    }
    assert statuses == {"good": "Approved", "bad": "Rejected", "borderline": "PendingManualApproval"}
    approved = sagemaker.list_model_packages(
        ModelPackageGroupName=seed.GROUP, ModelApprovalStatus="Approved", SortBy="CreationTime", SortOrder="Descending"
    )
    assert [p["ModelPackageArn"] for p in approved["ModelPackageSummaryList"]] == [story["good"]]
    assert any("gate" in line and "-> reject" in line for line in local_stack.output)


def test_each_decision_reaches_sns_once(local_stack: RunningStack, story: Any) -> None:
    messages = [m for m in inbox(local_stack, expected=3) if m["type"] == "gate.decision"]
    assert sorted((m["type"], m["version"], m["outcome"]) for m in messages) == [
        ("gate.decision", 1, "approve"),
        ("gate.decision", 2, "reject"),
        ("gate.decision", 3, "review"),
    ]


def shepherd(stack: RunningStack, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/shepherd", *argv], env=stack.environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_compares_and_reports_against_the_stack(local_stack: RunningStack, story: Any) -> None:
    compared = shepherd(local_stack, "compare", seed.GROUP, "1", "3", "--json")
    assert compared.returncode == 0, compared.stderr
    verdicts = {row["metric"]: row["verdict"] for row in json.loads(compared.stdout)["metrics"]}
    assert (verdicts["auc"], verdicts["latency_p99_ms"]) == ("better", "worse")
    status = shepherd(local_stack, "status", seed.GROUP, "--json")
    versions = json.loads(status.stdout)["groups"][0]["versions"]
    assert [(v["version"], v["outcome"]) for v in versions] == [(3, "review"), (2, "reject"), (1, "approve")]


def test_person_approves_the_borderline_version_from_the_cli(local_stack: RunningStack, story: Any) -> None:
    approved = shepherd(local_stack, "approve", seed.GROUP, "3", "--reason", "fine for batch", "--by", "e2e")
    assert approved.returncode == 0, approved.stderr
    package = local_stack.client("sagemaker").describe_model_package(ModelPackageName=story["borderline"])
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["ApprovalDescription"] == "Approved by e2e (shepherd CLI): fine for batch"
    assert shepherd(local_stack, "approve", "no-such-group", "1", "--reason", "x").returncode == 3


def test_endpoint_comes_in_service_after_its_delay_and_answers(local_stack: RunningStack) -> None:
    sagemaker = local_stack.client("sagemaker")
    sagemaker.create_model(
        ModelName="m",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
        ],
    )
    sagemaker.create_endpoint(
        EndpointName="fraud-e2e",
        EndpointConfigName="c",
        Tags=[{"Key": "shepherd-local:response-base64", "Value": base64.b64encode(b'{"score": 0.1}').decode()}],
    )
    assert sagemaker.describe_endpoint(EndpointName="fraud-e2e")["EndpointStatus"] == "Creating"
    wait_for(lambda: sagemaker.describe_endpoint(EndpointName="fraud-e2e")["EndpointStatus"] == "InService", 10)
    answer = local_stack.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-e2e", Body=b"1,2")
    assert answer["Body"].read() == b'{"score": 0.1}'
    sagemaker.add_tags(
        ResourceArn=sagemaker.describe_endpoint(EndpointName="fraud-e2e")["EndpointArn"],
        Tags=[{"Key": "shepherd-local:error-rate", "Value": "1"}],
    )
    with pytest.raises(ClientError, match="ModelError"):
        local_stack.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-e2e", Body=b"1,2")


def port_is_free(port: int) -> bool:
    """Can a server listen there again? (SO_REUSEADDR, as servers bind: closed connections linger.)"""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_port_in_use_is_a_clear_error_and_nothing_is_left_running(local_stack: RunningStack) -> None:
    app_port = free_port()
    taken = subprocess.run(
        [
            ".venv/bin/python",
            "-m",
            "devstack.server",
            "--aws-port",
            str(local_stack.aws_port),
            "--app-port",
            str(app_port),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert taken.returncode == 1
    assert f"port {local_stack.aws_port} is in use" in taken.stderr
    assert port_is_free(app_port)


def test_app_port_in_use_stops_the_aws_side_it_had_bound(local_stack: RunningStack) -> None:
    aws_port = free_port()
    taken = subprocess.run(
        [
            ".venv/bin/python",
            "-m",
            "devstack.server",
            "--aws-port",
            str(aws_port),
            "--app-port",
            str(local_stack.app_port),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert taken.returncode == 1
    assert f"port {local_stack.app_port} is in use" in taken.stderr
    assert port_is_free(aws_port)


def test_ctrl_c_stops_everything_and_frees_the_ports() -> None:
    stack = start_stack()
    assert stack.stop() == 0
    assert port_is_free(stack.aws_port)
    assert port_is_free(stack.app_port)


@pytest.mark.refuses_requests
def test_a_request_the_stack_refused_is_kept_for_the_test_to_fail_on(local_stack: RunningStack) -> None:
    """Sent past this process's own check, as the SageMaker SDK or the app inside the stack would send it:
    the stack refuses it, and its stop() fails the tests using it unless someone took the refusal."""
    local_stack.take_refusals()
    with switch.disabled("client"), pytest.raises(ClientError, match="ValidationException"):
        local_stack.client("sagemaker").describe_model_package_group(ModelPackageGroupName="bad group(")
    [refused] = local_stack.take_refusals()
    assert (refused["side"], refused["operation"]) == ("server", "DescribeModelPackageGroup")
    assert local_stack.take_refusals() == []
