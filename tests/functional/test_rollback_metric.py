"""Every rollback, manual or automatic, emits the one metric the rollbacks alarm watches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.rollback import rollback
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.alarms import set_alarm
from tests.support.emitted import EmittedMetrics, record_metrics

RESOURCES = Path(__file__).parents[2] / "infra" / "resources.json"


def rollbacks_alarm_metric() -> tuple[str, frozenset[str]]:
    alarm = json.loads(RESOURCES.read_text())["Resources"]["RollbackAlarm"]["Properties"]
    return alarm["MetricName"], frozenset(dimension["Name"] for dimension in alarm["Dimensions"])


@pytest.fixture
def v1_live(container: Container, resources: LocalResources) -> r.Clock:
    clock = r.release_world(container)
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    return clock


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> EmittedMetrics:
    return record_metrics(monkeypatch)


def test_a_manual_rollback_emits_the_metric_the_rollbacks_alarm_watches(
    v1_live: r.Clock, container: Container, emitted: EmittedMetrics
) -> None:
    r.release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=61)
    r.reconcile()
    emitted.seen.clear()
    rollback(r.GROUP, None, "alice", "false positives", container.release_deps)
    assert emitted.seen.count(rollbacks_alarm_metric()) == 1


def test_a_watch_window_rollback_emits_the_metric_the_rollbacks_alarm_watches(
    v1_live: r.Clock, container: Container, emitted: EmittedMetrics
) -> None:
    r.release_to_live(r.register_approved("v2"), v1_live)
    v1_live.advance(minutes=30)
    emitted.seen.clear()
    set_alarm(r.ALARMS[1], "ALARM")
    r.alarm_event(r.ALARMS[1])
    assert emitted.seen.count(rollbacks_alarm_metric()) == 1


def test_a_rollback_by_sagemakers_guardrail_emits_the_metric_the_rollbacks_alarm_watches(
    v1_live: r.Clock, container: Container, emitted: EmittedMetrics
) -> None:
    r.decided(r.register_approved("v2"), "Approved")
    set_alarm(r.ALARMS[0], "ALARM")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    r.endpoint_event(r.PRODUCTION)
    assert emitted.seen.count(rollbacks_alarm_metric()) == 1


def test_an_alarm_mid_canary_has_the_handler_read_production_and_the_canary_again(
    v1_live: r.Clock, container: Container, emitted: EmittedMetrics
) -> None:
    """The alarm's event only names the alarm: production and its canary's invocations are read before deciding
    (here production already serves v2 with a canary that saw nothing: rolled back)."""
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    v1_live.advance(minutes=3)
    set_alarm(r.ALARMS[1], "ALARM")
    emitted.seen.clear()
    moved = r.alarm_event(r.ALARMS[1])["groups"][r.GROUP]
    assert (moved["stage"], moved["reason"]) == (
        "ROLLED_BACK",
        "the canary saw 0 invocations, fewer than the 100 required",
    )
    assert emitted.seen.count(rollbacks_alarm_metric()) == 1
