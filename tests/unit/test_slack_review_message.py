"""The review message people decide from, and the policy section that says who may decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.gate.messages import gate_notification
from chalicelib.gate.verdict import Check, Decision, Outcome
from chalicelib.slack.auth import Approvers
from tests.fakes.slack import pending_version

POLICIES = Path(__file__).parents[2] / "policies"


def review() -> Decision:
    return Decision(
        Outcome.REVIEW,
        "not clearly better: people decide",
        checks=(
            Check("auc", True, "auc 0.952 >= 0.9"),
            Check("champion latency_p99_ms", False, "latency_p99_ms 61 vs champion 42"),
        ),
        metrics={"auc": 0.952, "latency_p99_ms": 61.0},
        champion_metrics={"auc": 0.95, "latency_p99_ms": 42.0},
    )


def texts(blocks: object) -> str:
    return json.dumps(blocks)


def test_review_message_shows_failed_checks_metrics_against_champion_and_buttons() -> None:
    version = pending_version()
    blocks = list(gate_notification(version, review(), "fraud@abc", dry_run=False).blocks)
    failed = next(block for block in blocks if "Did not pass" in texts(block))
    assert "latency_p99_ms 61 vs champion 42 FAIL" in texts(failed)
    assert "auc 0.952" not in texts(failed)  # only what did not pass
    table = next(block for block in blocks if "```" in texts(block))
    assert "latency_p99_ms" in texts(table)
    assert "+19" in texts(table)  # the delta against the champion
    [buttons] = [block for block in blocks if block["type"] == "actions"]
    assert [(b["action_id"], b["value"]) for b in buttons["elements"]] == [
        ("shepherd_approve", version.arn),
        ("shepherd_reject", version.arn),
        ("shepherd_regate", version.arn),  # Decide again: the gate's second look
    ]


def test_dry_run_review_has_no_buttons() -> None:
    blocks = gate_notification(pending_version(), review(), "fraud@abc", dry_run=True).blocks
    assert all(block["type"] != "actions" for block in blocks)


def test_the_example_policy_names_its_slack_approvers() -> None:
    policy = FilePolicyRepository(POLICIES).get("fraud-detection-models")
    approvers = Approvers.from_section(policy.section("slack"))
    assert approvers.users
    assert approvers.groups


@pytest.mark.parametrize(
    ("slack", "problem"),
    [
        ({"approvers": ["jane.doe"]}, "does not match"),
        ({"approver_groups": ["U024BE7LH"]}, "does not match"),
        ({"approvers": ["U024BE7LH", "U024BE7LH"]}, "non-unique"),
        ({"approvers": "U024BE7LH"}, "is not of type 'array'"),
        ({"admins": ["U024BE7LH"]}, "Additional properties"),
    ],
)
def test_the_slack_section_is_checked_by_the_schema(slack: object, problem: str) -> None:
    document = json.loads((POLICIES / "fraud-detection-models.json").read_text())
    document["slack"] = slack
    problems = FilePolicyRepository(POLICIES).problems(document, "fraud-detection-models")
    assert any(problem in text for text in problems), problems
