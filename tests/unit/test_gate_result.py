"""The gate's result: typed inside the app, the same JSON as before for the Lambda and the idempotency record."""

from __future__ import annotations

from chalicelib.gate.result import GateResult
from chalicelib.gate.verdict import Outcome

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/1"


def test_a_decision_is_the_json_the_lambda_returned_before() -> None:
    result = GateResult(ARN, Outcome.APPROVE, applied=True, reasons=("all checks pass", "auc 0.95 >= 0.9 ok"))
    assert result.as_dict() == {
        "arn": ARN,
        "outcome": "approve",
        "applied": True,
        "reasons": ["all checks pass", "auc 0.95 >= 0.9 ok"],
    }


def test_a_skip_says_why_and_has_no_reasons() -> None:
    result = GateResult.skip(ARN, "status is Approved, not PendingManualApproval")
    assert result.as_dict() == {
        "arn": ARN,
        "outcome": None,
        "applied": False,
        "skipped": "status is Approved, not PendingManualApproval",
    }


def test_a_stored_record_reads_back_as_the_result_it_was() -> None:
    decided = GateResult(ARN, Outcome.REVIEW, applied=False, reasons=("dry run",))
    skipped = GateResult.skip(ARN, "already decided")
    assert GateResult.from_dict(decided.as_dict()) == decided
    assert GateResult.from_dict(skipped.as_dict()) == skipped


def test_a_record_from_before_the_typed_result_still_reads_back() -> None:
    # What the previous deployment stored: its dict, as JSON (an outcome string, reasons a list).
    stored = {"arn": ARN, "outcome": "reject", "applied": True, "reasons": ["auc 0.7 >= 0.9 FAIL"]}
    assert GateResult.from_dict(stored) == GateResult(ARN, Outcome.REJECT, True, ("auc 0.7 >= 0.9 FAIL",))
