"""Driving the release engine in tests: events through chalice.test.Client, moto set up as SageMaker would be."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from chalice.test import Client

from app import app
from devstack import seed
from tests.support.alarms import errors_alarm

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.literals import ModelApprovalStatusType as ApprovalStatus

GROUP = seed.GROUP
STAGING = "fraud-detection-staging"
PRODUCTION = "fraud-detection-prod"
ALARMS = ("fraud-detection-prod-5xx", "fraud-detection-prod-latency-p99")
GOOD_ANSWERS = ('{"predictions": [{"score": 0.03}]}', "0.97\n")  # one per smoke test in the policy


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def invoke(handler: str, event: dict[str, Any]) -> Any:
    with Client(app) as client:
        return client.lambda_.invoke(handler, event).payload


def cw_event(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    with Client(app) as client:
        event: dict[str, Any] = client.events.generate_cw_event(
            source=source, detail_type=detail_type, resources=[], detail=detail
        )
        return event


def decided(arn: str, status: str) -> Any:
    detail = {"ModelPackageArn": arn, "ModelApprovalStatus": status, "ModelPackageGroupName": GROUP}
    return invoke("release_decided", cw_event("aws.sagemaker", "SageMaker Model Package State Change", detail))


def endpoint_event(name: str, status: str = "IN_SERVICE") -> Any:
    detail = {"EndpointName": name, "EndpointStatus": status}  # the status is never trusted: re-read
    return invoke("release_endpoint", cw_event("aws.sagemaker", "SageMaker Endpoint State Change", detail))


def alarm_event(name: str, state: str = "ALARM") -> Any:
    detail = {"alarmName": name, "state": {"value": state}}
    return invoke("release_alarm", cw_event("aws.cloudwatch", "CloudWatch Alarm State Change", detail))


def reconcile() -> Any:
    return invoke(
        "release_reconcile",
        {
            "id": "s",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "time": "2026-11-26T12:00:00Z",
            "detail": {},
            "account": "123456789012",
            "region": "us-east-1",
            "resources": [],
            "version": "0",
        },
    )


def register_approved(name: str) -> str:
    """A version registered and approved (as the gate, a person or the console would)."""
    sagemaker = boto3.client("sagemaker")
    arn = seed.register_version(sagemaker, None, name)
    sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    return arn


def set_status(arn: str, status: ApprovalStatus) -> None:
    boto3.client("sagemaker").update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)


def answers(*bodies: str) -> None:
    """What staging answers the smoke tests, in order (moto's sagemaker-runtime results queue)."""
    from moto.sagemakerruntime.models import sagemakerruntime_backends

    backend = sagemakerruntime_backends["123456789012"]["us-east-1"]
    backend.results.clear()  # moto caches an answer per endpoint and body: a new release asks afresh
    backend.results_queue = [(body, "application/json", "AllTraffic", "") for body in bodies]


def create_alarms() -> None:
    for name in ALARMS:
        errors_alarm(name)


def canary_invocations(count: int, at: datetime) -> None:
    boto3.client("cloudwatch").put_metric_data(
        Namespace="AWS/SageMaker",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Value": count,
                "Timestamp": at,
                "Dimensions": [
                    {"Name": "EndpointName", "Value": PRODUCTION},
                    {"Name": "VariantName", "Value": "AllTraffic"},
                ],
            }
        ],
    )


def production_config() -> str:
    config: str = boto3.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)["EndpointConfigName"]
    return config


def serving_version(config: str) -> int:
    """Which version a production config serves (its model is named after it)."""
    sagemaker = boto3.client("sagemaker")
    model = sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]["ModelName"]
    container = sagemaker.describe_model(ModelName=model)["PrimaryContainer"]
    return int(container["ModelPackageName"].rsplit("/", 1)[1])


def release_world(container: Any) -> Clock:
    """The group, its alarms and an injected clock: where every release test starts."""
    seed.create_group(boto3.client("sagemaker"))
    create_alarms()
    clock = Clock()
    container.release_deps.clock = clock
    return clock


def release_to_live(arn: str, clock: Clock) -> Any:
    """The whole happy path for one version, driven by endpoint events; the canary serves enough."""
    decided(arn, "Approved")
    clock.advance(minutes=8)  # staging comes up
    answers(*GOOD_ANSWERS)
    endpoint_event(STAGING)
    clock.advance(minutes=5)
    canary_invocations(150, clock.now)
    clock.advance(minutes=20)  # canary bake, then the rest of the fleet
    return endpoint_event(PRODUCTION)["groups"][GROUP]


def sns_types(messages: list[dict[str, Any]]) -> list[str]:
    return [message["type"] for message in messages]


def dumps(value: Any) -> str:
    return json.dumps(value, default=str)
