"""The local stack's moto extensions: SageMaker events, endpoint lifecycle, endpoint invocations."""

from __future__ import annotations

import base64
import inspect
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from app import PENDING_VERSIONS
from devstack import seed
from devstack.moto_ext import endpoint_lifecycle, endpoint_runtime, install
from devstack.moto_ext.patching import plain_moto
from tests.support.alarms import AlarmState, errors_alarm
from tests.support.local_moto import (
    ENDPOINT_EVENTS,
    create_endpoint,
    listings_of_moto_for,
    racing_conditional_puts,
    rule_to_queue,
)

pytestmark = pytest.mark.usefixtures("aws")


@pytest.fixture(autouse=True)
def _extended() -> Iterator[None]:
    install()
    yield
    endpoint_lifecycle.configure(
        creating_seconds=0.0, updating_seconds=0.0, bake_seconds=0.0, schedule=endpoint_lifecycle.run_after
    )
    endpoint_runtime.reset()


@pytest.fixture
def pending_actions() -> list[tuple[float, Callable[[], None]]]:
    """Transitions are held here instead of timers: the test decides when time passes."""
    held: list[tuple[float, Callable[[], None]]] = []
    endpoint_lifecycle.configure(schedule=lambda seconds, action: held.append((seconds, action)))
    return held


def register(name: str = "v") -> str:
    sagemaker = boto3.client("sagemaker")
    if not sagemaker.list_model_package_groups()["ModelPackageGroupSummaryList"]:
        seed.create_group(sagemaker)
    return seed.register_version(sagemaker, "s3://my-bucket/m.json", name)


def test_registration_emits_the_event_the_gate_rule_matches() -> None:
    received = rule_to_queue(PENDING_VERSIONS)
    arn = register()
    [event] = received()
    assert event["source"] == "aws.sagemaker"
    assert event["account"] == "123456789012"
    assert event["detail-type"] == "SageMaker Model Package State Change"
    assert event["resources"] == [arn]
    assert event["detail"]["ModelPackageArn"] == arn
    assert event["detail"]["ModelPackageGroupName"] == seed.GROUP
    assert event["detail"]["ModelPackageVersion"] == 1
    assert event["detail"]["ModelApprovalStatus"] == "PendingManualApproval"


def test_every_approval_change_emits_and_the_gate_pattern_filters_by_status() -> None:
    everything = rule_to_queue({"source": ["aws.sagemaker"], "detail-type": ["SageMaker Model Package State Change"]})
    arn = register()
    boto3.client("sagemaker").update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    statuses = [e["detail"]["ModelApprovalStatus"] for e in everything()]
    assert statuses == ["PendingManualApproval", "Approved"]


def test_approved_change_does_not_match_the_pending_pattern() -> None:
    pending = rule_to_queue(PENDING_VERSIONS)
    arn = register()
    boto3.client("sagemaker").update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    assert [e["detail"]["ModelApprovalStatus"] for e in pending()] == ["PendingManualApproval"]


def test_endpoint_is_creating_until_its_delay_passes_then_in_service(pending_actions: list[Any]) -> None:
    received = rule_to_queue(ENDPOINT_EVENTS)
    sagemaker = create_endpoint()
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "Creating"
    [(_, settle)] = pending_actions
    settle()
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "InService"
    assert [e["detail"]["EndpointStatus"] for e in received()] == ["CREATING", "IN_SERVICE"]


def test_endpoint_tagged_to_fail_ends_failed_with_a_reason() -> None:
    received = rule_to_queue(ENDPOINT_EVENTS)
    sagemaker = create_endpoint(tags=[{"Key": "shepherd-local:create-fails", "Value": "true"}])
    described = sagemaker.describe_endpoint(EndpointName="fraud-staging")
    assert described["EndpointStatus"] == "Failed"
    assert "injected failure" in described["FailureReason"]
    assert [e["detail"]["EndpointStatus"] for e in received()] == ["CREATING", "FAILED"]


def test_endpoint_deleted_while_creating_never_comes_back(pending_actions: list[Any]) -> None:
    received = rule_to_queue(ENDPOINT_EVENTS)
    sagemaker = create_endpoint()
    sagemaker.delete_endpoint(EndpointName="fraud-staging")
    pending_actions[0][1]()  # the creation timer fires late: a safe no-op
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert [e["detail"]["EndpointStatus"] for e in received()] == ["CREATING", "DELETING"]


