"""Every event the app consumes, in the shape AWS documents it (tests/fixtures), through Chalice's test client
against moto: a version registered, gated, released to LIVE, rolled back by an alarm, rejected; the schedules.

Only identifiers change: the event's ARN or name points at this moto world. Every other field (upper-case
EndpointStatus, epoch-millisecond times, alarm configuration, ...) stays as documented.
"""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from devstack import seed
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.alarms import set_alarm
from tests.support.event_shapes import fixture
from tests.support.gate_events import register
from tests.support.sns_inbox import inbox

ACCOUNT, REGION = "123456789012", "us-east-1"


def package_event(name: str, arn: str, status: str | None = None) -> dict[str, Any]:
    event = copy.deepcopy(fixture(name))
    group, version = arn.rsplit("/", 2)[1:]
    event["region"], event["resources"] = REGION, [arn]
    event["detail"].update(ModelPackageArn=arn, ModelPackageGroupName=group, ModelPackageVersion=int(version))
    if status:
        event["detail"]["ModelApprovalStatus"] = status
    return event


def endpoint_event(endpoint: str) -> dict[str, Any]:
    event = copy.deepcopy(fixture("aws-docs-endpoint-state-change.json"))
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{endpoint.lower()}"
    event["region"], event["resources"] = REGION, [arn]
    event["detail"].update(EndpointName=endpoint, EndpointArn=arn)
    assert event["detail"]["EndpointStatus"] == "IN_SERVICE" and isinstance(event["detail"]["CreationTime"], float)
    return event


def alarm_event(name: str, alarm: str) -> dict[str, Any]:
    event = copy.deepcopy(fixture(name))
    event["resources"] = [f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{alarm}"]
    event["detail"]["alarmName"] = alarm
    return event


@pytest.fixture
def clock(container: Container) -> r.Clock:
    return r.release_world(container)


def test_a_registration_event_as_documented_is_gated(clock: r.Clock, resources: LocalResources) -> None:
    arn = register(boto3.client("sagemaker"), "good", seed.GOOD)
    result = r.invoke("gate", package_event("aws-docs-model-package-state-change.json", arn))
    assert result["outcome"] == "approve"
    assert boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Approved"


def test_documented_update_endpoint_and_alarm_events_release_and_roll_back(
    clock: r.Clock, container: Container, resources: LocalResources
) -> None:
    first, second = r.register_approved("v1"), r.register_approved("v2")
    update = "aws-docs-model-package-state-change-update.json"
    assert r.invoke("release_decided", package_event(update, first, "Approved"))["stage"] == "STAGING"
    r.answers(*r.GOOD_ANSWERS)
    assert r.invoke("release_endpoint", endpoint_event(r.STAGING))["groups"][r.GROUP]["stage"] == "PRODUCTION"
    assert r.invoke("release_endpoint", endpoint_event(r.PRODUCTION))["groups"][r.GROUP]["stage"] == "WATCHING"
    clock.advance(minutes=61)
    r.invoke("release_reconcile", fixture("aws-docs-scheduled-event.json"))  # the watch window ends: LIVE

    assert r.release_to_live(second, clock)["stage"] == "WATCHING"
    clock.advance(minutes=10)
    set_alarm(r.ALARMS[0], "ALARM")
    fired = r.invoke("release_alarm", alarm_event("aws-docs-alarm-state-change-single-metric.json", r.ALARMS[0]))
    assert fired["groups"][r.GROUP]["stage"] == "ROLLED_BACK"
    assert r.serving_version(r.production_config()) == 1
    assert [m["type"] for m in inbox(resources)] == ["release.live", "release.live", "release.rolled_back"]


def test_documented_rejection_of_a_queued_version_drops_it(clock: r.Clock, container: Container) -> None:
    update = "aws-docs-model-package-state-change-update.json"
    first, second = r.register_approved("v1"), r.register_approved("v2")
    r.invoke("release_decided", package_event(update, first, "Approved"))
    assert r.invoke("release_decided", package_event(update, second, "Approved"))["queued"] is True
    r.set_status(second, "Rejected")
    assert r.invoke("release_decided", package_event(update, second))["dropped_queued"] == 2  # as documented


def test_an_alarm_back_to_ok_as_documented_is_skipped(clock: r.Clock) -> None:
    event = alarm_event("aws-docs-alarm-state-change-anomaly-detection.json", r.ALARMS[1])
    event["detail"]["state"]["value"], event["detail"]["previousState"]["value"] = "OK", "ALARM"
    assert r.invoke("release_alarm", event) == {"skipped": "the alarm is not in ALARM"}


def test_the_documented_scheduled_event_runs_the_reconciler_and_the_cleanup(
    clock: r.Clock, container: Container
) -> None:
    scheduled = fixture("aws-docs-scheduled-event.json")
    reconciled = r.invoke("release_reconcile", scheduled)
    # Nothing in flight: the group is read in the batch and counted, not looked at further.
    assert (reconciled["groups"], reconciled["settled"]) == ({}, 1)
    cleaned = r.invoke("cleanup", scheduled)["groups"]
    assert [report["group"] for report in cleaned] == [r.GROUP]
