"""Each version's ModelLifeCycle as the release engine moves it, through the handlers against moto."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container
from chalicelib.release.rollback import rollback
from tests.fakes.faults import Faults, Faulty
from tests.support import release as r


@pytest.fixture
def clock(container: Container) -> r.Clock:
    return r.release_world(container)  # moto_ext is installed by the aws fixture


def lifecycle(arn: str) -> tuple[str, str] | None:
    described: dict[str, Any] = dict(boto3.client("sagemaker").describe_model_package(ModelPackageName=arn))
    found = described.get("ModelLifeCycle")
    return (found["Stage"], found["StageStatus"]) if found else None


def owed(container: Container) -> list[str]:
    return [entry.arn for entry in container.release_store.load(r.GROUP).lifecycles_owed]


def live_in_turn(clock: r.Clock, *names: str) -> list[str]:
    arns = []
    for name in names:
        arns.append(r.register_approved(name))
        r.release_to_live(arns[-1], clock)
        clock.advance(minutes=61)
        r.reconcile()  # the watch window ends: LIVE
    return arns


def test_each_step_of_a_release_labels_the_version_and_the_replaced_one_is_archived(
    clock: r.Clock, container: Container
) -> None:
    one = r.register_approved("v1")
    r.release_to_live(one, clock)
    clock.advance(minutes=61)
    r.reconcile()  # the watch window ends
    assert lifecycle(one) == ("Production", "Approved")

    two = r.register_approved("v2")
    r.decided(two, "Approved")
    assert lifecycle(two) == ("Staging", "InProgress")
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    assert lifecycle(two) == ("Production", "InProgress")
    assert lifecycle(one) == ("Production", "Approved")  # it still serves while the canary bakes
    clock.advance(minutes=5)
    r.canary_invocations(150, clock.now)
    clock.advance(minutes=20)
    r.endpoint_event(r.PRODUCTION)
    assert (lifecycle(two), lifecycle(one)) == (("Production", "Watching"), ("Archived", "Replaced"))
    clock.advance(minutes=61)
    r.reconcile()
    assert lifecycle(two) == ("Production", "Approved")


def test_a_rollback_labels_the_version_rolled_back_and_the_earlier_one_live_again(
    clock: r.Clock, container: Container
) -> None:
    one, two = live_in_turn(clock, "v1", "v2")

    rollback(r.GROUP, None, "alice", "false positives", container.release_deps)

    assert (lifecycle(two), lifecycle(one)) == (("Production", "RolledBack"), ("Production", "Approved"))


def test_a_failed_smoke_test_is_a_failure_in_staging(clock: r.Clock, container: Container) -> None:
    one = r.register_approved("v1")
    r.decided(one, "Approved")
    r.answers("not json", "nor this")
    r.endpoint_event(r.STAGING)
    assert lifecycle(one) == ("Staging", "Failed")


def test_a_refused_write_never_stops_the_release_and_the_reconciler_writes_it_again(
    clock: r.Clock, container: Container
) -> None:
    faults = Faults()
    deps = container.release_deps
    assert deps.lifecycles is not None
    deps.lifecycles = Faulty(deps.lifecycles, "lifecycles", faults)
    one = r.register_approved("v1")
    r.release_to_live(one, clock)
    clock.advance(minutes=61)
    faults.arm("lifecycles", "throttling")

    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"  # the release went on
    assert (lifecycle(one), owed(container)) == (("Production", "Watching"), [one])
    faults.arm("lifecycles", "access_denied")
    r.reconcile()  # refused again: still owed, the run itself fine
    assert (lifecycle(one), owed(container)) == (("Production", "Watching"), [one])
    r.reconcile()
    assert (lifecycle(one), owed(container)) == (("Production", "Approved"), [])
    assert faults.injected == {"lifecycles.write:throttling": 1, "lifecycles.write:access_denied": 1}
