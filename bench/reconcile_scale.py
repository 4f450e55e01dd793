"""One reconciler run over N settled groups: AWS calls and Lambda time, now vs the sweep it replaced vs before.

Run: .venv/bin/python -m bench.reconcile_scale [--sizes 100 1000 10000] [--latency-ms 2] [--runs 288]
Fakes stand in for DynamoDB and SageMaker (tests/fakes/); each call adds `--latency-ms` of virtual time
(counted, not slept), so "Lambda s" is the run's CPU plus the AWS waits it would make. 1% of the groups
have a release in flight (waiting on staging); every group has one live version in the registry; nothing
changes in the registry. Each mode is measured over `--runs` consecutive runs (a day at one run every 5
minutes, so every staggered check comes round once) and reported per run. Every call counts, the sweep's
cursor too (the real adapter over a counting table: a warm Lambda reads it once; a cold start reads it again):
- `now`: the reconciler with the registry sweep: one account-wide Search a run, the cursor written only
  when it moved; production drift left to endpoint events;
- `old-sweep`: the same reconciler with the sweep it replaced, by its calls: the cursor read and one
  account-wide ListModelPackages a run, plus one ListModelPackages per group audited (each group once
  every 288 runs, staggered by name);
- `no-sweep`: the reconciler without a sweep: what an idle group costs the reconcile itself;
- `before`: no sweep, a staggered DescribeEndpoint per group every 100 runs;
- `per-group`: the first reconciler: an advance (a GetItem), a second GetItem and a DescribeEndpoint per
  group (one run only: it has no stagger).
Bar: 10,000 groups within 60 s of Lambda time; peak memory flat in N; idle groups at most one call per
100 groups per run.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.adapters.state_table.sweep_cursor import DynamoSweepCursor
from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.ports import EndpointView, Listed
from chalicelib.release.reconcile import RUN_EVERY, reconcile
from chalicelib.release.service import advance
from chalicelib.release.state import Deployed, GroupState, HistoryRow, Release, Stage
from chalicelib.release.sweep import SweepDeps
from chalicelib.shared.observability import logger
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.release import MemoryEndpoints, MemoryStore, fixed_clock, memory_deps

EXAMPLE = "fraud-detection-models"
BAR_SECONDS = 60.0
OLD_AUDIT_EVERY = 288  # the replaced sweep audited each group once a day
SWEEP_CALLS = frozenset({"Search", "ListModelPackages", "GetItem(cursor)", "PutItem(cursor)"})


@dataclass
class Calls:
    latency: float
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, operation: str) -> None:
        self.counts[operation] = self.counts.get(operation, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class TimedStore(MemoryStore):
    calls: Calls = field(default_factory=lambda: Calls(0.0))

    def load(self, group: str) -> GroupState:
        self.calls.add("GetItem")
        return super().load(group)

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        self.calls.add("BatchGetItem")
        return {group: MemoryStore.load(self, group) for group in groups}

    def history(self, group: str) -> list[HistoryRow]:
        self.calls.add("Query")
        return []


@dataclass
class TimedSearch:
    """The registry as the sweep searches it: nothing changed in the account."""

    calls: Calls

    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        self.calls.add("Search")
        return iter(())


@dataclass
class CountedTable:
    """The state table as the sweep's cursor uses it: GetItem and PutItem, counted."""

    calls: Calls
    item: dict[str, Any] | None = None

    def get_item(self, **request: Any) -> dict[str, Any]:
        self.calls.add("GetItem(cursor)")
        return {"Item": self.item} if self.item else {}

    def put_item(self, **request: Any) -> None:
        self.calls.add("PutItem(cursor)")
        self.item = request["Item"]


class NoGate:
    def decide_pending(self, arn: str) -> None:
        raise AssertionError("nothing is Pending in this world")


@dataclass
class TimedEndpoints(MemoryEndpoints):
    calls: Calls = field(default_factory=lambda: Calls(0.0))

    def describe(self, name: str) -> EndpointView | None:
        self.calls.add("DescribeEndpoint")
        return super().describe(name)


@dataclass
class ManyGroups:
    names: list[str]
    files: FilePolicyRepository = field(default_factory=lambda: FilePolicyRepository(SOURCE_POLICIES))

    def get(self, group: str) -> Policy:
        return self.files.get(EXAMPLE)

    def groups(self) -> list[str]:
        return self.names


def world(size: int, latency: float, busy: bool = True) -> tuple[ReleaseDeps, SweepDeps, Calls]:
    """N groups with one live version each (1% in flight when busy), and a sweep over a quiet registry."""
    calls = Calls(latency)
    store, endpoints = TimedStore(calls=calls), TimedEndpoints(calls=calls)
    names = [f"group-{number:05d}" for number in range(size)]
    since = fixed_clock() - timedelta(days=3)
    for number, group in enumerate(names):
        live = Deployed(1, f"arn:aws:sagemaker:us-east-1:1:model-package/{group}/1", f"{group}-v1", "gate", since)
        release = None
        if busy and number % 100 == 0:  # in flight: staging still updating
            release = Release(
                group,
                2,
                live.arn[:-1] + "2",
                "gate",
                Stage.STAGING,
                fixed_clock(),
                fixed_clock() + timedelta(minutes=30),
                "m",
                "s",
                "p",
                previous=live,
            )
        store.states[group] = GroupState(group, 1, release=release, live=live)
    endpoints.endpoints["fraud-detection-staging"] = EndpointView("Updating", "s")
    deps = memory_deps(EXAMPLE, store, endpoints)
    deps.policies = ManyGroups(names)
    cursor = DynamoSweepCursor(CountedTable(calls), lambda: "state")  # type: ignore[arg-type]
    return deps, SweepDeps(TimedSearch(calls), NoGate(), cursor), calls


