"""An async target released like a real-time one: staging and production on configs with AsyncInferenceConfig,
smoke tests through InvokeEndpointAsync and the answers read from S3, the blue/green production update, the
watch window and rollbacks. A failure object or no answer within the budget fails the release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.rollback import rollback
from devstack.demo_setup import MODEL_ANSWER
from devstack.moto_ext import endpoint_runtime
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support import targets
from tests.support.alarms import set_alarm
from tests.support.local_stack import wait_for
from tests.support.policies import ASYNC_RELEASE
from tests.support.sns_inbox import inbox
from tests.support.targets import app_with_release, stage

ASYNC_SMOKE_TESTS = ("legit-transaction", "fraud-transaction")  # the example policy's
ANSWERS = {"S3OutputPath": "s3://my-bucket/async/answers", "S3FailurePath": "s3://my-bucket/async/failures"}


@pytest.fixture
def asynchronous(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    container = app_with_release(resources, tmp_path / "policies", monkeypatch, **ASYNC_RELEASE)
    s3 = boto3.client("s3")
    if "my-bucket" not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket="my-bucket")
    endpoint_runtime.configure(r.STAGING, response=MODEL_ANSWER)  # what both smoke tests accept
    yield container
    endpoint_runtime.reset()


@pytest.fixture
def clock(asynchronous: Container) -> r.Clock:
    return r.release_world(asynchronous)


@pytest.fixture
def v1_live(clock: r.Clock, resources: LocalResources) -> r.Clock:
    return targets.v1_live(release_to_live, clock, resources)


def release_to_live(arn: str, clock: r.Clock) -> Any:
    r.decided(arn, "Approved")
    clock.advance(minutes=8)
    r.endpoint_event(r.STAGING)
    clock.advance(minutes=5)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    return r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]


def async_config(endpoint: str) -> Any:
    sagemaker = boto3.client("sagemaker")
    config = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    return sagemaker.describe_endpoint_config(EndpointConfigName=config)["AsyncInferenceConfig"]


def test_an_async_release_is_smoke_tested_through_s3_and_goes_live(
    clock: r.Clock, asynchronous: Container, resources: LocalResources
) -> None:
    arn = r.register_approved("v1")
    assert release_to_live(arn, clock)["stage"] == "WATCHING"
    for endpoint in (r.STAGING, r.PRODUCTION):
        config = async_config(endpoint)
        assert config["OutputConfig"] == ANSWERS
        assert config["ClientConfig"] == {"MaxConcurrentInvocationsPerInstance": 4}
    requests = boto3.client("s3").list_objects_v2(Bucket="my-bucket", Prefix="async/smoke/")["Contents"]
    assert sorted(item["Key"].rsplit("/", 1)[1] for item in requests) == ["fraud-transaction", "legit-transaction"]
    assert asynchronous.live_versions.live_arn(r.GROUP) == arn
    assert r.sns_types(inbox(resources)) == ["release.live"]


def test_a_failure_object_fails_the_release_before_production(
    v1_live: r.Clock, asynchronous: Container, resources: LocalResources
) -> None:
    endpoint_runtime.configure(r.STAGING, error_rate=1.0)
    r.decided(r.register_approved("v2"), "Approved")
    r.endpoint_event(r.STAGING)
    assert stage(asynchronous).startswith(
        "v2 FAILED: smoke tests failed: legit-transaction: status 0, expected 200 "
        "(the asynchronous inference failed (s3://my-bucket/async/failures/"
    )
    assert r.serving_version(r.production_config()) == 1
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_no_answer_within_the_budget_fails_the_release(v1_live: r.Clock, asynchronous: Container) -> None:
    endpoint_runtime.configure(r.STAGING, latency_ms=2000)  # the example's smoke tests allow 500 ms
    answered = len(answers())
    r.decided(r.register_approved("v2"), "Approved")
    r.endpoint_event(r.STAGING)
    assert "legit-transaction: status 0, expected 200 (no answer at s3://my-bucket/async/answers/" in stage(
        asynchronous
    )
    assert stage(asynchronous).startswith("v2 FAILED: smoke tests failed:")
    assert r.serving_version(r.production_config()) == 1
    # Both come, too late: the tests were judged without them.
    wait_for(lambda: len(answers()) == answered + len(ASYNC_SMOKE_TESTS), 10)


def answers() -> list[Any]:
    listed = boto3.client("s3").list_objects_v2(Bucket="my-bucket", Prefix="async/answers/")
    return list(listed.get("Contents", []))


def test_a_failed_async_staging_fails_the_release(v1_live: r.Clock, asynchronous: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_endpoint_status(r.STAGING, "Failed", "the async output bucket is not writable")
    r.endpoint_event(r.STAGING, "FAILED")
    assert stage(asynchronous) == "v2 FAILED: staging endpoint Failed: the async output bucket is not writable"
    assert r.serving_version(r.production_config()) == 1


def test_an_alarm_in_the_watch_window_and_a_manual_rollback_keep_production_async(
    v1_live: r.Clock, asynchronous: Container
) -> None:
    release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=30)
    set_alarm(r.ALARMS[1], "ALARM")
    r.alarm_event(r.ALARMS[1])
    assert stage(asynchronous) == f"v2 ROLLED_BACK: alarm {r.ALARMS[1]} fired in the watch window"
    assert r.serving_version(r.production_config()) == 1
    set_alarm(r.ALARMS[1], "OK")
    release_to_live(r.register_approved("v3"), v1_live)
    v1_live.advance(minutes=61)
    assert rollback(r.GROUP, None, "cli:bob", "slow answers", asynchronous.release_deps).to_version == 1
    assert async_config(r.PRODUCTION)["OutputConfig"] == ANSWERS
