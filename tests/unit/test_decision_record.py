"""What a decision writes back: a bounded description and metadata that keeps the team's keys."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.gate.verdict import Check, Decision, Outcome
from chalicelib.shared import decision_record as record
from tests.support.policies import example_policy

WHEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_description_never_exceeds_sagemakers_limit() -> None:
    checks = tuple(Check(f"bar m{i}", False, f"metric_{i} 0.1234 >= 0.9876") for i in range(200))
    description = record.approval_description(Decision(Outcome.REVIEW, "many checks", checks), "policy@abc")
    assert len(description) == record.DESCRIPTION_LIMIT
    assert description.startswith("model-shepherd review (policy@abc): many checks; metric_0 0.1234 >= 0.9876 FAIL")
    assert description.endswith("…")


def test_metadata_keeps_team_keys_and_adds_the_decision() -> None:
    policy = example_policy()
    decision = Decision(Outcome.APPROVE, "ok", (), {"auc": 0.95, "precision": 0.9, "unrelated": 1.0})
    merged = record.decision_metadata({"training_job": "job-1"}, decision, policy, WHEN)
    assert merged["training_job"] == "job-1"
    assert merged["shepherd:outcome"] == "approve"
    assert merged["shepherd:policy-hash"] == policy.digest[:12]
    assert merged["shepherd:decided-at"] == "2026-11-26T12:00:00+00:00"
    assert record.recorded_metrics(merged) == {"auc": 0.95, "precision": 0.9}


def test_a_snapshot_too_long_for_metadata_is_left_out() -> None:
    metrics = {f"metric_with_a_long_name_{i}": 0.123456789 for i in range(20)}
    snapshot = record.metrics_snapshot(metrics, frozenset(metrics))
    assert snapshot is None


def test_a_hand_edited_snapshot_is_ignored() -> None:
    assert record.recorded_metrics({"shepherd:metrics": "{not json"}) is None
    assert record.recorded_metrics({"shepherd:metrics": '{"auc": NaN}'}) is None
