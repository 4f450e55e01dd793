"""Lifecycles written after each committed change, on fakes: only what moved, never failing a release,
what SageMaker refused written again, and nothing at all (no call, no read) when nothing is owed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from chalicelib.release.lifecycle_record import record_lifecycles
from chalicelib.release.pause import continue_paused
from chalicelib.release.reconcile import reconcile
from chalicelib.release.service import on_approved
from chalicelib.release.state import Deployed, GroupState, HistoryRow, LifeCycle, OwedLifeCycle, Stage
from tests.fakes.release import RecordingLifeCycles, fixed_clock, memory_deps
from tests.unit.test_release_pause import World as PausedWorld
from tests.unit.test_release_reconcile import EXAMPLE, CountingStore, SharedPolicies, arn

STAGING = LifeCycle("Staging", "InProgress", "deploying to the staging endpoint")


def test_a_release_start_writes_the_versions_lifecycle_once() -> None:
    deps = memory_deps(EXAMPLE)
    deps.lifecycles = lifecycles = RecordingLifeCycles()
    on_approved(arn(EXAMPLE, 1), deps)
    assert lifecycles.written == [(arn(EXAMPLE, 1), STAGING)]


def test_a_refused_write_leaves_the_release_going_and_the_lifecycle_owed() -> None:
    deps = memory_deps(EXAMPLE)
    deps.lifecycles = lifecycles = RecordingLifeCycles(refuse=1)
    result = on_approved(arn(EXAMPLE, 1), deps)
    assert result.as_dict()["stage"] == Stage.STAGING.value
    state = deps.store.load(EXAMPLE)
    assert state.lifecycles_owed == (OwedLifeCycle(arn(EXAMPLE, 1), STAGING),)
    assert lifecycles.written == []


def test_the_next_change_writes_what_is_owed_with_its_own() -> None:
    deps = memory_deps(EXAMPLE)
    deps.lifecycles = lifecycles = RecordingLifeCycles()
    old = OwedLifeCycle(arn(EXAMPLE, 7), LifeCycle("Archived", "Replaced"))
    before = deps.store.save(GroupState(EXAMPLE, lifecycles_owed=(old,)))
    live = Deployed(1, arn(EXAMPLE, 1), "c", "gate", fixed_clock())
    after = record_lifecycles(before, deps.store.save(replace(before, live=live)), deps)
    assert [written for written, _ in lifecycles.written] == [arn(EXAMPLE, 7), arn(EXAMPLE, 1)]
    assert after.lifecycles_owed == () == deps.store.load(EXAMPLE).lifecycles_owed


def test_a_settled_group_costs_the_reconciler_no_lifecycle_call_and_no_read() -> None:
    store = CountingStore()
    since = fixed_clock() - timedelta(days=2)
    groups = [f"group-{number:03d}" for number in range(150)]
    for group in groups:
        store.states[group] = GroupState(group, 1, live=Deployed(1, arn(group, 1), f"{group}-v1", "gate", since))
    deps = memory_deps(EXAMPLE, store)
    deps.policies, deps.lifecycles = SharedPolicies(groups), (lifecycles := RecordingLifeCycles())
    assert reconcile(deps).settled == len(groups)
    assert (store.calls, lifecycles.written) == (["BatchGetItem"] * 2, [])


def test_the_reconciler_writes_an_owed_lifecycle_with_one_read_one_write_and_one_save() -> None:
    store = CountingStore()
    since = fixed_clock() - timedelta(days=2)
    live = Deployed(1, arn("a", 1), "a-v1", "gate", since)
    owed = OwedLifeCycle(arn("a", 1), LifeCycle("Production", "Approved", "serving production"))
    store.states["a"] = GroupState("a", 1, live=live, lifecycles_owed=(owed,))
    store.states["b"] = GroupState("b", 1, live=replace(live, arn=arn("b", 1)))
    deps = memory_deps(EXAMPLE, store)
    deps.policies, deps.lifecycles = SharedPolicies(["a", "b"]), (lifecycles := RecordingLifeCycles())
    saves = store.save
    saved: list[GroupState] = []

    def save(state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        saved.append(state)
        return saves(state, rows)

    store.save = save  # type: ignore[method-assign]

    assert reconcile(deps).settled == 1  # b: settled; a: looked at for what it owes
    assert store.calls == ["BatchGetItem", "GetItem", "GetItem"]  # the second: the fake save's revision check
    assert lifecycles.written == [(owed.arn, owed.lifecycle)]
    assert [state.lifecycles_owed for state in saved] == [()]
    assert reconcile(deps).settled == 2 and len(lifecycles.written) == 1  # paid once


def test_what_is_owed_survives_a_concurrent_writer() -> None:
    deps = memory_deps(EXAMPLE)
    deps.lifecycles = RecordingLifeCycles(refuse=1)
    before = deps.store.save(GroupState(EXAMPLE))
    live = Deployed(1, arn(EXAMPLE, 1), "c", "gate", fixed_clock())
    after = deps.store.save(replace(before, live=live))
    theirs = OwedLifeCycle(arn(EXAMPLE, 9), LifeCycle("Archived", "Replaced"))
    deps.store.save(replace(after, lifecycles_owed=(theirs,)))  # another invocation moved first

    assert record_lifecycles(before, after, deps) == after  # the caller's state: stale, as it was anyway
    assert [owed.arn for owed in deps.store.load(EXAMPLE).lifecycles_owed] == [theirs.arn, arn(EXAMPLE, 1)]


def test_a_paused_release_continued_is_labelled_where_it_goes_on() -> None:
    world = PausedWorld()
    world.pause()
    deps = world.deps()
    deps.lifecycles = lifecycles = RecordingLifeCycles()
    continue_paused(EXAMPLE, 2, "cli:ana", "the metric exporter was down", deps)
    [(_, lifecycle)] = lifecycles.written
    assert (lifecycle.stage, lifecycle.status) == ("Production", "InProgress")
