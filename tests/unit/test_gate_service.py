"""The gate use case with in-memory fakes: what it reads, writes and tells, and when it holds back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.adapters.notifiers import FanOutNotifier
from chalicelib.gate.ports import KnownChampion
from chalicelib.gate.result import GateResult
from chalicelib.gate.service import GateDeps, decide_pending
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED, ModelVersion
from chalicelib.shared.policy import Policy
from tests.fakes.gate import (
    FailingNotifier,
    FakeLiveVersions,
    FakeMetrics,
    FakeRegistry,
    RecordingNotifier,
)
from tests.fakes.policies import FakePolicies
from tests.support.policies import example_policy

GROUP = "fraud-detection-models"
GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "latency_p99_ms": 42}


def arn(version: int) -> str:
    return f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"


class World:
    def __init__(self, policy: Policy | None = None) -> None:
        self.registry = FakeRegistry()
        self.metrics = FakeMetrics()
        self.notifier = RecordingNotifier()
        self.live = FakeLiveVersions()
        self.policies = FakePolicies({GROUP: policy or example_policy()})

    def version(self, number: int, metrics: dict[str, Any] | None, status: str = PENDING, **extra: Any) -> str:
        uri = f"s3://my-bucket/v{number}.json"
        if metrics is not None:
            self.metrics.documents[uri] = json.dumps(metrics).encode()
        self.registry.add(ModelVersion(arn(number), GROUP, number, status, metrics_uri=uri, **extra))
        return arn(number)

    def deps(self, **overrides: Any) -> GateDeps:
        values: dict[str, Any] = {
            "registry": self.registry,
            "metrics": self.metrics,
            "policies": self.policies,
            "live": self.live,
            "notifier": self.notifier,
            "clock": lambda: datetime(2026, 11, 26, tzinfo=UTC),
        }
        return GateDeps(**{**values, **overrides})

    def decide(self, version_arn: str, **overrides: Any) -> GateResult:
        return decide_pending(version_arn, self.deps(**overrides))


def test_approves_and_records_the_decision_on_the_package() -> None:
    world = World()
    result = world.decide(world.version(1, GOOD, metadata={"training_job": "j1"}))
    stored = world.registry.versions[arn(1)]
    assert (result.outcome, stored.status) == ("approve", APPROVED)
    assert stored.metadata["training_job"] == "j1"
    assert stored.approval_description and "auc 0.95 >= 0.9 ok" in stored.approval_description
    assert [n.body["outcome"] for n in world.notifier.sent] == ["approve"]


def test_the_live_version_is_the_champion_over_a_newer_approved_one() -> None:
    world = World()
    world.version(1, {**GOOD, "auc": 0.96}, status=APPROVED)  # live, strong
    world.version(2, {**GOOD, "auc": 0.90}, status=APPROVED)  # newer approved, weak
    world.live.live_by_group[GROUP] = arn(1)
    result = world.decide(world.version(3, {**GOOD, "auc": 0.955}))
    assert result.outcome == "review"
    assert any("vs champion 0.96" in reason for reason in result.reasons)


def test_a_recorded_snapshot_spares_reading_the_champions_metrics() -> None:
    world = World()
    world.decide(world.version(1, GOOD))
    world.metrics.reads.clear()
    world.decide(world.version(2, {**GOOD, "auc": 0.96}))
    assert world.metrics.reads == ["s3://my-bucket/v2.json"]


@pytest.mark.parametrize("status", [APPROVED, REJECTED])
def test_a_version_no_longer_pending_is_left_alone(status: str) -> None:
    world = World()
    result = world.decide(world.version(1, GOOD, status=status))
    assert result.outcome is None and result.skipped is not None and status in result.skipped
    assert world.notifier.sent == [] and "record_decision" not in world.registry.calls


def test_a_group_without_policy_is_not_touched() -> None:
    world = World()
    world.policies.policies.clear()
    result = world.decide(world.version(1, GOOD))
    assert result.skipped is not None and "has no policy" in result.skipped
    assert world.registry.versions[arn(1)].status == PENDING and world.notifier.sent == []
    assert world.registry.calls == []  # not even read: the gate's role reaches only the groups with a policy


def test_a_group_with_capitals_is_found_by_its_lower_case_arn() -> None:
    """SageMaker writes a package's ARN in lower case: the group's policy is still found, and the version decided."""
    world, group = World(), "Fraud-Detection-Models"
    world.policies = FakePolicies({group: replace(example_policy(), group=group)})
    lower = arn(1)
    world.metrics.documents["s3://my-bucket/v1.json"] = json.dumps(GOOD).encode()
    world.registry.add(ModelVersion(lower, group, 1, PENDING, metrics_uri="s3://my-bucket/v1.json"))
    result = world.decide(lower)
    assert result.skipped is None and result.outcome is not None, result


def test_an_invalid_policy_sends_the_version_to_review_saying_why() -> None:
    world = World()

    broken = InvalidPolicyError("fraud-detection-models.json does not pass the policy schema: floors: bad")
    result = world.decide(world.version(1, GOOD), policies=FakePolicies({GROUP: broken}))
    stored = world.registry.versions[arn(1)]
    assert (result.outcome, stored.status) == ("review", PENDING)
    assert stored.approval_description and "policy is invalid" in stored.approval_description


def test_missing_metrics_document_goes_to_review() -> None:
    world = World()
    result = world.decide(world.version(1, None))
    assert result.outcome == "review"
    assert "cannot read s3://my-bucket/v1.json" in result.reasons[0]


def test_a_version_without_a_metrics_uri_goes_to_review() -> None:
    world = World()
    world.registry.add(ModelVersion(arn(1), GROUP, 1, PENDING, metrics_uri=None))
    assert "no ModelMetrics" in world.decide(arn(1)).reasons[0]


def test_dry_run_decides_and_notifies_but_changes_nothing() -> None:
    world = World(example_policy(mode="dry-run"))
    result = world.decide(world.version(1, GOOD))
    assert (result.outcome, result.applied) == ("approve", False)
    assert world.registry.versions[arn(1)].status == PENDING
    assert world.notifier.sent[0].body["dry_run"] is True
    assert "dry-run" in world.notifier.sent[0].text


def test_a_failed_notification_never_blocks_or_reverts_the_decision() -> None:
    world = World()
    recorded = RecordingNotifier()
    notifier = FanOutNotifier([("slack", FailingNotifier()), ("sns", recorded)])
    result = world.decide(world.version(1, GOOD), notifier=notifier)
    assert result.outcome == "approve"
    assert world.registry.versions[arn(1)].status == APPROVED
    assert len(recorded.sent) == 1  # the other channel still got it


def test_deciding_again_after_a_decision_is_a_no_op() -> None:
    world = World()
    world.policies.policies[GROUP] = example_policy()
    version_arn = world.version(1, {**GOOD, "auc": 0.85})  # review: stays pending
    world.decide(version_arn)
    again = world.decide(version_arn)
    assert again.skipped is not None and "already decided" in again.skipped
    assert len(world.notifier.sent) == 1


def test_the_candidate_is_never_its_own_champion() -> None:
    world = World()
    version_arn = world.version(1, GOOD)
    world.live.live_by_group[GROUP] = version_arn
    assert world.decide(version_arn).outcome == "approve"


def test_a_live_champion_with_a_snapshot_costs_no_registry_or_s3_read() -> None:
    world = World()
    world.version(1, {**GOOD, "auc": 0.96}, status=APPROVED)
    world.live.live_by_group[GROUP] = arn(1)
    world.live.snapshots[arn(1)] = json.dumps({**GOOD, "auc": 0.96})
    candidate = world.version(2, {**GOOD, "auc": 0.97})
    world.registry.calls.clear()
    result = world.decide(candidate)
    assert result.outcome == "approve"
    assert any("beats v1 (live)" in reason for reason in result.reasons)
    assert world.registry.calls == ["get_version", "record_decision"]  # the candidate only
    assert world.metrics.reads == ["s3://my-bucket/v2.json"]


def test_a_live_snapshot_missing_a_policy_metric_falls_back_to_the_registry() -> None:
    world = World()
    world.version(1, {**GOOD, "auc": 0.96}, status=APPROVED)
    world.live.live_by_group[GROUP] = arn(1)
    world.live.snapshots[arn(1)] = json.dumps({"auc": 0.96})
    result = world.decide(world.version(2, {**GOOD, "auc": 0.97}))
    assert result.outcome == "approve"
    assert "s3://my-bucket/v1.json" in world.metrics.reads


def test_a_champion_known_only_by_its_metrics_uri_costs_one_s3_read_and_no_registry_read() -> None:
    world = World()
    world.version(1, {**GOOD, "auc": 0.96}, status=APPROVED)

    class EngineKnowsNewestApproved:
        def champion(self, group: str) -> KnownChampion | None:
            return KnownChampion(arn(1), live=False, metrics_uri="s3://my-bucket/v1.json")

        def live_arn(self, group: str) -> str | None:
            return None

    candidate = world.version(2, {**GOOD, "auc": 0.97})
    world.registry.calls.clear()
    result = world.decide(candidate, live=EngineKnowsNewestApproved())
    assert any("beats v1 (newest approved)" in reason for reason in result.reasons)
    assert world.registry.calls == ["get_version", "record_decision"]
    assert world.metrics.reads == ["s3://my-bucket/v2.json", "s3://my-bucket/v1.json"]


def test_a_package_carrying_48_team_keys_is_still_decided_and_people_are_told_what_was_left_out() -> None:
    world = World()
    team = {f"team_key_{i}": f"value {i}" for i in range(48)}
    result = world.decide(world.version(1, GOOD, metadata=team))
    stored = world.registry.versions[arn(1)]
    assert (result.outcome, stored.status) == ("approve", APPROVED)
    assert {key: stored.metadata[key] for key in team} == team and len(stored.metadata) == 50
    assert stored.metadata["shepherd:outcome"] == "approve"
    assert "not recorded in the package's metadata" in (stored.approval_description or "")
    assert "shepherd:metrics" in world.notifier.sent[0].body["reasons"][0]


@pytest.mark.parametrize("on_invalid", ["review", "reject"])
def test_a_metric_written_as_a_string_is_reported_as_a_string_and_never_approved(on_invalid: str) -> None:
    policy = Policy.from_document({**example_policy().document, "on_invalid_metrics": on_invalid})
    world = World(policy)
    result = decide_pending(world.version(1, {**GOOD, "auc": "0.95"}), world.deps())
    assert result.outcome is not None and result.outcome.value == on_invalid
    assert any('auc is a string ("0.95"), not a number' in reason for reason in result.reasons), result.reasons
    assert not any("metrics missing" in reason for reason in result.reasons), result.reasons
    assert world.registry.versions[arn(1)].status == (REJECTED if on_invalid == "reject" else PENDING)
