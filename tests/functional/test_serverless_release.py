"""A serverless target released like a real-time one: staging, smoke tests, an all-at-once blue/green production
update guarded by the policy's alarms, the watch window and rollbacks, every endpoint on a ServerlessConfig."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.rollback import rollback
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support import targets
from tests.support.alarms import set_alarm
from tests.support.policies import SERVERLESS_RELEASE
from tests.support.sns_inbox import inbox
from tests.support.targets import app_with_release, stage


@pytest.fixture
def serverless(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    """The app reads the example group's policy with its release section made serverless."""
    return app_with_release(resources, tmp_path / "policies", monkeypatch, **SERVERLESS_RELEASE)


@pytest.fixture
def clock(serverless: Container) -> r.Clock:
    return r.release_world(serverless)


@pytest.fixture
def v1_live(clock: r.Clock, resources: LocalResources) -> r.Clock:
    return targets.v1_live(release_to_live, clock, resources)


def release_to_live(arn: str, clock: r.Clock) -> Any:
    """No canary to count: a serverless update shifts all traffic at once."""
    r.decided(arn, "Approved")
    clock.advance(minutes=5)
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    clock.advance(minutes=15)
    return r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]


def serverless_config(endpoint: str) -> Any:
    sagemaker = boto3.client("sagemaker")
    config = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    [variant] = sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"]
    assert "InstanceType" not in variant and "InitialInstanceCount" not in variant
    return variant["ServerlessConfig"]


def test_a_serverless_release_goes_live_on_each_endpoints_own_capacity(
    clock: r.Clock, serverless: Container, resources: LocalResources
) -> None:
    arn = r.register_approved("v1")
    assert release_to_live(arn, clock)["stage"] == "WATCHING"
    assert serverless_config(r.STAGING) == {"MemorySizeInMB": 2048, "MaxConcurrency": 20}
    assert serverless_config(r.PRODUCTION) == {
        "MemorySizeInMB": 4096,
        "MaxConcurrency": 50,
        "ProvisionedConcurrency": 5,
    }
    assert serverless.live_versions.live_arn(r.GROUP) == arn
    assert r.sns_types(inbox(resources)) == ["release.live"]


def test_the_second_release_updates_production_all_at_once_guarded_by_the_alarms(
    v1_live: r.Clock, serverless: Container
) -> None:
    assert release_to_live(r.register_approved("v2"), v1_live)["stage"] == "WATCHING"
    deployment = boto3.client("sagemaker").describe_endpoint(EndpointName=r.PRODUCTION)["LastDeploymentConfig"]
    routing = deployment["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]
    assert routing == {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}
    assert [alarm["AlarmName"] for alarm in deployment["AutoRollbackConfiguration"]["Alarms"]] == list(r.ALARMS)
    assert r.serving_version(r.production_config()) == 2
    assert "ProvisionedConcurrency" in serverless_config(r.PRODUCTION)


def test_a_failed_serverless_staging_fails_the_release_and_production_keeps_v1(
    v1_live: r.Clock, serverless: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_endpoint_status(r.STAGING, "Failed", "Memory size 2048 MB is too small for the model")
    r.endpoint_event(r.STAGING, "FAILED")
    assert stage(serverless) == "v2 FAILED: staging endpoint Failed: Memory size 2048 MB is too small for the model"
    assert r.serving_version(r.production_config()) == 1
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_a_failed_smoke_test_on_serverless_staging_stops_the_release_before_production(
    v1_live: r.Clock, serverless: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers('{"predictions": [{"score": 0.7}]}', "0.9\n")
    r.endpoint_event(r.STAGING)
    assert stage(serverless) == "v2 FAILED: smoke tests failed: legit-transaction: prediction 0.7 outside [0, 0.5]"
    assert r.serving_version(r.production_config()) == 1
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_an_alarm_in_the_watch_window_rolls_serverless_production_back_to_v1(
    v1_live: r.Clock, serverless: Container, resources: LocalResources
) -> None:
    release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=30)
    set_alarm(r.ALARMS[1], "ALARM")
    r.alarm_event(r.ALARMS[1])
    assert stage(serverless) == f"v2 ROLLED_BACK: alarm {r.ALARMS[1]} fired in the watch window"
    assert r.serving_version(r.production_config()) == 1
    assert serverless_config(r.PRODUCTION)["MemorySizeInMB"] == 4096  # the rollback's config is serverless too
    assert r.sns_types(inbox(resources)) == ["release.live", "release.rolled_back"]


def test_a_manual_rollback_puts_the_previous_version_back_on_a_serverless_config(
    v1_live: r.Clock, serverless: Container
) -> None:
    release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=61)
    result = rollback(r.GROUP, None, "cli:bob", "latency", serverless.release_deps)
    assert (result.from_version, result.to_version) == (2, 1)
    assert r.serving_version(r.production_config()) == 1
    assert serverless_config(r.PRODUCTION)["MaxConcurrency"] == 50
