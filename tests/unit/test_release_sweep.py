"""The reconciler's registry sweep: lost package events made up for, once, cheaply, whatever one version does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from chalicelib.release.audit import audit_due
from chalicelib.release.ports import Listed
from chalicelib.release.reconcile import reconcile
from chalicelib.release.state import Stage
from chalicelib.release.sweep import FIRST_LOOK_BACK, GIVE_UP_AFTER, GRACE, SweepDeps, sweep_registrations
from chalicelib.shared.errors import ReconcileIncompleteError
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from tests.fakes.registry import MemoryCursor
from tests.model.world import GROUP, PRODUCTION, STAGING, World


def registered(world: World, number: int) -> str:
    """A good version, better than the one before by more than the policy's margin."""
    uri = f"s3://models/{GROUP}/{number}/metrics.json"
    auc = 0.9 + 0.01 * number
    world.metrics.documents[uri] = f'{{"auc": {auc}, "precision": 0.9, "recall": 0.8, "latency_p99_ms": 100}}'.encode()
    return world.registry.register(GROUP, number, uri, world.clock()).arn


def tick(world: World, minutes: float = 0) -> dict[str, object]:
    world.clock.advance(minutes)
    return reconcile(world.release, sweep=world.sweep).as_dict()


def settle(world: World) -> None:
    """Deliver nothing: events are lost. Endpoints finish; the reconciler moves the release on."""
    for _ in range(4):
        for endpoint in (STAGING, PRODUCTION):
            world.endpoints.settle(endpoint, "in_service")
        tick(world, 5)


def test_a_version_whose_registration_event_was_lost_is_gated_once_its_grace_passed() -> None:
    world = World()
    arn = registered(world, 1)
    world.queue.clear()  # the registration event is lost
    tick(world)
    assert world.swept_gate.decided == []  # its own event may still come
    tick(world, GRACE.total_seconds() / 60 + 1)
    assert world.swept_gate.decided == [arn]
    assert world.registry.versions[arn].status == APPROVED
    tick(world, 5)
    assert world.swept_gate.decided == [arn]  # the cursor moved past it: listed once


def test_versions_created_in_the_cursors_own_instant_are_each_handed_on_once() -> None:
    world = World()
    first = registered(world, 1)
    tick(world, 11)
    second = registered(world, 2)
    world.registry.versions[second] = world.registry.versions[second].__class__(
        **{**world.registry.versions[second].__dict__, "created": world.registry.versions[first].created}
    )  # same CreationTime as the one the cursor stopped at, listed only now
    tick(world, 11)
    tick(world, 11)
    assert world.swept_gate.decided == [first, second]


def test_an_approval_whose_event_was_lost_is_released_and_reaches_production() -> None:
    world = World()
    arn = registered(world, 1)
    world.registry.set_status(arn, APPROVED, "console:jane")  # approved at once; both events lost
    world.queue.clear()
    tick(world, 11)
    settle(world)
    state = world.store.load(GROUP)
    assert state.live is not None and state.live.arn == arn
    assert world.production_version() == 1


def test_a_live_version_rejected_with_its_event_lost_is_rolled_back_by_the_next_audit() -> None:
    world = World()
    for number in (1, 2):
        arn = registered(world, number)
        tick(world, 11)
        settle(world)
        tick(world, 61)
    assert world.production_version() == 2
    world.registry.set_status(arn, REJECTED, "slack:U024BE7LH")
    world.queue.clear()
    answer = tick(world)
    assert answer["groups"][GROUP]["audited"] == {"approved": [], "rejected": [2]}  # type: ignore[index]
    world.endpoints.settle(PRODUCTION, "in_service")
    assert world.production_version() == 1


def test_a_superseded_version_seen_again_by_the_audit_is_not_released() -> None:
    world = World()
    arns = [registered(world, number) for number in (1, 2, 3)]
    for arn in arns:
        world.registry.set_status(arn, APPROVED, "console:jane")
    world.queue.clear()  # every event lost
    tick(world, 11)  # from the sweep: v1 starts, v2 waits, v3 supersedes v2
    for _ in range(2):
        settle(world)
        tick(world, 61)
    assert world.production_version() == 3
    for _ in range(3):
        tick(world, 61)
    outcomes = sorted((row.version, row.outcome) for row in world.store.rows.values())
    assert outcomes == [(1, "LIVE"), (2, Stage.SUPERSEDED.value), (3, "LIVE")]


