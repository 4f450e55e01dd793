"""The gate through Chalice's test client, against moto: the seed's scenario and the AWS sample event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from devstack import seed
from devstack.resources import LocalResources
from tests.support.gate_events import register, send, state_change
from tests.support.sns_inbox import inbox

FIXTURE = Path(__file__).parents[1] / "fixtures" / "aws-docs-model-package-state-change.json"


@pytest.fixture
def registry(container: Container, resources: LocalResources) -> Any:
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    return sagemaker


def test_seed_scenario_approves_good_rejects_bad_reviews_borderline(registry: Any, resources: LocalResources) -> None:
    good = register(registry, "good", seed.GOOD)
    bad = register(registry, "bad", seed.BAD)
    borderline = register(registry, "borderline", seed.BORDERLINE)

    results = {arn: send(state_change(arn)).payload for arn in (good, bad, borderline)}

    assert {arn: r["outcome"] for arn, r in results.items()} == {good: "approve", bad: "reject", borderline: "review"}
    described = {arn: registry.describe_model_package(ModelPackageName=arn) for arn in (good, bad, borderline)}
    assert described[good]["ModelApprovalStatus"] == "Approved"
    assert described[bad]["ModelApprovalStatus"] == "Rejected"
    assert described[borderline]["ModelApprovalStatus"] == "PendingManualApproval"
    assert "auc 0.72 >= 0.8 FAIL" in described[bad]["ApprovalDescription"]
    assert "latency_p99_ms 61 vs champion 42" in described[borderline]["ApprovalDescription"]
    # the team's own metadata is kept beside the decision
    assert described[good]["CustomerMetadataProperties"]["training_samples"] == "1500000"
    assert described[good]["CustomerMetadataProperties"]["shepherd:outcome"] == "approve"
    messages = inbox(resources)
    assert [m["outcome"] for m in messages] == ["approve", "reject", "review"]
    assert messages[2]["metrics"]["latency_p99_ms"] == {"candidate": 61.0, "champion": 42.0}


def test_duplicate_event_with_another_id_decides_once(registry: Any, resources: LocalResources) -> None:
    arn = register(registry, "good", seed.GOOD)
    first = send(state_change(arn)).payload
    second = send(state_change(arn)).payload
    assert first == second
    assert len(inbox(resources)) == 1


def test_our_own_follow_up_event_does_not_re_decide(registry: Any, resources: LocalResources) -> None:
    send(state_change(register(registry, "good", seed.GOOD)))
    arn = register(registry, "borderline", seed.BORDERLINE)
    assert send(state_change(arn)).payload["outcome"] == "review"
    # The review decision updated the package; SageMaker emits another Pending event for it.
    # A new idempotency window (e.g. a day later) must still not decide twice.
    boto3.client("dynamodb").delete_table(TableName=resources.idempotency_table)
    resources_table = boto3.client("dynamodb")
    resources_table.create_table(
        TableName=resources.idempotency_table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    again = send(state_change(arn)).payload
    assert again["outcome"] is None
    assert "already decided" in again["skipped"]
    assert len(inbox(resources)) == 2


def test_aws_docs_sample_event_for_a_group_without_policy_is_not_touched(container: Container) -> None:
    event = json.loads(FIXTURE.read_text())
    sagemaker = boto3.client("sagemaker", region_name="us-east-1")
    sagemaker.create_model_package_group(ModelPackageGroupName="churn-models")
    for _ in range(2):
        sagemaker.create_model_package(
            ModelPackageGroupName="churn-models",
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification=event["detail"]["InferenceSpecification"],
        )
    # The sample is from us-east-2; our moto region is us-east-1, so point the ARN at it.
    detail = dict(event["detail"], ModelPackageArn=event["detail"]["ModelPackageArn"].replace("us-east-2", "us-east-1"))
    result = send(detail).payload
    assert result["outcome"] is None
    assert "has no policy" in result["skipped"]
    described = sagemaker.describe_model_package(ModelPackageName=detail["ModelPackageArn"])
    assert described["ModelApprovalStatus"] == "PendingManualApproval"
