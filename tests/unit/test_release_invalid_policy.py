"""An invalid policy holds new releases visibly and never freezes the one in flight (fakes, no moto)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.ports import EndpointView, FiringAlarm
from chalicelib.release.reactions import on_alarm_firing
from chalicelib.release.reconcile import reconcile
from chalicelib.release.results import Queued
from chalicelib.release.service import advance, on_approved
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.fakes.gate import RecordingNotifier
from tests.fakes.release import MemoryEndpoints, QuietAlarms, fixed_clock, memory_deps

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"
BROKEN = InvalidPolicyError(f"{GROUP}.json does not pass the policy schema: 'floors' is a required property")


@dataclass
class BreakablePolicies:
    """The example policies, until `broken` is set: then the group's policy fails the schema."""

    broken: InvalidPolicyError | None = None
    files: FilePolicyRepository = field(default_factory=lambda: FilePolicyRepository(SOURCE_POLICIES))

    def get(self, group: str) -> Policy:
        if self.broken is not None:
            raise self.broken
        return self.files.get(group)

    def groups(self) -> list[str]:
        return [GROUP]


@dataclass
class Clock:
    now: datetime = field(default_factory=fixed_clock)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class FiringAlarms(QuietAlarms):
    alarms: tuple[str, ...] = ()

    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]:
        return tuple(FiringAlarm(name) for name in self.alarms)


def world() -> tuple[ReleaseDeps, BreakablePolicies, Clock]:
    deps = memory_deps(GROUP)
    policies, clock = BreakablePolicies(), Clock()
    deps.policies, deps.clock = policies, clock
    return deps, policies, clock


def release_to_watching(version: int, deps: ReleaseDeps) -> None:
    on_approved(ARN + str(version), deps)  # staging deployed (InService at once)
    advance(GROUP, deps)  # smoke tests pass, production deployed
    advance(GROUP, deps)  # production InService on the new config: watching


def v1_live() -> tuple[ReleaseDeps, BreakablePolicies, Clock]:
    deps, policies, clock = world()
    release_to_watching(1, deps)
    clock.advance(61)
    advance(GROUP, deps)
    assert deps.store.load(GROUP).live is not None
    return deps, policies, clock


def kinds(deps: ReleaseDeps) -> list[str]:
    assert isinstance(deps.notifier, RecordingNotifier)
    return [notification.kind for notification in deps.notifier.sent]


def stage(deps: ReleaseDeps) -> str:
    release = deps.store.load(GROUP).release
    assert release is not None
    return f"v{release.version} {release.stage.value}"


def test_a_release_stuck_in_production_still_fails_its_deadline_and_restores_v1_under_an_invalid_policy() -> None:
    deps, policies, clock = v1_live()
    v1_config = deps.endpoints.describe(PROD)
    assert v1_config is not None
    on_approved(ARN + "2", deps)
    advance(GROUP, deps)  # production update started
    assert isinstance(deps.endpoints, MemoryEndpoints)
    deps.endpoints.endpoints[PROD] = EndpointView("Updating", v1_config.config)  # and never settles
    policies.broken = BROKEN
    clock.advance(91)
    reconcile(deps)
    assert stage(deps) == "v2 FAILED"
    assert deps.endpoints.describe(PROD) == EndpointView("InService", v1_config.config)  # back on v1
    assert "release.failed" in kinds(deps) and "policy.invalid" in kinds(deps)


def test_an_alarm_in_the_watch_window_still_rolls_back_under_an_invalid_policy() -> None:
    deps, policies, _ = v1_live()
    release_to_watching(2, deps)
    policies.broken = BROKEN
    deps.alarms = FiringAlarms(alarms=("fraud-detection-prod-5xx",))
    on_alarm_firing("fraud-detection-prod-5xx", deps)
    assert stage(deps) == "v2 ROLLED_BACK"


def test_an_approved_version_waits_queued_with_the_reason_and_starts_once_the_policy_is_fixed() -> None:
    deps, policies, _ = v1_live()
    policies.broken = BROKEN
    result = on_approved(ARN + "2", deps)
    assert isinstance(result, Queued) and "policy is invalid" in result.waiting
    state = deps.store.load(GROUP)
    assert state.queued is not None and state.queued.version == 2 and not state.in_flight
    reconcile(deps)
    assert deps.store.load(GROUP).queued is not None  # still waiting: nothing starts under an invalid policy
    policies.broken = None
    reconcile(deps)
    assert stage(deps) == "v2 STAGING"


def test_a_first_version_waits_too_when_no_valid_policy_was_ever_seen() -> None:
    deps, policies, _ = world()
    policies.broken = BROKEN
    assert isinstance(on_approved(ARN + "1", deps), Queued)
    assert advance(GROUP, deps).as_dict()["waiting"].startswith(f"{GROUP}.json does not pass")
    policies.broken = None
    advance(GROUP, deps)
    assert stage(deps) == "v1 STAGING"


def test_an_invalid_policy_is_reported_once_per_problem_not_every_tick() -> None:
    deps, policies, clock = v1_live()
    on_approved(ARN + "2", deps)  # in flight: the reconciler looks at the group on every run
    policies.broken = BROKEN
    for _ in range(5):
        clock.advance(5)
        reconcile(deps)
    assert kinds(deps).count("policy.invalid") == 1
    policies.broken = InvalidPolicyError(f"{GROUP}.json is not readable JSON")  # a different problem
    reconcile(deps)
    clock.advance(61)
    reconcile(deps)  # the same problem an hour on: reported again
    assert kinds(deps).count("policy.invalid") == 3