def per_group(deps: ReleaseDeps, sweep: SweepDeps) -> None:
    """The reconciler before batching: every group advanced, re-read and its production described."""
    for group in deps.policies.groups():
        policy = release_policy(group, deps)
        assert policy is not None
        advance(group, deps)
        state = deps.store.load(group)
        if not state.in_flight and state.live is not None:
            deps.endpoints.describe(policy.production.name)


def now(deps: ReleaseDeps, sweep: SweepDeps) -> None:
    reconcile(deps, sweep=sweep)


def old_sweep(deps: ReleaseDeps, sweep: SweepDeps) -> None:
    reconcile(deps)
    calls = sweep.registry.calls  # type: ignore[attr-defined]
    calls.add("GetItem(cursor)")  # read every run
    calls.add("ListModelPackages")  # the versions created since the cursor, account-wide
    run = int(deps.clock().timestamp() // RUN_EVERY.total_seconds())
    for group in deps.policies.groups():
        if zlib.crc32(group.encode()) % OLD_AUDIT_EVERY == run % OLD_AUDIT_EVERY:
            calls.add("ListModelPackages")  # the group's newest page, to find lost approvals and rejections


def no_sweep(deps: ReleaseDeps, sweep: SweepDeps) -> None:
    reconcile(deps)


def before(deps: ReleaseDeps, sweep: SweepDeps) -> None:
    reconcile(deps, drift_every=100)


MODES: dict[str, Callable[[ReleaseDeps, SweepDeps], None]] = {
    "now": now,
    "old-sweep": old_sweep,
    "no-sweep": no_sweep,
    "before": before,
    "per-group": per_group,
}


@dataclass(frozen=True)
class Measured:
    seconds: float  # Lambda time of the slowest run
    calls: Calls  # over every run
    runs: int
    peak: float  # MiB, the largest of any run


def measure(
    size: int, latency: float, run: Callable[[ReleaseDeps, SweepDeps], None], runs: int, busy: bool = True
) -> Measured:
    deps, sweep, calls = world(size, latency, busy)
    start = fixed_clock()
    slowest, peak = 0.0, 0.0
    for number in range(runs):
        deps.clock = lambda number=number: start + RUN_EVERY * number  # type: ignore[misc]
        before_calls = calls.total
        tracemalloc.start()
        started = time.process_time()
        run(deps, sweep)
        cpu = time.process_time() - started
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
        slowest = max(slowest, cpu + (calls.total - before_calls) * latency)
    return Measured(slowest, calls, runs, peak)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--latency-ms", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=288, help="consecutive runs per mode (288: a day)")
    args = parser.parse_args(argv)
    logger.setLevel(logging.ERROR)
    latency = args.latency_ms / 1000
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # metrics print to stdout
        measure(100, latency, now, 1)  # warm-up: the policy schema, imports
        results = []
        for size in args.sizes:
            for name, run in MODES.items():
                runs = 1 if name == "per-group" else args.runs
                idle = measure(size, latency, run, runs, busy=False)  # every group settled: what idling costs
                results.append((size, name, measure(size, latency, run, runs), idle))
    header = f"{'run':<10}{'groups':>7}{'calls/run':>11}{'per 100':>9}{'idle/100':>10}{'slowest s':>11}{'peak MiB':>10}"
    print(f"{header}  calls per run (1% in flight)")
    for size, name, found, idle in results:
        per_run, idle_run = found.calls.total / found.runs, idle.calls.total / idle.runs
        by_operation = {op: round(n / found.runs, 2) for op, n in sorted(found.calls.counts.items())}
        print(
            f"{name:<10}{size:>7}{per_run:>11.1f}{per_run / size * 100:>9.2f}{idle_run / size * 100:>10.2f}"
            f"{found.seconds:>11.2f}{found.peak:>10.2f}  {by_operation}"
        )
    worst = max(found.seconds for _, name, found, _ in results if name == "now")
    print(f"slowest run with the sweep {worst:.2f} s (bar: <= {BAR_SECONDS:.0f} s at 10,000 groups)")
    print("idle calls per 100 groups = (state reads + sweep calls) / groups * 100; a cold start reads the cursor again")
    for size, name, _, idle in results:
        if name in ("now", "old-sweep"):
            swept = sum(n for op, n in idle.calls.counts.items() if op in SWEEP_CALLS)
            reads = idle.calls.total - swept
            print(f"  {name:<10}{size:>7} groups: {reads / idle.runs:.2f} reads + {swept / idle.runs:.2f} sweep a run")


if __name__ == "__main__":
    main()
