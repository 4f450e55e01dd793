"""What a decision writes back (the gate's, a person's): a bounded description and metadata keeping the team's keys."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.gate.verdict import Check, Decision, Outcome
from chalicelib.shared import decision_record as record
from chalicelib.shared.metadata_rules import MAX_KEYS, VALUE_LIMIT, fits
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
    merged = record.decision_metadata({"training_job": "job-1"}, decision, policy, WHEN).metadata
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
    merged = record.decided_by_metadata({"training_job": "job-1", "shepherd:outcome": "review"}, "cli:ana").metadata
    assert merged == {"training_job": "job-1", "shepherd:outcome": "review", "shepherd:decided-by": "cli:ana"}


def test_a_slack_decision_also_records_when() -> None:
    merged = record.decided_by_metadata({}, "slack:jane (U1)", WHEN).metadata
    # Parentheses are outside SageMaker's metadata alphabet: AWS would refuse the whole update.
    assert merged == {"shepherd:decided-by": "slack:jane U1", "shepherd:decided-at": "2026-11-26T12:00:00+00:00"}


def test_who_decided_fits_a_metadata_value() -> None:
    merged = record.decided_by_metadata({}, "cli:" + "a" * 500).metadata
    assert len(merged[record.DECIDED_BY_KEY]) == VALUE_LIMIT


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


def test_every_value_a_decision_writes_fits_sagemakers_metadata_rules() -> None:
    policy = example_policy()
    decision = Decision(Outcome.APPROVE, "ok", (), {name: 0.123456789 for name in policy.metric_names})
    written = record.decision_metadata({}, decision, policy, WHEN).metadata
    assert written[record.METRICS_KEY].startswith("auc=")
    assert all(fits(key, 128) and fits(value) for key, value in written.items())
    assert fits(record.decided_by_metadata({}, "slack:o'brien (U024BE7LH)").metadata[record.DECIDED_BY_KEY])


def test_the_snapshot_reads_back_exactly_and_a_json_one_from_before_still_reads() -> None:
    metrics = {"auc": 0.95, "precision": 1e-05, "rmse": -3.25}
    snapshot = record.metrics_snapshot(metrics, frozenset(metrics))
    assert snapshot == "auc=0.95 precision=1e-05 rmse=-3.25"
    assert record.recorded_metrics({record.METRICS_KEY: snapshot}) == metrics
    assert record.recorded_metrics({record.METRICS_KEY: '{"auc": 0.9}'}) == {"auc": 0.9}


def test_a_metric_name_outside_the_alphabet_leaves_the_whole_snapshot_to_the_s3_document() -> None:
    metrics = {"auc": 0.95, "f1 (macro)": 0.8}
    assert record.metrics_snapshot(metrics, frozenset(metrics)) is None


def test_the_teams_48_keys_are_kept_and_ours_go_in_order_of_need() -> None:
    team = {f"team_{i}": "x" for i in range(48)}
    policy = example_policy()
    decision = Decision(Outcome.REJECT, "below the floor", (), {name: 0.5 for name in policy.metric_names})
    update = record.decision_metadata(team, decision, policy, WHEN)
    assert {key: update.metadata[key] for key in team} == team
    assert len(update.metadata) == MAX_KEYS
    assert update.metadata[record.OUTCOME_KEY] == "reject"
    assert update.left_out == (record.POLICY_HASH_KEY, record.METRICS_KEY)


def test_with_no_room_at_all_the_teams_keys_stay_and_ours_are_all_left_out() -> None:
    team = {f"team_{i}": "x" for i in range(MAX_KEYS)}
    decision = Decision(Outcome.APPROVE, "ok", (), {})
    update = record.decision_metadata(team, decision, example_policy(), WHEN)
    assert update.metadata == team
    assert record.OUTCOME_KEY in update.left_out


def test_with_no_room_who_decided_is_left_out_and_said_so() -> None:
    team = {f"team_{i}": "x" for i in range(MAX_KEYS)}
    update = record.decided_by_metadata(team, "slack:jane (U1)", WHEN)
    assert update.metadata == team
    assert update.left_out == (record.DECIDED_BY_KEY, record.DECIDED_AT_KEY)
    assert record.no_room_note(update.left_out).startswith("not recorded in the package's metadata")


def test_who_decided_is_read_back_from_the_description_a_person_decision_wrote() -> None:
    slack = record.slack_description("Approved", "jane (U1)", "model-shepherd review (p): p99 61 vs 42", "ok: by hand")
    assert record.described_decider(slack) == "slack:jane (U1)"
    assert record.described_decider(record.cli_description("Rejected", "ana", "drift in Slack: no")) == "cli:ana"
    assert record.described_decider("model-shepherd approve (fraud): auc 0.95 >= 0.8 ok") is None
    assert record.described_decider(None) is None
