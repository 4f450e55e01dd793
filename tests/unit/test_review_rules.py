"""Review expiry's rules, pure: when a review is reminded, expires, is kept, or looked at again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.review.rules import ReviewTerms, Step, after_step, due_step, review_row, start_review

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/4"


def test_terms_default_to_seven_days_and_rejection() -> None:
    assert ReviewTerms.from_section({}) == ReviewTerms(timedelta(days=7), keep=False)
    assert ReviewTerms.from_section({"review_expires_days": 0.5, "on_expiry": "keep"}) == ReviewTerms(
        timedelta(hours=12), keep=True
    )


def test_nothing_is_due_before_half_time() -> None:
    review = start_review(4, ARN, START, ReviewTerms())
    assert due_step(review, START + timedelta(days=3, hours=11)) is None
    assert due_step(review, START + timedelta(days=3, hours=12)) is Step.REMIND


def test_a_reminded_review_waits_for_its_expiry_then_is_rejected() -> None:
    review = start_review(4, ARN, START, ReviewTerms())
    reminded = after_step(review, Step.REMIND, START + timedelta(days=4))
    assert reminded is not None and reminded.phase == "reminded"
    assert due_step(reminded, START + timedelta(days=6, hours=23)) is None
    assert due_step(reminded, START + timedelta(days=7)) is Step.EXPIRE
    assert after_step(reminded, Step.EXPIRE, START + timedelta(days=7)) is None


def test_a_first_look_past_expiry_expires_it_without_the_missed_reminder() -> None:
    review = start_review(4, ARN, START, ReviewTerms())
    assert due_step(review, START + timedelta(days=9)) is Step.EXPIRE


def test_kept_on_expiry_it_gets_a_last_reminder_then_a_quiet_daily_look() -> None:
    review = start_review(4, ARN, START, ReviewTerms(timedelta(days=2), keep=True))
    now = START + timedelta(days=2)
    assert due_step(review, now) is Step.LAST_REMINDER
    kept = after_step(review, Step.LAST_REMINDER, now)
    assert kept is not None and kept.phase == "kept"
    assert due_step(kept, now + timedelta(hours=23)) is None
    assert due_step(kept, now + timedelta(days=1)) is Step.RECHECK


def test_history_rows_are_unique_per_step_and_end_no_release_attempt() -> None:
    review = start_review(4, ARN, START, ReviewTerms())
    remind = review_row(review, Step.REMIND, START + timedelta(days=4), "half-time reminder")
    expire = review_row(review, Step.EXPIRE, START + timedelta(days=7), "review expired")
    assert (remind.outcome, expire.outcome) == ("REVIEW_REMINDED", "REVIEW_EXPIRED")
    assert remind.key != expire.key and expire.key.endswith("#v000004#review-expire")
