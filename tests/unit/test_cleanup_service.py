"""The cleanup service over in-memory fakes: what goes, what stays and why, continuation, concurrency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.cleanup.service import CleanupDeps, run_cleanup
from chalicelib.cleanup.sweep import Deadline
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.model_version import APPROVED, PENDING
from chalicelib.shared.policy import Policy
from tests.fakes.cleanup import (
    FakeArtifacts,
    FakeCleanupRegistry,
    FakeCleanupState,
    FakeProtected,
)
from tests.fakes.gate import RecordingNotifier
from tests.fakes.policies import FakePolicies

NOW = datetime(2026, 6, 1, tzinfo=UTC)
GROUP = "fraud-detection-models"
PLENTY = Deadline(lambda: 600_000.0, reserve_ms=30_000)


def policy(group: str = GROUP, mode: str = "enforce", **retention: Any) -> Policy:
    rules = {"older_than_days": 30, "keep_newest": 2, **retention}
    return Policy.from_document({"group": group, "mode": mode, "floors": {}, "approval": {}, "retention": rules})


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


class World:
    def __init__(self, page_size: int = 100, **retention: Any) -> None:
        self.registry = FakeCleanupRegistry(page_size=page_size)
        self.artifacts = FakeArtifacts()
        self.policies = FakePolicies({GROUP: policy(**retention)})
        self.protected = FakeProtected()
        self.state = FakeCleanupState()
        self.notifier = RecordingNotifier()
        self.owners = iter(f"run-{n}" for n in range(100))

    def deps(self) -> CleanupDeps:
        return CleanupDeps(
            self.registry,
            self.artifacts,
            self.policies,
            self.protected,
            self.state,
            self.notifier,
            clock=lambda: NOW,
            reserve_seconds=30,
            new_owner=lambda: next(self.owners),
        )

    def run(self, deadline: Deadline = PLENTY, dry_run: bool = False) -> dict[str, Any]:
        reports = run_cleanup(self.deps(), deadline, dry_run=dry_run)
        return reports[0].as_dict()

    def remaining(self) -> list[int]:
        return sorted(d.summary.version for d in self.registry.versions.values())

    def rejected(self, count: int, start: int = 1, age_days: float = 100) -> list[str]:
        # Oldest first: version n is (age_days - n) days old.
        return [self.registry.add(GROUP, n, days_ago(age_days - n)) for n in range(start, start + count)]


def test_deletes_old_rejected_and_says_why_each_other_stays() -> None:
    world = World()
    world.rejected(4)  # v1-v4: 99..96 days old
    live = world.registry.add(GROUP, 5, days_ago(90), status=APPROVED)
    world.registry.add(GROUP, 6, days_ago(80), status=PENDING)
    world.registry.add(GROUP, 7, days_ago(10))  # rejected, too young
    world.registry.add(GROUP, 8, days_ago(5))  # rejected, too young
    protected = world.registry.add(GROUP, 9, days_ago(95))  # rejected, but the rollback target
    world.protected.arns[GROUP] = frozenset({live, protected})

    report = world.run()

    # newest two rejected are v8 and v7 (kept as too young anyway); v1-v4 are old and unprotected.
    assert report["deleted"]["versions"] == [1, 2, 3, 4]
    assert report["kept"]["protected"]["versions"] == [9]
    assert world.remaining() == [5, 6, 7, 8, 9]
    assert report["complete"] is True
    assert report["failures"]["count"] == 0


def test_keeps_the_newest_rejected_even_when_old() -> None:
    world = World(keep_newest=3)
    world.rejected(5)
    report = world.run()
    assert report["deleted"]["versions"] == [1, 2]
    assert report["kept"]["newest-rejected"]["versions"] == [3, 4, 5]


def test_dry_run_lists_what_would_go_and_changes_nothing() -> None:
    world = World()
    world.rejected(5)
    report = world.run(dry_run=True)
    assert report["dry_run"] is True
    assert report["deleted"]["versions"] == [1, 2, 3]
    assert world.remaining() == [1, 2, 3, 4, 5]
    assert world.registry.calls["delete"] == 0
    assert world.state.writes == 0  # no lease, no checkpoint
    (sent,) = world.notifier.sent
    assert sent.attributes == {"type": "cleanup.summary", "group": GROUP, "dry_run": "true"}
    assert "would delete 3" in sent.text


def test_policy_in_dry_run_mode_makes_the_cleanup_a_dry_run() -> None:
    world = World()
    world.policies.policies[GROUP] = policy(mode="dry-run")
    world.rejected(4)
    assert world.run()["dry_run"] is True
    assert world.remaining() == [1, 2, 3, 4]


def test_group_without_retention_or_policy_is_not_touched_and_nobody_is_told() -> None:
    world = World()
    world.policies.policies = {GROUP: Policy.from_document({"group": GROUP, "floors": {}, "approval": {}})}
    world.rejected(3)
    reports = run_cleanup(world.deps(), PLENTY, groups=[GROUP, "no-such-group"])
    assert [r.skipped for r in reports] == [
        "the policy has no retention section: not touched",
        "no policy: not touched",
    ]
    assert world.remaining() == [1, 2, 3]
    assert world.notifier.sent == []


def test_invalid_policy_deletes_nothing_and_is_reported() -> None:
    world = World()
    world.policies.policies[GROUP] = InvalidPolicyError("retention/keep_newest: -1 is less than 0")
    world.rejected(3)
    report = world.run()
    assert world.remaining() == [1, 2, 3]
    assert "policy is invalid" in report["failures"]["items"][0]["error"]
    assert len(world.notifier.sent) == 1


def test_nothing_to_delete_sends_no_summary() -> None:
    world = World()
    world.rejected(2)  # both among the newest two
    report = world.run()
    assert report["deleted"]["count"] == 0
    assert world.notifier.sent == []


def test_pages_through_every_page() -> None:
    world = World(page_size=3, keep_newest=0)
    world.rejected(10)
    report = world.run()
    assert report["deleted"]["count"] == 10
    assert world.registry.calls["list"] == 4  # ceil(10 / 3)
    assert world.remaining() == []


def test_stops_before_the_time_limit_and_the_next_run_continues() -> None:
    world = World(page_size=3, keep_newest=0)
    world.rejected(10)
    # The Lambda has time for four deletes, then is within its reserve.
    tight = Deadline(lambda: 0.0 if world.registry.calls["delete"] >= 4 else 600_000.0, reserve_ms=30_000)

    first = world.run(tight)

    assert first["complete"] is False
    assert first["deleted"]["versions"] == [1, 2, 3, 4]
    assert world.state.cursor(GROUP) == days_ago(100 - 4)  # the checkpoint: v4's creation time
    assert "continues next run" in world.notifier.sent[0].text

    second = world.run()
    assert second["complete"] is True
    assert second["deleted"]["versions"] == [5, 6, 7, 8, 9, 10]
    assert world.registry.calls["delete"] == 10  # nothing deleted twice
    assert world.state.cursor(GROUP) is None  # finished: the next run starts from the beginning


def test_a_second_run_while_the_first_holds_the_group_skips_it() -> None:
    world = World(keep_newest=0)
    world.rejected(5)
    second: dict[str, Any] = {}

    def start_another_run(arn: str) -> None:
        if not second:
            second.update(world.run())

    world.registry.on_describe = start_another_run
    first = world.run()

    assert second["skipped"] == "another cleanup run is working on this group"
    assert second["deleted"]["count"] == 0
    assert first["deleted"]["count"] == 5
    assert world.registry.calls["delete"] == 5
    assert first["failures"]["count"] == 0


def test_version_deleted_by_someone_else_mid_run_is_already_gone_not_a_failure() -> None:
    world = World(keep_newest=0)
    arns = world.rejected(3)
    world.registry.on_describe = lambda arn: world.registry.versions.pop(arns[1], None)
    report = world.run()
    assert report["already_gone"]["versions"] == [2]
    assert report["deleted"]["versions"] == [1, 3]
    assert report["failures"]["count"] == 0


def test_version_approved_mid_run_is_re_checked_and_kept() -> None:
    world = World(keep_newest=0)
    arns = world.rejected(3)

    def approve_v2(arn: str) -> None:
        if arn == arns[1]:
            world.registry.set_status(arn, APPROVED)  # someone clicks Approve after the listing

    world.registry.on_describe = approve_v2
    report = world.run()
    assert report["kept"]["not-rejected"]["versions"] == [2]
    assert world.remaining() == [2]


def test_a_failed_delete_is_reported_and_the_run_keeps_going() -> None:
    world = World(keep_newest=0)
    arns = world.rejected(4)
    world.registry.failing[arns[1]] = "ThrottlingException: Rate exceeded"
    report = world.run()
    assert report["deleted"]["versions"] == [1, 3, 4]
    assert report["failures"]["items"] == [{"version": 2, "error": "ThrottlingException: Rate exceeded"}]
    assert "1 failure(s)" in world.notifier.sent[0].text


def test_listing_that_fails_keeps_progress_and_frees_the_group() -> None:
    world = World(page_size=2, keep_newest=0)
    world.rejected(6)
    world.registry.fail_listing_after_pages = 2
    report = world.run()
    assert report["deleted"]["versions"] == [1, 2, 3, 4]
    assert "stopped early, continues next run" in report["failures"]["items"][0]["error"]
    assert world.state.cursor(GROUP) == days_ago(100 - 4)
    world.registry.fail_listing_after_pages = None
    assert world.run()["deleted"]["versions"] == [5, 6]  # the lease was released: the next run goes on


def test_artifacts_go_only_when_the_policy_asks_and_never_a_protected_versions() -> None:
    world = World(keep_newest=0, delete_artifacts=True)
    shared_model = "s3://my-bucket/models/shared/model.tar.gz"
    world.registry.add(GROUP, 1, days_ago(90), artifacts=("s3://my-bucket/models/v1/model.tar.gz", shared_model))
    world.registry.add(GROUP, 2, days_ago(80), artifacts=("s3://my-bucket/models/v2/metrics.json",))
    live = world.registry.add(GROUP, 3, days_ago(70), status=APPROVED, artifacts=(shared_model,))
    world.protected.arns[GROUP] = frozenset({live})
    world.artifacts.failing.add("s3://my-bucket/models/v2/metrics.json")

    report = world.run()

    assert world.artifacts.deleted == ["s3://my-bucket/models/v1/model.tar.gz"]
    assert report["deleted"]["versions"] == [1, 2]
    assert report["failures"]["items"][0]["version"] == 2
    assert "artifact not deleted" in report["failures"]["items"][0]["error"]


def test_artifacts_stay_by_default() -> None:
    world = World(keep_newest=0)
    world.registry.add(GROUP, 1, days_ago(90), artifacts=("s3://my-bucket/models/v1/model.tar.gz",))
    world.run()
    assert world.remaining() == []
    assert world.artifacts.deleted == []


@pytest.mark.parametrize("status", [APPROVED, PENDING])
def test_never_deletes_approved_or_pending_however_old(status: str) -> None:
    world = World(keep_newest=0)
    world.registry.add(GROUP, 1, days_ago(1000), status=status)
    report = world.run()
    assert world.remaining() == [1]
    assert report["deleted"]["count"] == 0


def test_a_run_whose_lease_ran_out_stops_quietly_and_leaves_the_group_to_the_new_holder() -> None:
    world = World(page_size=2, keep_newest=0)
    world.rejected(6)

    def lease_taken_over(arn: str) -> None:
        world.state.items[GROUP]["owner"] = "a-later-run"  # our lease expired; another run acquired it

    world.registry.on_describe = lease_taken_over
    report = world.run()

    assert report["skipped"] == "stopped: cleanup of fraud-detection-models: the lease was lost to another run"
    assert report["deleted"]["versions"] == [1, 2]  # the first page; its checkpoint write found the lease gone
    assert report["failures"]["count"] == 0
    assert world.state.items[GROUP]["owner"] == "a-later-run"
