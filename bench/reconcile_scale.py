"""One reconciler run over N settled groups: AWS calls and Lambda time, batched vs the per-group look.

Run: .venv/bin/python -m bench.reconcile_scale [--sizes 100 1000 10000] [--latency-ms 2]
Fakes stand in for DynamoDB and SageMaker (tests/fakes/); each call adds `--latency-ms` of virtual time
(counted, not slept), so "Lambda s" is the run's CPU plus the AWS waits it would make. The baseline,
in the same run, is the reconciler as it was: one advance (a GetItem), a second GetItem and a
DescribeEndpoint per group. 1% of the groups have a release in flight (waiting on staging).
Bar: 10,000 groups within 60 s of Lambda time; peak memory flat in N.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.ports import EndpointView
from chalicelib.release.reconcile import reconcile
from chalicelib.release.service import advance
from chalicelib.release.state import Deployed, GroupState, Release, Stage
from chalicelib.shared.observability import logger
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.release import MemoryEndpoints, MemoryStore, fixed_clock, memory_deps

EXAMPLE = "fraud-detection-models"
BAR_SECONDS = 60.0


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


def world(size: int, latency: float) -> tuple[ReleaseDeps, Calls]:
    calls = Calls(latency)
    store, endpoints = TimedStore(calls=calls), TimedEndpoints(calls=calls)
    names = [f"group-{number:05d}" for number in range(size)]
    since = fixed_clock() - timedelta(days=3)
    for number, group in enumerate(names):
        live = Deployed(1, f"arn:aws:sagemaker:us-east-1:1:model-package/{group}/1", f"{group}-v1", "gate", since)
        release = None
        if number % 100 == 0:  # in flight: staging still updating
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
    return deps, calls


def per_group(deps: ReleaseDeps) -> None:
    """The reconciler before batching: every group advanced, re-read and its production described."""
    for group in deps.policies.groups():
        policy = release_policy(group, deps)
        assert policy is not None
        advance(group, deps)
        state = deps.store.load(group)
        if not state.in_flight and state.live is not None:
            deps.endpoints.describe(policy.production.name)


def batched(deps: ReleaseDeps) -> None:
    reconcile(deps)


def measure(size: int, latency: float, run: Callable[[ReleaseDeps], None]) -> tuple[float, Calls, float]:
    deps, calls = world(size, latency)
    tracemalloc.start()
    started = time.process_time()
    run(deps)
    cpu = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cpu + calls.total * latency, calls, peak / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--latency-ms", type=float, default=2.0)
    args = parser.parse_args(argv)
    logger.setLevel(logging.ERROR)
    latency = args.latency_ms / 1000
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # metrics print to stdout
        measure(100, latency, batched)  # warm-up: the policy schema, imports
        results = [
            (size, name, *measure(size, latency, run))
            for size in args.sizes
            for name, run in (("batched", batched), ("per-group", per_group))
        ]
    print(f"{'run':<11}{'groups':>7}{'calls':>8}{'per 100':>9}{'Lambda s':>10}{'peak MiB':>10}  calls by operation")
    for size, name, seconds, calls, peak in results:
        per_hundred = calls.total / size * 100
        print(f"{name:<11}{size:>7}{calls.total:>8}{per_hundred:>9.1f}{seconds:>10.2f}{peak:>10.2f}  {calls.counts}")
    worst = max(seconds for size, name, seconds, _, _ in results if name == "batched")
    print(f"slowest batched run {worst:.2f} s (bar: <= {BAR_SECONDS:.0f} s at 10,000 groups)")


if __name__ == "__main__":
    main()
