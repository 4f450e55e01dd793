"""Concurrency and ordering: queued versions, duplicates, out-of-order events, Rejected mid-release, lost events."""

from __future__ import annotations

import pytest

from chalicelib.bootstrap import Container
from chalicelib.handlers import on_endpoint_state_change
from chalicelib.release.history import history
from chalicelib.shared.errors import MalformedEventError
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.sns_inbox import inbox


@pytest.fixture
def clock(container: Container) -> r.Clock:
    return r.release_world(container)  # moto_ext is installed by the aws fixture


def current(container: Container) -> tuple[int, str]:
    release = container.release_store.load(r.GROUP).release
    assert release is not None
    return release.version, release.stage.value


def test_versions_approved_together_run_one_at_a_time_and_the_newest_waiting_wins(
    clock: r.Clock, container: Container
) -> None:
    v1, v2, v3 = (r.register_approved(name) for name in ("v1", "v2", "v3"))
    assert r.decided(v1, "Approved")["stage"] == "STAGING"
    assert r.decided(v2, "Approved")["queued"] is True
    assert r.decided(v3, "Approved")["superseded"] == [2]
    assert r.decided(v2, "Approved")["skipped"].startswith("v2 already ended SUPERSEDED")  # a late duplicate
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    r.endpoint_event(r.PRODUCTION)
    assert current(container) == (1, "WATCHING")  # v3 waits for the watch window to end
    clock.advance(minutes=61)
    r.reconcile()
    assert current(container) == (3, "STAGING")
    outcomes = [(row.version, row.outcome) for row in history(r.GROUP, container.release_store).rows]
    assert (2, "SUPERSEDED") in outcomes
    assert (1, "LIVE") in outcomes


def test_duplicate_and_out_of_order_events_never_run_a_step_twice(
    clock: r.Clock, container: Container, resources: LocalResources
) -> None:
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    r.decided(arn, "Approved")  # duplicate: skipped, nothing deployed twice
    set_endpoint_status(r.STAGING, "Creating")  # moto is InService at once; SageMaker takes minutes
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["actions"] == []  # early: nothing to do
    assert current(container) == (1, "STAGING")
    set_endpoint_status(r.STAGING, "InService")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    set_endpoint_status(r.PRODUCTION, "Updating")  # the canary bakes
    again = r.endpoint_event(r.STAGING)["groups"][r.GROUP]  # duplicate: smoke tests do not run again
    assert (again["stage"], again["actions"]) == ("PRODUCTION", [])
    set_endpoint_status(r.PRODUCTION, "InService")
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    r.endpoint_event(r.PRODUCTION)
    r.endpoint_event(r.PRODUCTION)
    r.endpoint_event(r.STAGING)  # stale, late
    assert current(container) == (1, "WATCHING")
    assert r.sns_types(inbox(resources)) == ["release.live"]


def test_a_late_approved_event_for_an_older_version_never_downgrades_production(
    clock: r.Clock, container: Container
) -> None:
    v1, v2 = r.register_approved("v1"), r.register_approved("v2")
    r.release_to_live(v2, clock)
    assert "older than v2" in r.decided(v1, "Approved")["skipped"]
    assert r.serving_version(r.production_config()) == 2


def test_approved_then_rejected_mid_release_stops_it(clock: r.Clock, container: Container) -> None:
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    v2 = r.register_approved("v2")
    r.decided(v2, "Approved")
    r.set_status(v2, "Rejected")
    r.decided(v2, "Rejected")
    assert current(container) == (2, "FAILED")
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)  # staging comes up anyway: nothing moves a stopped release
    assert current(container) == (2, "FAILED")
    assert r.serving_version(r.production_config()) == 1


def test_the_gates_champion_follows_approvals_and_forgets_a_rejected_one(clock: r.Clock, container: Container) -> None:
    v1 = r.register_approved("v1")
    r.decided(v1, "Approved")  # staging, nothing live yet: the newest Approved one is the champion
    known = container.live_versions.champion(r.GROUP)
    assert known is not None and (known.arn, known.live) == (v1, False)
    r.set_status(v1, "Rejected")
    r.decided(v1, "Rejected")
    assert container.live_versions.champion(r.GROUP) is None  # the gate asks the registry again


def test_rejected_while_live_returns_production_to_the_last_good_version(
    clock: r.Clock, container: Container, resources: LocalResources
) -> None:
    r.release_to_live(r.register_approved("v1"), clock)
    clock.advance(minutes=61)
    r.reconcile()
    v2 = r.register_approved("v2")
    r.release_to_live(v2, clock)
    r.set_status(v2, "Rejected")
    r.decided(v2, "Rejected")
    assert current(container) == (2, "ROLLED_BACK")
    assert r.serving_version(r.production_config()) == 1
    assert container.live_versions.live_arn(r.GROUP).endswith("/1")  # type: ignore[union-attr]


def test_a_rejected_event_for_a_version_still_approved_is_ignored(clock: r.Clock, container: Container) -> None:
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    assert r.decided(arn, "Rejected")["skipped"] == "status is Approved, not Rejected"
    assert current(container) == (1, "STAGING")


def test_the_reconciler_repairs_releases_whose_events_were_dropped(clock: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v1"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    r.reconcile()  # the staging InService event was lost
    assert current(container) == (1, "PRODUCTION")
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    r.reconcile()  # and the production one
    assert current(container) == (1, "WATCHING")


def test_malformed_and_foreign_events(clock: r.Clock) -> None:
    with pytest.raises(MalformedEventError):
        on_endpoint_state_change({"id": "x", "detail": {"EndpointStatus": "IN_SERVICE"}}, None)
    assert r.endpoint_event("someone-elses-endpoint")["skipped"].startswith("no group's release policy")
    assert r.alarm_event(r.ALARMS[0], "OK")["skipped"] == "the alarm is not in ALARM"


def test_rejecting_the_live_version_after_a_failed_release_returns_to_the_one_before(
    clock: r.Clock, container: Container
) -> None:
    for name in ("v1", "v2"):
        r.release_to_live(r.register_approved(name), clock)
        clock.advance(minutes=61)
        r.reconcile()
    r.decided(r.register_approved("v3"), "Approved")
    r.answers('{"predictions": [9]}', '{"labels": ["fraud"]}')
    r.endpoint_event(r.STAGING)  # v3 fails its smoke tests: v2 still live
    v2 = container.live_versions.live_arn(r.GROUP)
    assert v2 is not None
    r.set_status(v2, "Rejected")
    assert r.decided(v2, "Rejected")["to_version"] == 1
    assert r.serving_version(r.production_config()) == 1


def test_a_queued_version_rejected_while_it_waits_is_dropped(clock: r.Clock, container: Container) -> None:
    r.decided(r.register_approved("v1"), "Approved")
    v2 = r.register_approved("v2")
    r.decided(v2, "Approved")
    r.set_status(v2, "Rejected")
    assert r.decided(v2, "Rejected")["dropped_queued"] == 2
    assert container.release_store.load(r.GROUP).queued is None
