"""A group's whole world on the fakes: registry, endpoints, alarms, store, clock, an event queue, AWS faults.

Every port the use cases get is wrapped in `Faulty`, so a fault can be armed on any call. The model reads
the fakes themselves (never through the wrapper) to check its invariants.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.adapters.runtime import failed_invocation
from chalicelib.adapters.state_table.releases import ReleasedVersions
from chalicelib.cleanup.service import CleanupDeps
from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.policy import SmokeTest
from chalicelib.release.ports import FiringAlarm, SweepMark
from chalicelib.release.smoke import Invocation
from chalicelib.release.sweep import SweepDeps
from chalicelib.review.service import ReviewDeps
from chalicelib.review.stored import StoredReviews
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.cleanup import FakeArtifacts, FakeCleanupState
from tests.fakes.endpoints import SettlingEndpoints
from tests.fakes.faults import Faults, Faulty
from tests.fakes.gate import FakeMetrics, RecordingNotifier
from tests.fakes.judge import ScriptedJudge
from tests.fakes.policies import FakePolicies
from tests.fakes.registry import DirectGate, EventedRegistry, MemoryCursor
from tests.fakes.release import MemoryStore, RecordingLifeCycles, passing_body
from tests.fakes.slack import FakeLocks

GROUP = "fraud-detection-models"
STAGING, PRODUCTION = "fraud-detection-staging", "fraud-detection-prod"
ALARMS = ("fraud-detection-prod-5xx", "fraud-detection-prod-latency-p99")
START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LATENCY_CHECK = {"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}
_CONFIG_VERSION = re.compile(r"-v(\d+)-\d{12,14}-(?:[0-9a-z]+-)?(?:stg|prd)$")  # names: chalicelib.release.names


def config_version(config: str | None) -> int | None:
    found = _CONFIG_VERSION.search(config or "")
    return int(found.group(1)) if found else None


def model_policy(manual_promotion: bool = False) -> Policy:
    """The example group's policy, its retention shortened so a short run reaches cleanup; with a manual
    promotion whose reminder and expiry fall inside a run's clock moves."""
    document = json.loads((SOURCE_POLICIES / f"{GROUP}.json").read_text())
    document["retention"] = {"older_than_days": 1, "keep_newest": 1}
    document["slack"]["review_expires_days"] = 0.1  # 2.4 h: a review's reminder and expiry fall inside a run
    if manual_promotion:
        document["release"]["promotion"] = {"mode": "manual", "expires_hours": 6, "remind_after_hours": 1}
    # Judged by its metrics (a judge that passes them): watch windows end only once measured to their end.
    document["release"]["analysis"] = {"checks": [LATENCY_CHECK], "interval_seconds": 300}
    problems = FilePolicyRepository(SOURCE_POLICIES).problems(document, GROUP)
    assert not problems, problems
    return Policy.from_document(document)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class SwitchAlarms:
    """CloudWatch alarms the model switches; each switch into ALARM emits an alarm state-change event."""

    state: dict[str, str] = field(default_factory=lambda: dict.fromkeys(ALARMS, "OK"))
    changed_at: dict[str, datetime] = field(default_factory=dict)
    invocation_count: int = 1000

    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]:
        fired = sorted(name for name in names if self.state.get(name) == "ALARM")
        return tuple(FiringAlarm(name, self.changed_at.get(name)) for name in fired)

    def invocations(self, endpoint: str, variant: str, since: datetime, until: datetime) -> int:
        return self.invocation_count


@dataclass
class ModelInvoker:
    """Staging answers as the version it serves would: a version registered as broken answers nonsense."""

    endpoints: SettlingEndpoints
    broken: set[int] = field(default_factory=set)

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        view = self.endpoints.describe(endpoint)
        if config_version(view.config if view else None) in self.broken:
            return Invocation(200, b'{"predictions": [7.5], "labels": ["maybe"]}', "application/json", 12.0)
        return Invocation(200, passing_body(test), "application/json", 12.0)


@dataclass
class RuntimeFaults:
    """The invoker as RuntimeInvoker answers: an AWS fault on the call is an Invocation that says so."""

    inner: Any

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        try:
            answer: Invocation = self.inner.invoke(endpoint, test)
        except ClientError as error:
            return failed_invocation(error, 0.0)
        return answer


