"""The interfaces the release engine depends on (beside chalicelib.shared.ports). Adapters implement them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec
from chalicelib.release.policy import Deployment, SmokeTest
from chalicelib.release.smoke import Invocation
from chalicelib.release.state import GroupState, HistoryRow


@dataclass(frozen=True)
class EndpointView:
    status: str
    config: str | None
    failure: str | None = None
    serverless: bool | None = None  # what its variant runs on; None while SageMaker does not say yet
    modified_at: datetime | None = None  # its LastModifiedTime: when it last changed status or config


@dataclass(frozen=True)
class PackageApproval:
    arn: str
    group: str
    version: int
    status: str
    approved_by: str
    metrics: str | None = None  # the gate's `shepherd:metrics` snapshot, carried to the live record
    metrics_uri: str | None = None  # the metrics document, when there is no snapshot


BATCH_LOAD = 100  # DynamoDB BatchGetItem's limit of keys per request


class ReleaseStore(Protocol):
    def load(self, group: str) -> GroupState: ...

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        """Up to BATCH_LOAD groups' states in one read (a group never saved comes back as GroupState(group))."""
        ...

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        """Writes `state` if the stored revision is still `state.revision`; ConflictError otherwise."""
        ...

    def history(self, group: str) -> list[HistoryRow]: ...


class Endpoints(Protocol):
    def create_model(self, name: str, package_arn: str, role_arn: str) -> None: ...

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None: ...

    def describe(self, name: str) -> EndpointView | None: ...

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        """Create the endpoint if there is none, else UpdateEndpoint (blue/green as `deployment` says, if given)."""
        ...

    def delete(self, name: str) -> None:
        """DeleteEndpoint: the only thing SageMaker accepts for a Failed endpoint."""
        ...


class Invoker(Protocol):
    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation: ...


class AsyncInvoker(Protocol):
    def invoke(self, endpoint: str, test: SmokeTest, asynchronous: AsyncSpec) -> Invocation:
        """InvokeEndpointAsync with the test's body, then its answer read where the endpoint writes it."""
        ...


@dataclass(frozen=True)
class FiringAlarm:
    name: str
    since: datetime | None = None  # when it went into ALARM (StateUpdatedTimestamp), not when we looked


class Alarms(Protocol):
    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]: ...

    def invocations(self, endpoint: str, variant: str, since: datetime, until: datetime) -> int: ...


class Packages(Protocol):
    def approval(self, arn: str) -> PackageApproval: ...


# --- the registry sweep: what makes up for a lost package event ---
@dataclass(frozen=True)
class Listed:
    """One version as the registry's search returns it (the use cases read the package again)."""

    arn: str
    group: str
    version: int
    status: str
    changed: datetime  # its last change: registration or a status change (LastModifiedTime, else CreationTime)


class RegistryListing(Protocol):
    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        """The account's versions registered or changed at or after `since`, least recently changed first, by page."""
        ...


class PendingGate(Protocol):
    def decide_pending(self, arn: str) -> None:
        """The gate's use case for a Pending version, at most once (a decided version is left alone)."""
        ...


@dataclass(frozen=True)
class SweepMark:
    """How far the registry sweep got: every change before `at` was handed on (or given up on). The search
    starts a margin before `at` (its index may lag), so the changes handed on since then are named in `seen`
    (chalicelib.release.sweep.change_key) and not handed on twice."""

    at: datetime
    seen: frozenset[str] = frozenset()
    held_since: datetime | None = None  # since when a failing hand-off has held the cursor here


class SweepCursor(Protocol):
    def load(self) -> SweepMark | None: ...

    def save(self, mark: SweepMark) -> None: ...