def test_invocation_returns_the_configured_response() -> None:
    create_endpoint()
    endpoint_runtime.configure("fraud-staging", response='{"score": 0.12}')
    answer = boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1,2,3")
    assert answer["Body"].read() == b'{"score": 0.12}'
    assert answer["ContentType"] == "application/json"


def test_invocation_response_from_tags_set_by_any_client() -> None:
    create_endpoint(tags=[{"Key": "shepherd-local:response", "Value": "0.5"}])
    answer = boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert answer["Body"].read() == b"0.5"


def test_a_json_response_travels_base64_encoded_in_a_tag_as_aws_allows_no_braces_in_tag_values() -> None:
    body = b'{"predictions": [0.02], "labels": ["legit"]}'
    create_endpoint(tags=[{"Key": "shepherd-local:response-base64", "Value": base64.b64encode(body).decode()}])
    answer = boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert answer["Body"].read() == body


def test_injected_failure_is_a_model_error() -> None:
    create_endpoint()
    endpoint_runtime.configure("fraud-staging", error_rate=1.0)
    with pytest.raises(ClientError) as raised:
        boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert raised.value.response["Error"]["Code"] == "ModelError"


def test_injected_latency_waits_before_answering(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []
    monkeypatch.setattr(endpoint_runtime, "sleep", waited.append)
    create_endpoint()
    endpoint_runtime.configure("fraud-staging", latency_ms=250, response="ok")
    boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="fraud-staging", Body=b"1")
    assert waited == [0.25]


def test_unknown_endpoint_is_refused() -> None:
    with pytest.raises(ClientError) as raised:
        boto3.client("sagemaker-runtime").invoke_endpoint(EndpointName="nope", Body=b"1")
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def blue_green(alarm_state: AlarmState, pending_actions: list[Any]) -> tuple[Any, list[str]]:
    from moto.sagemaker.models import sagemaker_backends

    received = rule_to_queue(ENDPOINT_EVENTS)
    sagemaker = create_endpoint()
    pending_actions.pop()[1]()
    errors_alarm("fraud-5xx", alarm_state)
    backend = sagemaker_backends["123456789012"]["us-east-1"]
    config = {"AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "fraud-5xx"}]}}
    endpoint_lifecycle.begin_update(backend, backend.endpoints["fraud-staging"], "config-b", config)
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "Updating"
    pending_actions.pop()[1]()  # the bake ends
    statuses = [e["detail"]["EndpointStatus"] for e in received()]
    return sagemaker.describe_endpoint(EndpointName="fraud-staging"), statuses


def test_update_that_bakes_cleanly_serves_the_new_config(pending_actions: list[Any]) -> None:
    described, statuses = blue_green("OK", pending_actions)
    assert described["EndpointConfigName"] == "config-b"
    assert described["EndpointStatus"] == "InService"
    assert statuses == ["CREATING", "IN_SERVICE", "UPDATING", "IN_SERVICE"]


def test_update_rolls_back_when_an_auto_rollback_alarm_fires_during_the_bake(pending_actions: list[Any]) -> None:
    described, statuses = blue_green("ALARM", pending_actions)
    assert described["EndpointConfigName"] == "config-a"
    assert described["EndpointStatus"] == "InService"
    assert "fraud-5xx" in described["FailureReason"]
    assert statuses == ["CREATING", "IN_SERVICE", "UPDATING", "ROLLING_BACK", "IN_SERVICE"]


def test_version_registered_without_a_status_is_pending() -> None:
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arn = sagemaker.create_model_package(
        ModelPackageGroupName=seed.GROUP,
        InferenceSpecification={
            "Containers": [{"Image": seed.XGBOOST_IMAGE}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_the_seeds_approve_call_keeps_what_it_does_not_mention() -> None:
    arn = register()
    sagemaker = boto3.client("sagemaker")
    sagemaker.update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Approved", ApprovalDescription="Reviewed by ML team."
    )
    sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"reviewed": "yes"})
    described = sagemaker.describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"] == "Reviewed by ML team."
    assert described["CustomerMetadataProperties"] == {"reviewed": "yes"}


def test_model_package_tags_can_be_added_listed_and_removed() -> None:
    arn = register()
    sagemaker = boto3.client("sagemaker")
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "canary"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "canary"}]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["stage"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []


def test_plain_moto_undoes_the_patches_for_its_block_only() -> None:
    from moto.sagemaker.models import SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    patched_create = SageMakerModelBackend.create_model_package
    with plain_moto():
        assert not hasattr(SageMakerResponse, "update_endpoint")
        assert SageMakerModelBackend.create_model_package is inspect.unwrap(patched_create)  # moto's own
    assert SageMakerModelBackend.create_model_package is patched_create
    create_endpoint()
    with pytest.raises(ClientError, match="config"):
        boto3.client("sagemaker").update_endpoint(EndpointName="fraud-staging", EndpointConfigName="missing")


def test_conditional_writes_are_atomic_as_in_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    assert racing_conditional_puts(monkeypatch) == 1


def test_the_server_finds_a_hosts_backend_once_not_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    assert listings_of_moto_for(monkeypatch, requests=3) == (1, {"sagemaker"})


def test_forget_everything_empties_moto_for_the_next_stack() -> None:
    from devstack.moto_ext import forget_everything

    seed.create_group(boto3.client("sagemaker"))
    boto3.client("sqs").create_queue(QueueName="left-behind")
    forget_everything()
    assert boto3.client("sagemaker").list_model_package_groups()["ModelPackageGroupSummaryList"] == []
    assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []


def test_messages_received_stay_hidden_for_their_visibility_timeout_and_then_return() -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="held")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="first")
    sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=60)
    taken = sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"]
    assert [message["Body"] for message in taken] == ["first"]
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []  # hidden, and the other delayed
    time.sleep(1.1)
    assert [message["Body"] for message in sqs.receive_message(QueueUrl=url)["Messages"]] == ["first"]


