"""A shadow test through the handlers (Chalice's test client, moto with devstack's patches), judged by the real
CloudWatch judge on the champion's and the shadow's metrics put into moto's CloudWatch: passed, then production
as the deployment says; failed, production never left the champion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container, use_container
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.alarms import set_alarm
from tests.support.judged_metrics import ANALYSIS, judged_app, serve, v1_live
from tests.support.policies import policies_with_release

SHADOW = {"sampling_percent": 50, "minutes": 30}
RELEASE = {"deployment": {"type": "ALL_AT_ONCE"}, "analysis": ANALYSIS, "shadow": SHADOW}


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Container, r.Clock]]:
    yield judged_app(resources, policies_with_release(tmp_path / "policies", **RELEASE), monkeypatch)
    use_container(None)


def shadows() -> list[str]:
    """The shadow variants production's endpoint shows."""
    described = boto3.client("sagemaker").describe_endpoint(EndpointName=r.PRODUCTION)
    return [variant["VariantName"] for variant in described.get("ShadowProductionVariants", [])]


def v2_shadowing(clock: r.Clock, staging_event_lost: bool = False) -> None:
    """v1 LIVE (no champion: no shadow test), v2 through staging onto the shadow config, its test started; the
    reconciler moves it on from staging when staging's event was lost."""
    v1_live(clock)
    r.decided(r.register_approved("v2"), "Approved")
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    moved = r.reconcile() if staging_event_lost else r.endpoint_event(r.STAGING)
    assert moved["groups"][r.GROUP]["stage"] == "SHADOW"
    clock.advance(minutes=1)
    r.endpoint_event(r.PRODUCTION)  # InService on the shadow config: the test starts
    assert shadows() == ["Challenger"]


def shadow_test(clock: r.Clock, challenger_us: float) -> Any:
    serve("AllTraffic", 100000, clock.now, 31)
    serve("Challenger", challenger_us, clock.now, 31)
    clock.advance(minutes=30)
    return r.reconcile()["groups"][r.GROUP]


def test_a_passed_shadow_test_then_production_serves_the_challenger_and_it_goes_live(
    world: tuple[Container, r.Clock],
) -> None:
    container, clock = world
    v2_shadowing(clock)
    assert shadow_test(clock, 101000)["stage"] == "PRODUCTION"
    clock.advance(minutes=1)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "WATCHING"
    assert (r.serving_version(r.production_config()), shadows()) == (2, [])
    serve("AllTraffic", 101000, clock.now, 62)
    clock.advance(minutes=61)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"
    release = container.release_store.load(r.GROUP).release
    assert release is not None and "not worse than AllTraffic" in release.rollout.results[0]


def test_a_failed_shadow_test_fails_the_release_and_production_never_left_the_champion(
    world: tuple[Container, r.Clock],
) -> None:
    container, clock = world
    v2_shadowing(clock, staging_event_lost=True)
    champion = container.release_store.load(r.GROUP).live
    ended = shadow_test(clock, 180000)
    assert (ended["stage"], ended["reason"].startswith("the shadow test failed")) == ("FAILED", True), ended
    assert champion is not None and r.production_config() == champion.config
    assert (r.serving_version(r.production_config()), shadows()) == (1, [])


def test_an_alarm_mid_shadow_test_has_the_handler_measure_it_and_the_test_go_on(
    world: tuple[Container, r.Clock],
) -> None:
    """Production serves only the champion meanwhile: the alarm's event is one more look (the endpoint and the
    metrics read again, a measurement due taken), not a verdict on the challenger."""
    container, clock = world
    v2_shadowing(clock)
    serve("AllTraffic", 100000, clock.now, 6)
    serve("Challenger", 100000, clock.now, 6)
    clock.advance(minutes=5)
    set_alarm(r.ALARMS[0], "ALARM")
    assert r.alarm_event(r.ALARMS[0])["groups"][r.GROUP]["stage"] == "SHADOW"
    release = container.release_store.load(r.GROUP).release
    assert release is not None and [result[:5] for result in release.rollout.results][-1] == "PASS:"
