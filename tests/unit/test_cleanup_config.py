"""Cleanup configuration: the schedule expression, the reserve setting, the policy's retention section,
and the summary people receive."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.cleanup.messages import cleanup_notification
from chalicelib.cleanup.report import SAMPLE_SIZE, GroupReport
from chalicelib.cleanup.retention import Keep
from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.schedule import schedule_expression
from chalicelib.shared.settings import SOURCE_POLICIES, load_settings


@pytest.mark.parametrize("value", ["rate(1 day)", "rate(6 hours)", "rate(30 minutes)", "cron(0 3 * * ? *)"])
def test_accepts_eventbridge_schedules(value: str) -> None:
    assert schedule_expression(value) == value


def test_defaults_to_daily() -> None:
    assert schedule_expression(None) == schedule_expression("  ") == "rate(1 day)"


@pytest.mark.parametrize("value", ["daily", "rate(1 days)", "rate(2 day)", "rate(0 hours)", "cron(0 3 * *)"])
def test_rejects_anything_else_with_an_example(value: str) -> None:
    with pytest.raises(ConfigurationError, match="rate\\(1 day\\)"):
        schedule_expression(value)


def test_reserve_seconds_default_and_checked() -> None:
    assert load_settings({}).cleanup_reserve_seconds == 30
    assert load_settings({"SHEPHERD_CLEANUP_RESERVE_SECONDS": "60"}).cleanup_reserve_seconds == 60
    with pytest.raises(ConfigurationError, match="SHEPHERD_CLEANUP_RESERVE_SECONDS"):
        load_settings({"SHEPHERD_CLEANUP_RESERVE_SECONDS": "half a minute"})


def policy_with(retention: Any) -> dict[str, Any]:
    return {"group": "fraud-detection-models", "floors": {}, "approval": {}, "retention": retention}


@pytest.mark.parametrize(
    ("retention", "problem"),
    [
        ({"keep_newest": 5}, "'older_than_days' is a required property"),
        ({"older_than_days": 30, "keep_newest": -1}, "less than the minimum of 0"),
        ({"older_than_days": 0, "keep_newest": 5}, "less than the minimum of 1"),
        ({"older_than_days": "30", "keep_newest": 5}, "is not of type 'integer'"),
        ({"older_than_days": 30, "keep_newest": 5, "delete_artifacts": "yes"}, "is not of type 'boolean'"),
        ({"older_than_days": 30, "keep_newest": 5, "keep_approved": 3}, "Additional properties are not allowed"),
    ],
)
def test_malformed_retention_sections_are_refused(retention: Any, problem: str) -> None:
    problems = FilePolicyRepository(SOURCE_POLICIES).problems(policy_with(retention))
    assert any(problem in p and p.startswith("retention") for p in problems), problems


def test_example_policy_has_a_valid_retention_section() -> None:
    policy = FilePolicyRepository(SOURCE_POLICIES).get("fraud-detection-models")
    assert policy.section("retention") == {"older_than_days": 30, "keep_newest": 5, "delete_artifacts": False}


def test_summary_counts_everything_but_lists_a_bounded_sample() -> None:
    report = GroupReport("fraud-detection-models", dry_run=False, complete=True)
    for version in range(1, 10_001):
        report = report.with_deleted(version)
    report = report.with_kept(Keep.PROTECTED, 10_001).with_failure(10_002, "ThrottlingException: Rate exceeded")

    notification = cleanup_notification(report)

    assert notification.kind == notification.body["type"] == "cleanup.summary"
    assert notification.attributes == {"type": "cleanup.summary", "group": "fraud-detection-models", "dry_run": "false"}
    assert notification.body["deleted"] == {
        "count": 10_000,
        "versions": list(range(1, SAMPLE_SIZE + 1)),
        "truncated": True,
    }
    assert notification.body["kept"] == {"protected": {"count": 1, "versions": [10_001], "truncated": False}}
    assert notification.text == (
        "fraud-detection-models: cleanup deleted 10000 rejected version(s), kept 1, 1 failure(s)"
    )
    slack = "\n".join(block["text"]["text"] for block in notification.blocks if block["type"] == "section")
    assert "v1, v2" in slack
    assert "and 9980 more" in slack
    assert "v10002: ThrottlingException" in slack


def test_a_report_is_a_value_extending_it_leaves_the_original_as_it_was() -> None:
    empty = GroupReport("fraud-detection-models", dry_run=False)
    extended = empty.with_deleted(1).with_already_gone(2).with_artifact_deleted()
    assert (empty.deleted.count, empty.already_gone.count, empty.artifacts_deleted) == (0, 0, 0)
    assert (extended.deleted.sample, extended.already_gone.sample, extended.artifacts_deleted) == ((1,), (2,), 1)
    with pytest.raises(FrozenInstanceError):
        empty.complete = True  # type: ignore[misc]


def test_every_failure_is_counted_but_only_a_bounded_sample_is_kept() -> None:
    report = GroupReport("fraud-detection-models", dry_run=False)
    for version in range(1, SAMPLE_SIZE + 11):
        report = report.with_failure(version, "AccessDenied")
    assert report.failure_count == SAMPLE_SIZE + 10
    assert [failure.version for failure in report.failures] == list(range(1, SAMPLE_SIZE + 1))
