"""A smoke-test outcome must be recorded even when a newer version of the group was approved while the
tests ran (its admission writes the group first, so the outcome's write loses the conditional write)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.policy import SmokeTest
from chalicelib.release.service import advance, on_approved
from chalicelib.release.smoke import Invocation
from chalicelib.release.state import GroupState, Stage
from tests.fakes.gate import RecordingNotifier
from tests.fakes.policies import FakePolicies
from tests.fakes.release import (
    ApprovedPackages,
    GoodAnswers,
    MemoryEndpoints,
    MemoryStore,
    QuietAlarms,
    fixed_clock,
    passing_body,
)
from tests.support.policies import example_document, example_policy

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
MANUAL = {"mode": "manual", "expires_hours": 72, "remind_after_hours": 24}


@dataclass
class ApprovedMeanwhile:
    """Staging answers (passing, or failing with `status`); during the first call, `version` is approved."""

    version: int
    status: int = 200
    deps: ReleaseDeps | None = None
    approved: list[int] = field(default_factory=list)

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        if self.deps is not None and not self.approved:
            self.approved.append(self.version)
            on_approved(ARN + str(self.version), self.deps)  # another invocation, while the tests run
        return Invocation(self.status, passing_body(test), "application/json", 12.0)


def world(invoker: ApprovedMeanwhile, manual: bool = False) -> ReleaseDeps:
    release = {**example_document()["release"], **({"promotion": MANUAL} if manual else {})}
    deps = ReleaseDeps(
        MemoryStore(),
        MemoryEndpoints(),
        GoodAnswers(),
        QuietAlarms(),
        ApprovedPackages(GROUP),
        FakePolicies({GROUP: example_policy(release=release)}),
        RecordingNotifier(),
        fixed_clock,
    )
    on_approved(ARN + "1", deps)  # v1 in STAGING; staging InService at once
    deps.invoker, invoker.deps = invoker, deps
    return deps


def outcomes(deps: ReleaseDeps) -> dict[int, list[str]]:
    rows = sorted(deps.store.history(GROUP), key=lambda row: row.key)
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(row.version, []).append(row.outcome)
    return found


def state(deps: ReleaseDeps) -> GroupState:
    return deps.store.load(GROUP)


def test_smoke_tests_passing_while_a_newer_version_was_approved_send_the_older_on_and_queue_the_newer() -> None:
    deps = world(ApprovedMeanwhile(2))
    advance(GROUP, deps)  # staging InService: smoke tests run; v2 is approved meanwhile
    now = state(deps)
    assert now.release is not None and now.release.version == 1
    assert now.release.stage in (Stage.PRODUCTION, Stage.WATCHING)  # the passing outcome was applied
    assert now.queued is not None and now.queued.version == 2


def test_smoke_tests_failing_while_a_newer_version_was_approved_fail_the_older_and_start_the_newer() -> None:
    deps = world(ApprovedMeanwhile(2, status=500))
    advance(GROUP, deps)
    assert outcomes(deps)[1] == [Stage.FAILED.value]
    now = state(deps)
    assert now.release is not None and now.release.version == 2 and now.queued is None


def test_under_manual_promotion_a_passing_older_version_is_superseded_with_its_outcome_and_the_newer_starts() -> None:
    deps = world(ApprovedMeanwhile(2), manual=True)
    advance(GROUP, deps)
    row = next(row for row in deps.store.history(GROUP) if row.version == 1)
    assert row.outcome == Stage.SUPERSEDED.value and "smoke tests passed" in row.reason
    now = state(deps)
    assert now.release is not None and now.release.version == 2 and now.queued is None
