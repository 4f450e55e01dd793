"""Review expiry, pure: when a version waiting for people's review is reminded, expires, or is looked at again.

Policy `slack.review_expires_days` (default 7) and `slack.on_expiry` ("reject", the default, or "keep"):
one reminder at half-time, then at expiry the version is Rejected ("review expired"), or, kept, stays
Pending with a last reminder. The terms are frozen into the review when it starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.release.state import HistoryRow, Review

DEFAULT_DAYS = 7
KEEP = "keep"
WAITING, REMINDED, KEPT = "waiting", "reminded", "kept"
# A review kept Pending past its expiry is looked at once a day, only to drop it once somebody decided.
RECHECK_KEPT = timedelta(days=1)
EXPIRED_REASON = "review expired"


@dataclass(frozen=True)
class ReviewTerms:
    expires: timedelta = timedelta(days=DEFAULT_DAYS)
    keep: bool = False

    @classmethod
    def from_section(cls, slack: Mapping[str, Any]) -> ReviewTerms:
        days = float(slack.get("review_expires_days", DEFAULT_DAYS))
        return cls(timedelta(days=days), slack.get("on_expiry") == KEEP)

    @property
    def days(self) -> str:
        return f"{self.expires.total_seconds() / 86400:g}"


class Step(StrEnum):
    REMIND = "remind"  # half-time: one reminder
    EXPIRE = "expire"  # expiry: Rejected, "review expired"
    LAST_REMINDER = "last_reminder"  # expiry with on_expiry "keep": it stays Pending
    RECHECK = "recheck"  # kept Pending: dropped once somebody decided, quietly


def start_review(version: int, arn: str, at: datetime, terms: ReviewTerms) -> Review:
    expires = at + terms.expires
    return Review(version, arn, at, expires, due_at=at + terms.expires / 2, keep=terms.keep)


def due_step(review: Review, now: datetime) -> Step | None:
    """What the reconciler does with the review now; None: nothing yet. A late look past expiry expires it
    without the reminder it missed: the deadline people were promised is the one that counts."""
    if now < review.due_at:
        return None
    if review.phase == KEPT:
        return Step.RECHECK
    if now >= review.expires_at:
        return Step.LAST_REMINDER if review.keep else Step.EXPIRE
    return Step.REMIND if review.phase == WAITING else None


def after_step(review: Review, step: Step, now: datetime) -> Review | None:
    """The review once `step` is done; None: it ends (the version was Rejected)."""
    if step is Step.REMIND:
        return replace(review, phase=REMINDED, due_at=review.expires_at)
    if step is Step.EXPIRE:
        return None
    return replace(review, phase=KEPT, due_at=now + RECHECK_KEPT)


ROW_OUTCOMES = {Step.REMIND: "REVIEW_REMINDED", Step.EXPIRE: "REVIEW_EXPIRED", Step.LAST_REMINDER: "REVIEW_KEPT"}


def review_row(review: Review, step: Step, at: datetime, reason: str) -> HistoryRow:
    """A person-facing history row: it ends no release attempt (outcome REVIEW_...)."""
    outcome = ROW_OUTCOMES[step]
    key = f"{at.isoformat(timespec='seconds')}#v{review.version:06d}#review-{step.value}"
    return HistoryRow(key, review.version, review.arn, "", outcome, reason)
