"""A PROGRESSIVE release through the handlers (Chalice's test client, moto with devstack's patches), judged by
the real CloudWatch judge on per-variant metrics put into moto's CloudWatch: steps to one variant, and an abort."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container, use_container
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.alarms import set_alarm
from tests.support.judged_metrics import ANALYSIS, PROGRESSIVE, judged_app, serve, v1_live
from tests.support.policies import policies_with_release


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Container, r.Clock]]:
    policies = policies_with_release(tmp_path / "policies", deployment=PROGRESSIVE, analysis=ANALYSIS)
    yield judged_app(resources, policies, monkeypatch)
    use_container(None)


def release(container: Container) -> Any:
    return container.release_store.load(r.GROUP).release


def weights() -> dict[str, float]:
    variants = boto3.client("sagemaker").describe_endpoint(EndpointName=r.PRODUCTION)["ProductionVariants"]
    return {v["VariantName"]: v["CurrentWeight"] for v in variants}


def v2_at_first_step(container: Container, clock: r.Clock) -> datetime:
    """v1 LIVE, v2 through staging onto the split config at 5%; when its first step started."""
    v1_live(clock)
    r.decided(r.register_approved("v2"), "Approved")
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["actions"] == ["deploy_production"]
    clock.advance(minutes=1)
    r.endpoint_event(r.PRODUCTION)  # InService on the split config: the first step starts
    assert weights() == {"AllTraffic": 0.95, "Challenger": 0.05}
    return clock.now


def step(clock: r.Clock, champion_us: float, challenger_us: float, minutes: int = 10) -> Any:
    """Both variants serve a step's minutes, then the reconciler's schedule looks."""
    serve("AllTraffic", champion_us, clock.now, minutes + 1)
    serve("Challenger", challenger_us, clock.now, minutes + 1)
    clock.advance(minutes=minutes)
    return r.reconcile()["groups"][r.GROUP]


def test_each_step_is_judged_on_both_variants_and_the_challenger_ends_alone_live(
    world: tuple[Container, r.Clock],
) -> None:
    container, clock = world
    v2_at_first_step(container, clock)
    assert step(clock, 100000, 102000)["actions"] == ["set_weights"]
    assert weights() == {"AllTraffic": 0.75, "Challenger": 0.25}
    serve("AllTraffic", 100000, clock.now, 11)
    serve("Challenger", 102000, clock.now, 11)
    clock.advance(minutes=5)  # the weight change done, SageMaker's event: a measurement is due
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "PRODUCTION"
    clock.advance(minutes=5)  # the step's end, seen by the endpoint's next event: the next weights
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["actions"] == ["set_weights"]
    assert weights() == {"AllTraffic": 0.0, "Challenger": 1.0}
    assert step(clock, 100000, 102000)["stage"] == "PRODUCTION"  # 100% passed: onto its own config
    clock.advance(minutes=1)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "WATCHING"
    assert r.production_config() == release(container).production_config
    assert r.serving_version(r.production_config()) == 2
    assert weights() == {"AllTraffic": 1.0}
    serve("AllTraffic", 102000, clock.now, 62)
    clock.advance(minutes=61)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"
    results = release(container).rollout.results
    assert len(results) >= 4 and all(result.startswith("PASS") for result in results), results
    assert "not worse than AllTraffic by more than 10%" in results[0]


def test_a_latency_regression_aborts_the_step_and_production_is_the_champions_again(
    world: tuple[Container, r.Clock],
) -> None:
    container, clock = world
    v2_at_first_step(container, clock)
    champion = container.release_store.load(r.GROUP).live
    step(clock, 100000, 102000)
    ended = step(clock, 100000, 200000)  # at 25%: under the 250 ms ceiling, but far worse than the champion
    assert ended["stage"] == "ROLLED_BACK", ended
    assert "worse than AllTraffic by more than 10%" in ended["reason"]
    assert champion is not None and r.production_config() == champion.config
    assert weights() == {"AllTraffic": 1.0}
    assert r.serving_version(r.production_config()) == 1


def alarm_event_with_its_time(clock: r.Clock) -> Any:
    """The alarm handler's event as CloudWatch sends it: the state change's own time in it."""
    state = {"value": "ALARM", "timestamp": clock.now.strftime("%Y-%m-%dT%H:%M:%S.000+0000")}
    event = r.cw_event("aws.cloudwatch", "CloudWatch Alarm State Change", {"alarmName": r.ALARMS[1], "state": state})
    return r.invoke("release_alarm", event)


@pytest.mark.parametrize(
    "told",
    [
        lambda clock: r.alarm_event(r.ALARMS[1]),  # no time in it: the handler reads the alarms
        alarm_event_with_its_time,
        lambda clock: r.reconcile(),  # the alarm's event was lost: the reconciler reads the alarms
    ],
    ids=["alarm-event", "alarm-event-with-its-time", "reconciler"],
)
def test_an_alarm_during_a_step_aborts_it(world: tuple[Container, r.Clock], told: Callable[[r.Clock], Any]) -> None:
    container, clock = world
    v2_at_first_step(container, clock)
    champion = container.release_store.load(r.GROUP).live
    clock.advance(minutes=3)
    set_alarm(r.ALARMS[1], "ALARM")
    ended = told(clock)["groups"][r.GROUP]
    assert (ended["stage"], ended["reason"]) == (
        "ROLLED_BACK",
        "aborted at 5%: alarm fraud-detection-prod-latency-p99 fired while the challenger served production",
    )
    assert champion is not None and r.production_config() == champion.config
    assert weights() == {"AllTraffic": 1.0}


def test_a_version_rejected_mid_step_is_aborted_by_the_decided_handler_challenger_drained_first(
    world: tuple[Container, r.Clock],
) -> None:
    container, clock = world
    v2_at_first_step(container, clock)
    arn = release(container).arn
    clock.advance(minutes=3)
    r.set_status(arn, "Rejected")
    ended = r.decided(arn, "Rejected")
    assert (ended["stage"], ended["reason"]) == ("FAILED", "aborted at 5%: v2 was Rejected mid-release")
    assert weights() == {"AllTraffic": 1.0}
    assert r.serving_version(r.production_config()) == 1
