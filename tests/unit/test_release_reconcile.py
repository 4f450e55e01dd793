"""The reconciler over many groups: every group visited whatever one of them raises, settled groups cheap."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.ports import EndpointView
from chalicelib.release.reconcile import reconcile
from chalicelib.release.service import on_approved
from chalicelib.release.state import Deployed, GroupState
from chalicelib.shared.errors import ReconcileIncompleteError
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.release import ApprovedPackages, MemoryEndpoints, MemoryStore, fixed_clock, memory_deps

EXAMPLE = "fraud-detection-models"
PROD = "fraud-detection-prod"
DRIFT_EVERY = 100  # a slower drift cadence, when one is asked for


@dataclass
class SharedPolicies:
    """`names` groups, each with the example policy (same endpoints: enough to count calls)."""

    names: list[str]
    files: FilePolicyRepository = field(default_factory=lambda: FilePolicyRepository(SOURCE_POLICIES))

    def get(self, group: str) -> Policy:
        return self.files.get(EXAMPLE)

    def groups(self) -> list[str]:
        return self.names


@dataclass
class CountingStore(MemoryStore):
    calls: list[str] = field(default_factory=list)
    throttled: set[str] = field(default_factory=set)
    loaded: list[str] = field(default_factory=list)

    def load(self, group: str) -> GroupState:
        self.calls.append("GetItem")
        self.loaded.append(group)
        if group in self.throttled:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "GetItem")
        return super().load(group)

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        self.calls.append("BatchGetItem")
        assert len(groups) <= 100
        return {group: MemoryStore.load(self, group) for group in groups}


@dataclass
class CountingEndpoints(MemoryEndpoints):
    describes: int = 0

    def describe(self, name: str) -> EndpointView | None:
        self.describes += 1
        return super().describe(name)


def arn(group: str, version: int) -> str:
    return f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/{version}"


def test_one_groups_unexpected_aws_error_does_not_stop_the_groups_after_it() -> None:
    store = CountingStore()
    deps = memory_deps(EXAMPLE, store)
    deps.policies = SharedPolicies(["a", "b", "c"])
    for group in ("a", "b", "c"):
        deps.packages = ApprovedPackages(group)
        on_approved(arn(group, 1), deps)  # each in STAGING
    store.throttled, store.loaded = {"b"}, []
    with pytest.raises(ReconcileIncompleteError, match=r"1 group\(s\) failed to reconcile: b: ClientError"):
        reconcile(deps)  # raises after every group ran: the errors alarm sees the run fail
    assert store.loaded[0] == "a" and "b" in store.loaded and store.loaded[-1] == "c"  # c was looked at after b


def test_a_run_over_settled_groups_reads_their_states_a_hundred_at_a_time() -> None:
    store, endpoints = CountingStore(), CountingEndpoints()
    groups = [f"group-{number:04d}" for number in range(1000)]
    since = fixed_clock() - timedelta(days=2)
    for group in groups:  # each live for days, nothing in flight
        store.states[group] = GroupState(group, 1, live=Deployed(1, arn(group, 1), f"{group}-v1", "gate", since))
    deps = memory_deps(EXAMPLE, store, endpoints)
    deps.policies = SharedPolicies(groups)
    answer = reconcile(deps)
    assert store.calls == ["BatchGetItem"] * 10
    assert endpoints.describes == 0  # production's own endpoint events check its drift
    assert answer.settled == len(groups)


def test_with_a_drift_cadence_every_settled_group_is_checked_within_that_many_runs() -> None:
    store, endpoints = CountingStore(), CountingEndpoints()
    groups = [f"group-{number:04d}" for number in range(300)]
    since = fixed_clock() - timedelta(days=2)
    for group in groups:
        store.states[group] = GroupState(group, 1, live=Deployed(1, arn(group, 1), f"{group}-v1", "gate", since))
    deps = memory_deps(EXAMPLE, store, endpoints)
    deps.policies = SharedPolicies(groups)
    checked: set[str] = set()
    for run in range(DRIFT_EVERY):
        deps.clock = lambda run=run: fixed_clock() + timedelta(minutes=5 * run)  # type: ignore[misc]
        checked.update(reconcile(deps, drift_every=DRIFT_EVERY).groups)
    assert checked == set(groups)
    assert endpoints.describes <= len(groups) * 2


def test_production_is_checked_every_run_while_a_refused_restore_may_be_retried() -> None:
    store, endpoints = CountingStore(), CountingEndpoints()
    recent = Deployed(1, arn("a", 1), "a-v1", "gate", fixed_clock() - timedelta(minutes=10))
    store.states["a"] = GroupState("a", 1, live=recent)
    endpoints.endpoints[PROD] = EndpointView("InService", "a-v2")  # the restore was refused
    deps = memory_deps(EXAMPLE, store, endpoints)
    deps.policies = SharedPolicies(["a"])
    assert reconcile(deps).as_dict()["groups"]["a"]["restored"] == 1
    assert endpoints.describe(PROD) == EndpointView("InService", "a-v1")
    endpoints.endpoints[PROD] = EndpointView("InService", "a-v2")
    store.states["a"] = replace(store.states["a"], live=replace(recent, since=fixed_clock() - timedelta(hours=2)))
    assert reconcile(deps).as_dict()["groups"]["a"]["restored"] == 1  # within RESTORE_RETRIES_FOR
    endpoints.endpoints[PROD] = EndpointView("InService", "a-v2")
    store.states["a"] = replace(store.states["a"], live=replace(recent, since=fixed_clock() - timedelta(hours=3)))
    assert reconcile(deps).groups == {}  # past it, the endpoint's events check production
    deps.clock = lambda: fixed_clock() + timedelta(minutes=5 * (1 + not_due("a")))  # not this group's turn
    assert reconcile(deps, drift_every=DRIFT_EVERY).groups == {}


def not_due(group: str) -> int:
    """How many runs from fixed_clock's until the one just before the group's drift slot."""
    slot = zlib.crc32(group.encode()) % DRIFT_EVERY
    now = int(fixed_clock().timestamp() // 300) % DRIFT_EVERY
    return (slot - now - 2) % DRIFT_EVERY


@dataclass
class MovedAfterTheBatch(CountingStore):
    """Another invocation moves `group` on right after the batch read: the batch's view of it is stale."""

    moves: dict[str, GroupState] = field(default_factory=dict)

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        read = super().load_many(groups)
        self.states.update(self.moves)
        self.moves = {}
        return read


def test_a_state_gone_stale_since_the_batch_read_never_sends_production_back() -> None:
    since = fixed_clock() - timedelta(minutes=10)  # recently live: production is checked this run
    v1 = Deployed(1, arn("a", 1), "a-v1", "gate", since - timedelta(minutes=30))
    v2 = Deployed(2, arn("a", 2), "a-v2", "gate", since)
    store, endpoints = MovedAfterTheBatch(), CountingEndpoints()
    store.states["a"] = GroupState("a", 1, live=v1)
    store.moves["a"] = GroupState("a", 2, live=v2, good=(v1,))  # v2 went live meanwhile
    endpoints.endpoints[PROD] = EndpointView("InService", "a-v2")
    deps = memory_deps(EXAMPLE, store, endpoints)
    deps.policies = SharedPolicies(["a"])
    answer = reconcile(deps).as_dict()["groups"]["a"]
    assert "restored" not in answer
    assert endpoints.describe(PROD) == EndpointView("InService", "a-v2")  # v2 keeps serving
