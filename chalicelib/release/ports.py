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
    """One version as ListModelPackages summarises it (no metadata: the use cases read the package again)."""

    arn: str
    group: str
    version: int
    status: str
    created: datetime


class RegistryListing(Protocol):
    def created_since(self, after: datetime, before: datetime) -> Iterator[list[Listed]]:
        """The account's versioned packages created at or after `after` and before `before`, oldest first, by page."""
        ...

    def newest(self, group: str) -> list[Listed]:
        """The group's newest versions, any status, newest first: one ListModelPackages page."""
        ...


class PendingGate(Protocol):
    def decide_pending(self, arn: str) -> None:
        """The gate's use case for a Pending version, at most once (a decided version is left alone)."""
        ...


@dataclass(frozen=True)
class SweepMark:
    """How far the registration sweep got: every version created before `at`, and those at `at` named here
    (several versions can share one CreationTime, and the next listing starts at that instant again)."""

    at: datetime
    arns: frozenset[str] = frozenset()
    held_since: datetime | None = None  # since when a failing hand-off has held the cursor here


class SweepCursor(Protocol):
    def load(self) -> SweepMark | None: ...

    def save(self, mark: SweepMark) -> None: ...
