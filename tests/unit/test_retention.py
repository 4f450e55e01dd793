"""The retention rules, pure: which versions go, and the reason for each one that stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.cleanup.retention import (
    Keep,
    Protection,
    RetentionRule,
    VersionDetail,
    VersionSummary,
    artifacts_to_delete,
    judge,
)
from chalicelib.shared.model_version import APPROVAL_STATUSES, APPROVED, PENDING, REJECTED

NOW = datetime(2026, 6, 1, tzinfo=UTC)
RULE = RetentionRule(older_than_days=30, keep_newest=2)
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"


def version(status: str = REJECTED, age_days: float = 100, arn: str = ARN) -> VersionSummary:
    return VersionSummary(arn, 1, status, NOW - timedelta(days=age_days))


def test_old_rejected_unprotected_version_goes() -> None:
    assert judge(version(), RULE, NOW, Protection()).delete


def test_protected_wins_over_every_other_reason() -> None:
    assert judge(version(APPROVED, age_days=1), RULE, NOW, Protection(frozenset({ARN}))).keep is Keep.PROTECTED


def test_approved_and_pending_stay_however_old() -> None:
    assert judge(version(APPROVED, 1000), RULE, NOW, Protection()).keep is Keep.NOT_REJECTED
    assert judge(version(PENDING, 1000), RULE, NOW, Protection()).keep is Keep.NOT_REJECTED


def test_exactly_older_than_days_is_not_yet_old_enough() -> None:
    assert judge(version(age_days=30), RULE, NOW, Protection()).keep is Keep.TOO_YOUNG
    assert judge(version(age_days=30.0001), RULE, NOW, Protection()).delete


def test_newest_rejected_stay_even_when_old() -> None:
    assert judge(version(), RULE, NOW, Protection(newest=frozenset({ARN}))).keep is Keep.NEWEST


def test_no_retention_section_means_no_rule() -> None:
    assert RetentionRule.from_section({}) is None
    rule = RetentionRule.from_section({"older_than_days": 7, "keep_newest": 0})
    assert rule == RetentionRule(7, 0, delete_artifacts=False)


def test_artifacts_a_protected_version_names_are_kept() -> None:
    detail = VersionDetail(version(), ("s3://b/own.tar.gz", "s3://b/shared.tar.gz"))
    assert artifacts_to_delete(detail, frozenset({"s3://b/shared.tar.gz"})) == ("s3://b/own.tar.gz",)


@given(
    status=st.sampled_from(APPROVAL_STATUSES),
    age_days=st.floats(min_value=0, max_value=5000),
    older_than=st.integers(min_value=1, max_value=3650),
    protected=st.booleans(),
    newest=st.booleans(),
)
def test_deletes_only_old_rejected_unprotected_versions_outside_the_newest(
    status: str, age_days: float, older_than: int, protected: bool, newest: bool
) -> None:
    rule = RetentionRule(older_than, keep_newest=1)
    protection = Protection(frozenset({ARN}) if protected else frozenset(), frozenset({ARN}) if newest else frozenset())
    judgement = judge(version(status, age_days), rule, NOW, protection)
    old = NOW - timedelta(days=age_days) < NOW - timedelta(days=older_than)
    assert judgement.delete == (status == REJECTED and old and not protected and not newest)
    assert judgement.delete or judgement.keep is not None