@dataclass(frozen=True)
class Event:
    kind: str  # "package", "endpoint" or "alarm"
    subject: str  # the package ARN, the endpoint or the alarm
    status: str = ""  # a package event's status, as the event carries it
    attempts: int = 0
    at: datetime | None = None  # an alarm event's `detail.state.timestamp`: when the alarm changed state


class World:
    def __init__(self) -> None:
        self.clock = Clock()
        self.faults = Faults()
        self.queue: list[Event] = []
        self.registry = EventedRegistry(
            on_change=lambda arn, status: self.emit(Event("package", arn, status)), clock=self.clock
        )
        self.endpoints = SettlingEndpoints(on_change=lambda name: self.emit(Event("endpoint", name)))
        self.alarms = SwitchAlarms()
        self.store = MemoryStore()
        self.metrics = FakeMetrics()
        self.invoker = ModelInvoker(self.endpoints)
        self.notifier = RecordingNotifier()
        self.policy = model_policy()
        self.policies = FakePolicies({GROUP: self.policy})
        self.cleanup_state = FakeCleanupState()
        self.artifacts = FakeArtifacts()
        self.lifecycles = RecordingLifeCycles()
        self.release = self._release_deps()
        self.locks = FakeLocks()  # the Slack decision lock the review expiry takes
        registry, store = self.faulty(self.registry, "registry"), self.faulty(self.store, "store")
        self.reviews = ReviewDeps(store, registry, self.locks, self.notifier, self.clock)
        self.gate = self._gate_deps()
        self.swept_gate = DirectGate(lambda arn: decide_pending(arn, self.gate))
        installed = MemoryCursor(SweepMark(START))  # the app ran before the group's life began
        self.sweep = SweepDeps(self.faulty(self.registry, "registry"), self.swept_gate, installed)
        self.cleanup = self._cleanup_deps()

    def emit(self, event: Event) -> None:
        self.queue.append(event)

    def faulty(self, inner: Any, port: str) -> Any:
        return Faulty(inner, port, self.faults)

    def _release_deps(self) -> ReleaseDeps:
        return ReleaseDeps(
            self.faulty(self.store, "store"),
            self.faulty(self.endpoints, "endpoints"),
            RuntimeFaults(self.faulty(self.invoker, "invoker")),
            self.faulty(self.alarms, "alarms"),
            self.faulty(self.registry, "registry"),
            self.policies,
            self.notifier,
            self.clock,
            sleep=lambda seconds: None,
            judge=self.faulty(ScriptedJudge(), "judge"),
            lifecycles=self.faulty(self.lifecycles, "lifecycles"),
        )

    def _gate_deps(self) -> GateDeps:
        live = ReleasedVersions(self.faulty(self.store, "store"))
        return GateDeps(
            self.faulty(self.registry, "registry"),
            self.faulty(self.metrics, "metrics"),
            self.policies,
            live,
            self.notifier,
            self.clock,
            reviews=StoredReviews(lambda: self.faulty(self.store, "store")),
        )

    def _cleanup_deps(self) -> CleanupDeps:
        return CleanupDeps(
            registry=self.faulty(self.registry, "registry"),
            artifacts=self.artifacts,
            policies=self.policies,
            protected=ReleasedVersions(self.faulty(self.store, "store")),
            state=self.cleanup_state,
            notifier=self.notifier,
            clock=self.clock,
            reserve_seconds=0,
        )

    def break_policy(self) -> None:
        self.policies.policies[GROUP] = InvalidPolicyError(f"{GROUP}.json does not pass the policy schema: release")

    def fix_policy(self) -> None:
        self.policies.policies[GROUP] = self.policy

    def switch_promotion(self, manual: bool) -> None:
        """The team edits its policy: new releases are promoted by a person (or not); a broken policy stays broken."""
        self.policy = model_policy(manual)
        if self.policy_valid:
            self.fix_policy()

    @property
    def policy_valid(self) -> bool:
        return isinstance(self.policies.policies[GROUP], Policy)

    def production_version(self) -> int | None:
        """The version production serves, when it is InService (None while it moves or is missing)."""
        view = self.endpoints.endpoints.get(PRODUCTION)
        return config_version(view.config) if view and view.status == "InService" else None