class FailingOn:
    """The gate raising for one version: the others are still handed on."""

    def __init__(self, world: World, arn: str) -> None:
        self.world, self.arn, self.decided = world, arn, list[str]()

    def decide_pending(self, arn: str) -> None:
        if arn == self.arn:
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "Describe")
        self.decided.append(arn)


def test_a_version_that_fails_holds_the_cursor_back_then_is_given_up_on_after_a_day() -> None:
    world = World()
    stuck_one = registered(world, 1)
    world.clock.advance(1)
    other = registered(world, 2)
    gate = FailingOn(world, stuck_one)
    sweep = SweepDeps(world.registry, gate, world.sweep.cursor, audit_every=1)
    world.clock.advance(11)
    swept = sweep_registrations(world.release, sweep, frozenset({GROUP}))
    assert gate.decided == [other] and [arn for arn, _ in swept.failed] == [stuck_one]
    assert swept.cursor is not None and swept.cursor < world.clock() - GRACE  # held before the failing one
    world.clock.advance(GIVE_UP_AFTER.total_seconds() / 60)
    swept = sweep_registrations(world.release, sweep, frozenset({GROUP}))
    assert swept.cursor == world.registry.versions[other].created  # given up on: the cursor moved past it


class BrokenListing:
    def created_since(self, after: datetime, before: datetime) -> Iterator[list[Listed]]:
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "List")

    def newest(self, group: str) -> list[Listed]:
        return []


def test_a_failing_listing_fails_the_run_after_every_group_was_reconciled() -> None:
    world = World()
    sweep = SweepDeps(BrokenListing(), world.swept_gate, world.sweep.cursor, audit_every=1)
    before = world.sweep.cursor.load()
    world.clock.advance(11)
    with pytest.raises(ReconcileIncompleteError, match="the registry sweep failed for 1: registry: ClientError"):
        reconcile(world.release, sweep=sweep)
    assert world.sweep.cursor.load() == before  # nothing handed: the next run lists from the same place


def test_the_sweep_stops_paging_when_its_time_budget_is_spent() -> None:
    world = World()
    for number in range(1, 4):
        registered(world, number)
        world.clock.advance(1)
    ticks = iter(range(100))
    sweep = SweepDeps(world.registry, world.swept_gate, world.sweep.cursor, budget_seconds=0.5)
    sweep.timer = lambda: float(next(ticks))
    world.clock.advance(11)
    sweep.start()
    swept = sweep_registrations(world.release, sweep, frozenset({GROUP}))
    assert len(swept.handed) == 3  # the fake lists one page: it is handed whole, then the run stops paging


def test_each_group_is_audited_once_in_every_audit_every_runs() -> None:
    groups = [f"group-{n:03d}" for n in range(500)]
    every = 12
    audited = [sum(audit_due(group, run, every) for run in range(every)) for group in groups]
    assert set(audited) == {1}
    per_run = [sum(audit_due(group, run, every) for group in groups) for run in range(every)]
    assert max(per_run) < len(groups) / every * 1.6  # spread, not bunched on one run


def test_the_first_run_looks_back_a_day_and_keeps_that_start() -> None:
    world = World()
    world.sweep.cursor = MemoryCursor()  # just installed
    registered(world, 1)  # created before the look-back's start: left to its own event (or shepherd regate)
    world.queue.clear()
    world.clock.advance(FIRST_LOOK_BACK.total_seconds() / 60 + 11)
    late = registered(world, 2)
    world.queue.clear()
    answer = tick(world)
    start = (world.clock() - FIRST_LOOK_BACK).isoformat()
    assert answer["swept"] == {"handed": [], "cursor": start}
    tick(world, 11)
    assert world.swept_gate.decided == [late]
    assert world.registry.versions[late].status == APPROVED != PENDING
