"""In-memory stand-ins for the release engine's ports, one per port: for tests, and for the CPU benchmark,
which measures our code, not AWS."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.policy import Deployment, SmokeTest
from chalicelib.release.ports import BATCH_LOAD, EndpointView, FiringAlarm, PackageApproval
from chalicelib.release.smoke import Invocation
from chalicelib.release.state import GroupState, HistoryRow, LifeCycle
from chalicelib.shared.errors import ConflictError, LifeCycleWriteError
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.gate import RecordingNotifier


@dataclass
class MemoryStore:
    states: dict[str, GroupState] = field(default_factory=dict)
    rows: dict[str, HistoryRow] = field(default_factory=dict)

    def load(self, group: str) -> GroupState:
        return self.states.get(group, GroupState(group))

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        assert len(groups) <= BATCH_LOAD, "one batch read holds at most BATCH_LOAD keys"
        return {group: self.load(group) for group in groups}

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        if self.load(state.group).revision != state.revision:
            raise ConflictError(state.group)
        saved = replace(state, revision=state.revision + 1)
        self.states[state.group] = saved
        self.rows.update((row.key, row) for row in rows)
        return saved

    def history(self, group: str) -> list[HistoryRow]:
        return list(self.rows.values())


@dataclass
class MemoryEndpoints:
    """Endpoints that are InService on a new config at once (like moto), unless told otherwise."""

    endpoints: dict[str, EndpointView] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)  # model name -> the execution role it runs as

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        self.models[name] = role_arn

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        return None

    def describe(self, name: str) -> EndpointView | None:
        return self.endpoints.get(name)

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        self.endpoints[name] = EndpointView("InService", config)

    def delete(self, name: str) -> None:
        self.endpoints.pop(name, None)


def passing_body(test: SmokeTest) -> bytes:
    """What a good model answers the smoke test: a score inside its range (or its first label)."""
    if test.labels:
        return json.dumps({test.field or "predictions": [test.labels[0]]}).encode()
    low = 0.0 if test.minimum is None else test.minimum
    high = 1.0 if test.maximum is None else test.maximum
    return json.dumps({test.field or "predictions": [(low + high) / 2]}).encode()


class GoodAnswers:
    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        return Invocation(200, passing_body(test), "application/json", 12.0)


class QuietAlarms:
    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]:
        return ()

    def invocations(self, endpoint: str, variant: str, since: datetime, until: datetime) -> int:
        return 1000


@dataclass
class ApprovedPackages:
    group: str

    def approval(self, arn: str) -> PackageApproval:
        return PackageApproval(arn, self.group, int(arn.rsplit("/", 1)[1]), "Approved", "model-shepherd gate")


def fixed_clock() -> datetime:
    return datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def memory_deps(group: str, store: MemoryStore | None = None, endpoints: MemoryEndpoints | None = None) -> ReleaseDeps:
    """The release engine on these fakes, with the example policies: every port in memory, the clock fixed."""
    return ReleaseDeps(
        store or MemoryStore(),
        endpoints or MemoryEndpoints(),
        GoodAnswers(),
        QuietAlarms(),
        ApprovedPackages(group),
        FilePolicyRepository(SOURCE_POLICIES),
        RecordingNotifier(),
        fixed_clock,
    )


class UnreadableArrivals:
    """EventArrivals whose table refuses every request (throttled for good, say)."""

    def heard(self, account: str, at: datetime) -> None:
        raise RuntimeError("the state table refused the write")

    def load(self, account: str) -> Any:
        raise RuntimeError("the state table refused the read")

    def suspect(self, account: str, at: datetime) -> bool:
        raise RuntimeError("the state table refused the write")


@dataclass
class RecordingLifeCycles:
    """The LifeCycles port in memory: what was written, in order; `refuse` makes that many next writes fail."""

    written: list[tuple[str, LifeCycle]] = field(default_factory=list)
    refuse: int = 0

    def write(self, arn: str, lifecycle: LifeCycle) -> None:
        if self.refuse:
            self.refuse -= 1
            raise LifeCycleWriteError(f"{arn}: ThrottlingException: Rate exceeded")
        self.written.append((arn, lifecycle))

    def now(self) -> dict[str, LifeCycle]:
        return dict(self.written)