def stat_query(query_id: str, metric: str, stat: str, returned: bool = True) -> dict[str, Any]:
    dimensions = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    metric_spec = {"Namespace": "AWS/SageMaker", "MetricName": metric, "Dimensions": dimensions}
    return {"Id": query_id, "MetricStat": {"Metric": metric_spec, "Period": 60, "Stat": stat}, "ReturnData": returned}


def test_get_metric_data_answers_percentiles_and_ratios() -> None:
    cloudwatch: Any = boto3.client("cloudwatch")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dimensions = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    for minute in (3, 2):
        stamp = now - timedelta(minutes=minute)
        data = [
            *({"MetricName": "ModelLatency", "Value": float(v), "Timestamp": stamp} for v in range(1, 101)),
            {"MetricName": "Invocations", "Value": 100.0 * minute, "Timestamp": stamp},
            {"MetricName": "Invocation5XXErrors", "Value": float(minute), "Timestamp": stamp},
        ]
        cloudwatch.put_metric_data(
            Namespace="AWS/SageMaker", MetricData=[{**d, "Dimensions": dimensions} for d in data]
        )
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[
            stat_query("p", "ModelLatency", "p99"),
            stat_query("p50", "ModelLatency", "p50"),
            stat_query("n", "Invocation5XXErrors", "Sum", returned=False),
            stat_query("d", "Invocations", "Sum"),
            {"Id": "r", "Expression": "n / d", "ReturnData": True},
            {"Id": "pct", "Expression": "r * 100", "ReturnData": True},
        ],
        StartTime=now - timedelta(minutes=5),
        EndTime=now,
        ScanBy="TimestampAscending",
    )
    values = {result["Id"]: result["Values"] for result in answer["MetricDataResults"]}
    assert values == {"p": [99.0, 99.0], "p50": [50.0, 50.0], "d": [300.0, 200.0], "r": [0.01, 0.01], "pct": [1.0, 1.0]}


def test_a_percentile_of_a_minute_without_single_values_has_no_datapoint() -> None:
    cloudwatch: Any = boto3.client("cloudwatch")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    dimensions = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    summary = {"SampleCount": 10, "Sum": 1000.0, "Minimum": 10.0, "Maximum": 300.0}
    cloudwatch.put_metric_data(
        Namespace="AWS/SageMaker",
        MetricData=[
            {
                "MetricName": "ModelLatency",
                "Dimensions": dimensions,
                "Timestamp": now - timedelta(minutes=3),
                "StatisticValues": summary,
            },
            {
                "MetricName": "ModelLatency",
                "Dimensions": dimensions,
                "Timestamp": now - timedelta(minutes=2),
                "Value": 42.0,
            },
        ],
    )
    answer = cloudwatch.get_metric_data(
        MetricDataQueries=[stat_query("p", "ModelLatency", "p99"), stat_query("m", "ModelLatency", "Maximum")],
        StartTime=now - timedelta(minutes=5),
        EndTime=now,
    )
    values = {result["Id"]: result["Values"] for result in answer["MetricDataResults"]}
    assert values == {"p": [42.0], "m": [42.0, 300.0]}  # newest first: moto's default ScanBy
