"""The reconciler's registry sweep: lost package events made up for, once, cheaply, whatever one version does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from chalicelib.release.ports import Listed, SweepMark
from chalicelib.release.reconcile import reconcile
from chalicelib.release.state import Stage
from chalicelib.release.sweep import FIRST_LOOK_BACK, GIVE_UP_AFTER, GRACE, OVERLAP, SweepDeps, sweep_registry
from chalicelib.shared.errors import ReconcileIncompleteError
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED
from tests.fakes.registry import MemoryCursor
from tests.model.world import GROUP, PRODUCTION, STAGING, START, World


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


def test_versions_changed_in_the_cursors_own_instant_are_each_handed_on_once() -> None:
    world = World()
    first = registered(world, 1)
    tick(world, 11)
    second = registered(world, 2)
    world.registry.changed[second] = world.registry.changed[first]  # the instant the cursor stopped at, seen only now
    tick(world, 11)
    tick(world, 11)
    assert world.swept_gate.decided == [first, second]


def test_a_fresh_registration_waits_its_grace_while_a_later_approval_is_handed_on_at_once() -> None:
    world = World()
    approved = registered(world, 1)
    world.clock.advance(1)
    fresh = registered(world, 2)
    world.clock.advance(1)
    world.registry.set_status(approved, APPROVED, "console:jane")  # listed after the fresh one
    world.queue.clear()  # every event lost
    assert tick(world)["swept"]["handed"] == [[approved, "release"]]  # type: ignore[index]
    assert world.swept_gate.decided == []
    assert tick(world, 5)["swept"]["handed"] == []  # type: ignore[index]  # the cursor waits; the approval: once
    assert tick(world, 6)["swept"]["handed"] == [[fresh, "gate"]]  # type: ignore[index]


@dataclass
class LaggingSearch:
    """The registry's search index, behind the registry: the versions in `hidden` are not found yet."""

    registry: object
    hidden: set[str] = field(default_factory=set)
    since: list[datetime] = field(default_factory=list)

    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        self.since.append(since)
        for page in self.registry.changed_since(since):  # type: ignore[attr-defined]
            yield [listed for listed in page if listed.arn not in self.hidden]


def test_a_change_the_search_finds_late_is_handed_on_within_the_overlap_and_nothing_twice() -> None:
    world = World()
    first, second = registered(world, 1), registered(world, 2)
    world.registry.set_status(first, APPROVED, "console:jane")
    world.clock.advance(1)
    world.registry.set_status(second, APPROVED, "console:jane")
    world.queue.clear()  # both events lost
    search = LaggingSearch(world.registry, hidden={first})
    world.sweep.registry = search
    swept = tick(world)["swept"]
    assert swept["handed"] == [[second, "release"]]  # type: ignore[index]
    search.hidden.clear()  # the index caught up, minutes late: the cursor is past `first` by now
    swept = tick(world, 5)["swept"]
    assert search.since[-1] == datetime.fromisoformat(swept["cursor"]) - OVERLAP  # type: ignore[index]
    assert swept["handed"] == [[first, "release"]]  # type: ignore[index]
    assert tick(world, 5)["swept"]["handed"] == []  # type: ignore[index]


@dataclass
class CountingSearch:
    registry: object
    calls: int = 0

    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        self.calls += 1
        yield from self.registry.changed_since(since)  # type: ignore[attr-defined]


@dataclass
class CountingCursor:
    mark: SweepMark
    saves: int = 0

    def load(self) -> SweepMark:
        return self.mark

    def save(self, mark: SweepMark) -> None:
        self.mark, self.saves = mark, self.saves + 1


def test_a_quiet_registry_costs_one_search_a_run_and_no_cursor_write() -> None:
    world = World()
    registered(world, 1)
    settle(world)  # v1 gated by its event, released, live
    search, cursor = CountingSearch(world.registry), CountingCursor(world.sweep.cursor.load() or SweepMark(START))
    world.sweep.registry, world.sweep.cursor = search, cursor
    tick(world, 61)
    search.calls, cursor.saves = 0, 0
    for _ in range(12):
        tick(world, 5)
    assert (search.calls, cursor.saves) == (12, 0)


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


def test_a_live_version_rejected_with_its_event_lost_is_rolled_back_by_the_next_run() -> None:
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
    assert answer["swept"]["handed"] == [[arn, "rejection"]]  # type: ignore[index]
    world.endpoints.settle(PRODUCTION, "in_service")
    assert world.production_version() == 1


def test_a_rejection_of_a_version_nobody_needs_is_left_alone() -> None:
    world = World()
    arn = registered(world, 1)
    world.registry.set_status(arn, REJECTED, "slack:U024BE7LH")
    world.queue.clear()
    assert tick(world, 11)["swept"]["handed"] == []  # type: ignore[index]


def test_a_superseded_version_seen_again_by_the_sweep_is_not_released() -> None:
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
    sweep = SweepDeps(world.registry, gate, world.sweep.cursor)
    world.clock.advance(11)
    swept = sweep_registry(world.release, sweep, frozenset({GROUP}))
    assert gate.decided == [other] and [arn for arn, _ in swept.failed] == [stuck_one]
    assert swept.cursor is not None and swept.cursor <= world.registry.changed[stuck_one]  # held before it
    assert (world.sweep.cursor.load() or SweepMark(START)).held_since == world.clock()
    world.clock.advance(5)
    swept = sweep_registry(world.release, sweep, frozenset({GROUP}))
    assert gate.decided == [other] and [arn for arn, _ in swept.failed] == [stuck_one]  # the other: not again
    world.clock.advance(GIVE_UP_AFTER.total_seconds() / 60)
    swept = sweep_registry(world.release, sweep, frozenset({GROUP}))
    assert swept.cursor == world.registry.versions[other].created  # given up on: the cursor moved past it
    assert (world.sweep.cursor.load() or SweepMark(START)).held_since is None


class BrokenListing:
    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "Search")


def test_a_failing_listing_fails_the_run_after_every_group_was_reconciled() -> None:
    world = World()
    sweep = SweepDeps(BrokenListing(), world.swept_gate, world.sweep.cursor)
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
    swept = sweep_registry(world.release, sweep, frozenset({GROUP}))
    assert len(swept.handed) == 3  # the fake lists one page: it is handed whole, then the run stops paging


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


def test_an_engine_clock_running_ahead_of_the_registry_still_gives_a_registration_its_grace() -> None:
    world = World()  # the engine on a local stack's faster clock; the registry stamps changes on the wall clock
    world.release.clock = lambda: world.clock() + GRACE * 60
    world.sweep.clock = world.clock
    arn = registered(world, 1)
    world.queue.clear()  # the registration event is lost
    tick(world)
    assert world.swept_gate.decided == []  # its own event may still come: the registry's minute has not passed
    tick(world, GRACE.total_seconds() / 60 + 1)
    assert world.swept_gate.decided == [arn]
