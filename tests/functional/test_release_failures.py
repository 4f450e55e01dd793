"""Each failure ends with production on the last good version, the release FAILED or ROLLED_BACK, people told."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.history import history
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.alarms import set_alarm
from tests.support.sns_inbox import inbox


@pytest.fixture
def v1_live(container: Container, resources: LocalResources) -> r.Clock:
    """v1 serves production (its watch window over); a clean inbox."""
    clock = r.release_world(container)  # moto_ext is installed by the aws fixture
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    inbox(resources)
    return clock


def stage(container: Container) -> str:
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    return f"v{release.version} {release.stage.value}: {release.reason}"


def assert_production_on_v1(container: Container) -> None:
    assert r.serving_version(r.production_config()) == 1
    assert container.live_versions.live_arn(r.GROUP).endswith("/1")  # type: ignore[union-attr]


def test_staging_failed_fails_the_release_and_production_keeps_v1(
    v1_live: r.Clock, container: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_endpoint_status(r.STAGING, "Failed", "CannotStartContainerError: no space left on device")
    r.endpoint_event(r.STAGING, "FAILED")
    assert stage(container) == "v2 FAILED: staging endpoint Failed: CannotStartContainerError: no space left on device"
    assert_production_on_v1(container)
    [message] = inbox(resources)
    assert (message["type"], message["rollback_to"]) == ("release.failed", None)  # v1 has nothing before it


def test_smoke_test_failure_fails_the_release_before_production(
    v1_live: r.Clock, container: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers('{"predictions": [{"score": 0.7}]}', "0.2\n")  # the legit row called fraud, the fraud one legit
    r.endpoint_event(r.STAGING)
    assert stage(container) == (
        "v2 FAILED: smoke tests failed: legit-transaction: prediction 0.7 outside [0, 0.5]; "
        "fraud-transaction: prediction 0.2 outside [0.5, 1]"
    )
    assert_production_on_v1(container)
    assert [m["type"] for m in inbox(resources)] == ["release.failed"]


def test_alarm_during_the_canary_is_rolled_back_by_sagemaker(
    v1_live: r.Clock, container: Container, resources: LocalResources
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_alarm(r.ALARMS[0], "ALARM")  # fires while the canary bakes: SageMaker's guardrail
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    r.endpoint_event(r.PRODUCTION)
    assert stage(container).startswith("v2 ROLLED_BACK: SageMaker rolled the update back: Update rolled back")
    assert_production_on_v1(container)
    assert [m["type"] for m in inbox(resources)] == ["release.rolled_back"]


def test_alarm_in_the_watch_window_rolls_production_back_to_v1(
    v1_live: r.Clock, container: Container, resources: LocalResources
) -> None:
    assert r.release_to_live(r.register_approved("v2"), v1_live)["stage"] == "WATCHING"
    v1_live.advance(minutes=30)
    set_alarm(r.ALARMS[1], "ALARM")
    r.alarm_event(r.ALARMS[1])
    assert stage(container) == f"v2 ROLLED_BACK: alarm {r.ALARMS[1]} fired in the watch window"
    assert_production_on_v1(container)
    live, rolled_back = inbox(resources)
    assert (live["type"], live["rollback_to"]) == ("release.live", 1)
    assert rolled_back["type"] == "release.rolled_back"


def test_second_release_is_a_blue_green_canary_guarded_by_the_policy_alarms(
    v1_live: r.Clock, container: Container
) -> None:
    r.release_to_live(r.register_approved("v2"), v1_live)
    described = boto3.client("sagemaker").describe_endpoint(EndpointName=r.PRODUCTION)
    deployment = described["LastDeploymentConfig"]
    routing = deployment["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]
    assert routing == {
        "Type": "CANARY",
        "WaitIntervalInSeconds": 600,
        "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
    }
    assert [alarm["AlarmName"] for alarm in deployment["AutoRollbackConfiguration"]["Alarms"]] == list(r.ALARMS)
    assert r.serving_version(described["EndpointConfigName"]) == 2


def test_alarm_after_the_watch_window_changes_nothing(v1_live: r.Clock, container: Container) -> None:
    r.release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=61)
    set_alarm(r.ALARMS[1], "ALARM")
    r.alarm_event(r.ALARMS[1])
    assert stage(container) == "v2 LIVE: "
    assert r.serving_version(r.production_config()) == 2


def test_canary_with_too_few_invocations_is_not_a_pass(v1_live: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    r.canary_invocations(12, v1_live.now)
    v1_live.advance(minutes=20)
    r.endpoint_event(r.PRODUCTION)
    assert stage(container) == "v2 ROLLED_BACK: the canary saw 12 invocations, fewer than the 100 required"
    assert_production_on_v1(container)


def test_staging_past_its_deadline_fails_on_the_reconciler(v1_live: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_endpoint_status(r.STAGING, "Updating")  # and its InService event never comes
    v1_live.advance(minutes=29)
    r.reconcile()
    assert stage(container) == "v2 STAGING: "
    v1_live.advance(minutes=2)
    r.reconcile()
    assert stage(container).startswith("v2 FAILED: STAGING passed its deadline")
    assert_production_on_v1(container)


def test_production_past_its_deadline_returns_to_v1_once_sagemaker_accepts(
    v1_live: r.Clock, container: Container
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    set_endpoint_status(r.PRODUCTION, "Updating")  # stuck mid-deployment
    v1_live.advance(minutes=91)
    r.reconcile()
    assert stage(container).startswith("v2 FAILED: PRODUCTION passed its deadline")
    set_endpoint_status(r.PRODUCTION, "InService")  # SageMaker finally settles, on v2's config
    assert r.serving_version(r.production_config()) == 2
    assert r.reconcile()["groups"][r.GROUP]["restored"] == 1  # level-triggered: back to the recorded live
    assert_production_on_v1(container)


def test_production_failed_update_restores_v1(v1_live: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    set_endpoint_status(r.PRODUCTION, "UpdateRollbackFailed", "rollback could not complete")
    r.endpoint_event(r.PRODUCTION, "UPDATE_ROLLBACK_FAILED")
    assert stage(container) == "v2 FAILED: production endpoint UpdateRollbackFailed: rollback could not complete"
    set_endpoint_status(r.PRODUCTION, "InService")
    r.reconcile()
    assert_production_on_v1(container)


def test_every_failure_is_in_the_history(v1_live: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    r.answers('{"predictions": [7]}', '{"labels": ["fraud"]}')
    r.endpoint_event(r.STAGING)
    rows = history(r.GROUP, container.release_store).rows
    assert [(row.version, row.outcome) for row in rows] == [(2, "FAILED"), (1, "LIVE")]
    assert rows[0].reason.startswith("smoke tests failed")
    assert rows[1].served_from is not None
    assert rows[1].served_to is None
    assert rows[1].approved_by == "fake-user-profile-name"  # moto's LastModifiedBy: who approved it
