"""UpdateEndpoint on the local stack: the blue/green lifecycle behind any client's call, and counted traffic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack.moto_ext import endpoint_lifecycle, endpoint_runtime, install
from tests.support.alarms import AlarmState, errors_alarm
from tests.support.local_moto import ENDPOINT_EVENTS, create_endpoint, rule_to_queue
from tests.support.local_variants import statistic

pytestmark = pytest.mark.usefixtures("aws")
ROUTING = {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}
GUARDED = {
    "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": ROUTING},
    "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "fraud-5xx"}]},
}
Held = list[tuple[float, Callable[[], None]]]


@pytest.fixture(autouse=True)
def held() -> Iterator[Held]:
    """Transitions wait here instead of on timers: the test decides when time passes."""
    install()
    actions: Held = []
    endpoint_lifecycle.configure(
        updating_seconds=1.0, bake_seconds=2.0, schedule=lambda seconds, action: actions.append((seconds, action))
    )
    yield actions
    endpoint_lifecycle.configure(
        creating_seconds=0.0, updating_seconds=0.0, bake_seconds=0.0, schedule=endpoint_lifecycle.run_after
    )
    endpoint_runtime.reset()


def in_service_endpoint(held: Held) -> tuple[Any, Callable[[], list[str]]]:
    received = rule_to_queue(ENDPOINT_EVENTS)
    sagemaker = create_endpoint()
    held.pop()[1]()  # Creating -> InService
    received()  # the creation's events are not what these tests are about
    return sagemaker, lambda: [event["detail"]["EndpointStatus"] for event in received()]


def alarm(state: AlarmState) -> None:
    errors_alarm("fraud-5xx", state)


def test_update_endpoint_is_updating_then_in_service_on_the_new_config_after_the_bake(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    alarm("OK")
    sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b", DeploymentConfig=GUARDED)
    described = sagemaker.describe_endpoint(EndpointName="fraud-staging")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("Updating", "config-a")
    [(seconds, finish)] = held
    assert seconds == 3.0  # the new fleet (1 s), then the bake (2 s)
    finish()
    described = sagemaker.describe_endpoint(EndpointName="fraud-staging")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "config-b")
    assert "FailureReason" not in described
    assert statuses() == ["UPDATING", "IN_SERVICE"]  # one event per transition, no duplicates


def test_alarm_in_alarm_during_the_bake_rolls_back_as_sagemaker_reports_it(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    alarm("OK")
    sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b", DeploymentConfig=GUARDED)
    alarm("ALARM")  # fires while the new fleet bakes
    held.pop()[1]()
    described = sagemaker.describe_endpoint(EndpointName="fraud-staging")
    # What the release engine recognises as SageMaker's rollback: InService, old config, a FailureReason.
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "config-a")
    assert described["FailureReason"].startswith("Update rolled back: alarm(s) fraud-5xx in ALARM")
    assert described["LastDeploymentConfig"]["AutoRollbackConfiguration"] == GUARDED["AutoRollbackConfiguration"]
    assert statuses() == ["UPDATING", "ROLLING_BACK", "IN_SERVICE"]


def test_update_without_deployment_config_has_no_bake(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b")
    [(seconds, finish)] = held
    assert seconds == 1.0
    finish()
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointConfigName"] == "config-b"
    assert statuses() == ["UPDATING", "IN_SERVICE"]


def test_update_while_updating_is_refused_and_emits_nothing(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b")
    with pytest.raises(ClientError, match="Cannot update in-progress endpoint"):
        sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-a")
    assert statuses() == ["UPDATING"]


def test_update_to_an_unknown_config_is_refused_and_changes_nothing(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    with pytest.raises(ClientError):
        sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="nope")
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "InService"
    assert statuses() == []


def test_update_between_instances_and_serverless_is_refused_as_sagemaker_does(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    serverless = {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
    variant = {"VariantName": "AllTraffic", "ModelName": "config-a", "ServerlessConfig": serverless}
    sagemaker.create_endpoint_config(EndpointConfigName="config-s", ProductionVariants=[variant])
    with pytest.raises(ClientError, match="between instance-based and serverless"):
        sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-s")
    assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointConfigName"] == "config-a"
    assert statuses() == []


def invocations(metric: str) -> int:
    return int(statistic(metric, "AllTraffic", endpoint="fraud-staging") or 0)


def test_every_invocation_is_counted_in_cloudwatch_as_sagemaker_does(held: Held) -> None:
    in_service_endpoint(held)
    runtime = boto3.client("sagemaker-runtime")
    endpoint_runtime.configure("fraud-staging", response='{"predictions": [0.1]}')
    for _ in range(3):
        runtime.invoke_endpoint(EndpointName="fraud-staging", Body=b"1,2")
    endpoint_runtime.configure("fraud-staging", error_rate=1.0)
    with pytest.raises(ClientError, match="ModelError"):
        runtime.invoke_endpoint(EndpointName="fraud-staging", Body=b"1,2")
    assert (invocations("Invocations"), invocations("Invocation5XXErrors")) == (4, 1)


def test_endpoint_deleted_during_its_update_never_comes_back(held: Held) -> None:
    sagemaker, statuses = in_service_endpoint(held)
    sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b", DeploymentConfig=GUARDED)
    sagemaker.delete_endpoint(EndpointName="fraud-staging")
    held.pop()[1]()  # the bake ends after the endpoint is gone: nothing to settle
    with pytest.raises(ClientError, match="Could not find endpoint"):
        sagemaker.describe_endpoint(EndpointName="fraud-staging")
    assert statuses() == ["UPDATING", "DELETING"]


def test_a_bake_waits_for_the_canary_calls_the_stack_was_told_to_expect(held: Held) -> None:
    sagemaker, _ = in_service_endpoint(held)
    endpoint_lifecycle.configure(bake_invocations=3)
    endpoint_runtime.configure("fraud-staging", response="0.5")
    runtime = boto3.client("sagemaker-runtime")
    try:
        sagemaker.update_endpoint(EndpointName="fraud-staging", EndpointConfigName="config-b", DeploymentConfig=GUARDED)
        held.pop()[1]()  # the bake's time is up, but the canary has served nothing yet
        assert sagemaker.describe_endpoint(EndpointName="fraud-staging")["EndpointStatus"] == "Updating"
        for _ in range(3):
            runtime.invoke_endpoint(EndpointName="fraud-staging", Body=b"1,2")
        [(seconds, finish)] = held
        finish()
        described = sagemaker.describe_endpoint(EndpointName="fraud-staging")
        assert (seconds, described["EndpointStatus"], described["EndpointConfigName"]) == (0.1, "InService", "config-b")
    finally:
        endpoint_lifecycle.configure(bake_invocations=0)


def test_a_version_tagged_with_an_age_is_that_old_and_keeps_no_such_tag() -> None:
    from devstack import seed

    sagemaker: Any = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arn = seed.register_version(sagemaker, None, "v1", status="Rejected")
    sagemaker.add_tags(
        ResourceArn=arn, Tags=[{"Key": "shepherd-local:age-days", "Value": "90"}, {"Key": "k", "Value": "v"}]
    )
    created = sagemaker.describe_model_package(ModelPackageName=arn)["CreationTime"]
    assert timedelta(days=89.9) < datetime.now(UTC) - created < timedelta(days=90.1)
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    with pytest.raises(ClientError, match="takes a number of days"):
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "shepherd-local:age-days", "Value": "old"}])
