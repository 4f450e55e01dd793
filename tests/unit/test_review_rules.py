"""Review expiry's rules, pure: when a review is reminded, expires, is kept, or looked at again; and how
much one run does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.release.state import GroupState
from chalicelib.review.rules import ReviewTerms, Step, after_step, due_step, review_row, start_review
from chalicelib.review.service import PER_TICK, ReviewDeps, tick_reviews
from tests.fakes.gate import RecordingNotifier
from tests.fakes.registry import EventedRegistry
from tests.fakes.release import MemoryStore
from tests.fakes.slack import FakeLocks

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


def test_a_run_handles_at_most_per_tick_due_reviews_of_a_group_and_the_next_run_the_rest() -> None:
    registry = EventedRegistry(on_change=lambda arn, status: None)
    reviews = []
    for number in range(1, PER_TICK + 6):
        registry.register("g", number, None, START)
        arn = next(arn for arn, version in registry.versions.items() if version.version == number)
        reviews.append(start_review(number, arn, START, ReviewTerms()))
    store = MemoryStore()
    store.save(replace(GroupState("g"), reviews=tuple(reviews)))
    deps = ReviewDeps(store, registry, FakeLocks(), RecordingNotifier(), lambda: START + timedelta(days=4))
    assert len(tick_reviews("g", deps)) == PER_TICK
    assert len(tick_reviews("g", deps)) == 5
    assert tick_reviews("g", deps) == ()
