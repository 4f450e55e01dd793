"""What a decision writes back (the gate's, a person's): a bounded description and metadata keeping the team's keys."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.gate.verdict import Check, Decision, Outcome
from chalicelib.shared import decision_record as record
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED, ModelVersion
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


LIVE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"


def version(number: int, status: str = APPROVED, **metadata: str) -> ModelVersion:
    arn = LIVE.rsplit("/", 1)[0] + f"/{number}"
    return ModelVersion(arn, "fraud-detection-models", number, status, metadata=metadata)


def test_the_cli_says_who_decided_and_why_and_keeps_every_key() -> None:
    assert record.cli_description(REJECTED, "ana", "drift") == "Rejected by ana (shepherd CLI): drift"
    assert len(record.cli_description(APPROVED, "ana", "x" * 5000)) == record.DESCRIPTION_LIMIT
    merged = record.decided_by_metadata({"training_job": "job-1", "shepherd:outcome": "review"}, "cli:ana")
    assert merged == {"training_job": "job-1", "shepherd:outcome": "review", "shepherd:decided-by": "cli:ana"}


def test_a_slack_decision_also_records_when() -> None:
    merged = record.decided_by_metadata({}, "slack:jane (U1)", WHEN)
    assert merged == {"shepherd:decided-by": "slack:jane (U1)", "shepherd:decided-at": "2026-11-26T12:00:00+00:00"}


def test_who_decided_fits_a_metadata_value() -> None:
    merged = record.decided_by_metadata({}, "cli:" + "a" * 500)
    assert len(merged[record.DECIDED_BY_KEY]) == record.METADATA_VALUE_LIMIT


def test_the_decider_is_read_back_only_when_a_person_decided() -> None:
    assert record.recorded_decider({"shepherd:decided-by": "cli:ana"}) == "cli:ana"
    assert record.recorded_decider({"shepherd:outcome": "approve"}) is None
    assert record.recorded_decider({"shepherd:decided-by": ""}) is None


def test_the_live_version_cannot_be_rejected() -> None:
    refused = record.refusal(version(3), REJECTED, live_arn=LIVE)
    assert refused == "fraud-detection-models v3 is LIVE: roll back first, then reject it"


def test_any_other_version_can_be_rejected_and_the_live_one_approved() -> None:
    assert record.refusal(version(2), REJECTED, live_arn=LIVE) is None
    assert record.refusal(version(3, PENDING), REJECTED, live_arn=None) is None
    assert record.refusal(version(3, REJECTED), APPROVED, live_arn=LIVE) is None
