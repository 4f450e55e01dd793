"""Where a review's start is recorded: in the group's release state, the item the reconciler already reads
for every group in one batched read, so an idle group costs no call of its own to learn that nothing is due."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from chalicelib.release.ports import ReleaseStore
from chalicelib.release.state import GroupState, HistoryRow, Review
from chalicelib.review.rules import ReviewTerms, start_review
from chalicelib.shared.errors import ConflictError
from chalicelib.shared.model_version import ModelVersion
from chalicelib.shared.observability import count

ATTEMPTS = 3  # conditional writes lost to the release engine before giving up (the gate's event is retried)
MAX_REVIEWS = 200  # per group: the state stays one small item; beyond it the oldest review is forgotten


class StoredReviews:
    """The gate's ReviewsStarted port over the release store (built on first use: most gate runs decide)."""

    def __init__(self, store: Callable[[], ReleaseStore]) -> None:
        self._store = store

    def started(self, version: ModelVersion, terms: ReviewTerms, at: datetime) -> None:
        """Idempotent: a version whose review is already recorded keeps its first start (a retried event)."""
        store = self._store()
        for _ in range(ATTEMPTS):
            state = store.load(version.group)
            if any(review.arn == version.arn for review in state.reviews):
                return
            try:
                store.save(_with_review(state, version, terms, at))
                return
            except ConflictError:
                count("ReviewWriteConflict")
        raise ConflictError(f"{version.group}: the release state kept changing; the review start is not recorded")


def _with_review(state: GroupState, version: ModelVersion, terms: ReviewTerms, at: datetime) -> GroupState:
    review = start_review(version.version, version.arn, at, terms)
    return replace(state, reviews=(*state.reviews, review)[-MAX_REVIEWS:])


def settle_review(
    store: ReleaseStore, group: str, judged: Review, becomes: Review | None, rows: Sequence[HistoryRow] = ()
) -> bool:
    """Replace the review as it was judged with `becomes` (None: drop it), with `rows`, by a conditional write.
    False when it is no longer as judged: another tick (or a replay) did this step first."""
    for _ in range(ATTEMPTS):
        state = store.load(group)
        if judged not in state.reviews:
            return False
        kept = tuple(becomes if review == judged else review for review in state.reviews)
        try:
            store.save(replace(state, reviews=tuple(review for review in kept if review is not None)), rows)
            return True
        except ConflictError:
            count("ReviewWriteConflict")
    raise ConflictError(f"{group}: the release state kept changing; the review step is not recorded")


def forget_decided(store: ReleaseStore, group: str, arn: str) -> bool:
    """A version people (or the gate) decided waits for nobody: its review goes now, not at its half-time
    check days later, so `/shepherd status` and `pending` stop listing it. False: it had no review."""
    review = next((review for review in store.load(group).reviews if review.arn == arn), None)
    return review is not None and settle_review(store, group, review, None)
