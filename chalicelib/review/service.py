"""The reconciler's review step: remind at half-time, then reject (or keep with a last reminder) at expiry.

Level-triggered and idempotent: each step is recorded in the group's state by a conditional write before
anyone is told, so a replayed or concurrent tick finds it done and tells nobody twice. A person's decision
that lands first wins (the version is no longer Pending: the review is dropped, quietly). The rejection
takes the once-only decision lock a Slack click takes, then reads the version again: an expiry racing a
click in flight leaves exactly one outcome, whichever took the lock first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.release.ports import ReleaseStore
from chalicelib.release.state import Review
from chalicelib.review.messages import review_notification
from chalicelib.review.rules import EXPIRED_REASON, Step, after_step, due_step, review_row
from chalicelib.review.stored import settle_review
from chalicelib.shared import decision_record as record
from chalicelib.shared.errors import ModelPackageNotFoundError
from chalicelib.shared.model_version import PENDING, REJECTED, ModelVersion
from chalicelib.shared.observability import count, logger
from chalicelib.shared.ports import ModelRegistry, Notifier
from chalicelib.slack.claim import Claim, decision_key
from chalicelib.slack.ports import DecisionLocks

EXPIRY_ACTOR = "model-shepherd (review expired)"  # what a late clicker is told holds the decision
DECIDED_BY = "shepherd:review-expiry"
PER_TICK = 20  # due reviews handled per group per run (after an outage, the rest wait for the next runs)


@dataclass
class ReviewDeps:
    store: ReleaseStore
    registry: ModelRegistry
    locks: DecisionLocks
    notifier: Notifier
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class ReviewTicked:
    version: int
    step: str
    outcome: str  # done, already done, decided (by a person, first), deciding (a click holds the lock), gone

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "step": self.step, "outcome": self.outcome}


def tick_reviews(group: str, deps: ReviewDeps) -> tuple[ReviewTicked, ...]:
    """Every review of the group that is due now; reads the state afresh (the batch read may be stale)."""
    now = deps.clock()
    steps = [(review, due_step(review, now)) for review in deps.store.load(group).reviews]
    due = [(review, step) for review, step in steps if step is not None][:PER_TICK]
    return tuple(_tick(group, review, step, now, deps) for review, step in due)


def _tick(group: str, review: Review, step: Step, now: datetime, deps: ReviewDeps) -> ReviewTicked:
    version = _pending(review, deps)
    if version is None:  # decided (or deleted) before the clock ran out: the person's decision stands
        settle_review(deps.store, group, review, None)
        return ReviewTicked(review.version, step.value, "decided")
    if step is Step.EXPIRE:
        return _expire(group, review, version, now, deps)
    rows = [] if step is Step.RECHECK else [review_row(review, step, now, _reminder_reason(step))]
    if not settle_review(deps.store, group, review, after_step(review, step, now), rows):
        return ReviewTicked(review.version, step.value, "already done")
    if step is not Step.RECHECK:
        count("ReviewReminded")
        deps.notifier.send(review_notification(group, review, step))
    return ReviewTicked(review.version, step.value, "done")


def _expire(group: str, review: Review, version: ModelVersion, now: datetime, deps: ReviewDeps) -> ReviewTicked:
    claim = Claim(decision_key(review.arn), deps.new_id(), EXPIRY_ACTOR, "Rejected", now.timestamp())
    if deps.locks.claim(claim) is not None:  # a click is deciding: the next tick sees what it decided
        return ReviewTicked(review.version, Step.EXPIRE.value, "deciding")
    try:
        version = deps.registry.get_version(review.arn)  # under the lock: a click may have decided meanwhile
        if version.status != PENDING:
            deps.locks.release(claim)
            settle_review(deps.store, group, review, None)
            return ReviewTicked(review.version, Step.EXPIRE.value, "decided")
        deps.registry.record_decision(version, REJECTED, _description(review, version), _metadata(version, now))
    except Exception:
        deps.locks.release(claim)  # nothing changed: the next tick tries again
        raise
    _confirm(claim, deps)
    row = review_row(review, Step.EXPIRE, now, _expired_reason(review))
    settle_review(deps.store, group, review, None, [row])
    logger.info("review expired: version rejected", extra={"group": group, "version": review.version})
    count("ReviewExpired")
    deps.notifier.send(review_notification(group, review, Step.EXPIRE))
    return ReviewTicked(review.version, Step.EXPIRE.value, "done")


def _pending(review: Review, deps: ReviewDeps) -> ModelVersion | None:
    try:
        version = deps.registry.get_version(review.arn)
    except ModelPackageNotFoundError:
        return None
    return version if version.status == PENDING else None


def _confirm(claim: Claim, deps: ReviewDeps) -> None:
    try:
        deps.locks.confirm(claim)
    except Exception as error:  # noqa: BLE001 - the rejection is made; a stale claim only meets a re-read package
        logger.warning("review expiry lock not confirmed", extra={"key": claim.key, "error": type(error).__name__})


def _days(review: Review) -> str:
    return f"{(review.expires_at - review.started_at).total_seconds() / 86400:g}"


def _expired_reason(review: Review) -> str:
    return f"{EXPIRED_REASON}: nobody decided within {_days(review)} days"


def _reminder_reason(step: Step) -> str:
    return "half-time reminder" if step is Step.REMIND else "expired, kept Pending: last reminder"


def _description(review: Review, version: ModelVersion) -> str:
    gate = version.approval_description or "no gate description"
    said = f"Rejected by model-shepherd: {_expired_reason(review)}. The gate said: {gate}"
    return record.truncate(said, record.DESCRIPTION_LIMIT)


def _metadata(version: ModelVersion, now: datetime) -> dict[str, str]:
    return record.decided_by_metadata(version.metadata, DECIDED_BY, now).metadata
