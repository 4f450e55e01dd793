"""The scheduled reconciler: level-triggered, it looks at every group as it is and moves it on.

It repairs what a lost event left behind (a release waiting on an endpoint that settled long ago), fails
releases past their deadlines, ends watch windows, watches alarms, starts queued versions, writes the
lifecycles SageMaker refused earlier (chalicelib.release.lifecycle_record), puts production
back on the recorded live version if it drifted (a restore that SageMaker refused earlier), and, given a
registry sweep (chalicelib.release.sweep), makes up for lost package events; given review deps, reminds
and expires reviews (chalicelib.review), due ones found in the same batched read of the group states.

At scale a settled group costs almost nothing: states are read 100 at a time (one BatchGetItem), and only
groups with a release in flight or a version queued are looked at further. Production drift is checked
every run while a restore may still be retried (`RECENTLY` after a release ended or a rollback); after
that, production's own endpoint events check it (any UpdateEndpoint emits one). `drift_every` adds a
staggered check every that many runs. The sweep costs one account-wide search of the registry per run (more
pages only when more than 100 versions changed), whatever the number of groups.
One group's failure, of any kind, never stops the others; the run raises at the end if any group failed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.release.deps import ReleaseDeps, production_deps, release_policy
from chalicelib.release.forwarding import check_forwarding
from chalicelib.release.lifecycle_record import repair_lifecycles
from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.ports import BATCH_LOAD, EndpointView
from chalicelib.release.production import production_view, restore
from chalicelib.release.repair import RESTORE_RETRIES_FOR, UPDATE_ROLLBACK_FAILED, report_drift, retry_restore
from chalicelib.release.results import NothingInFlight, ReleaseResult, Skipped
from chalicelib.release.service import advance
from chalicelib.release.state import GroupState
from chalicelib.release.sweep import SweepDeps, Swept, sweep_registry
from chalicelib.review.service import ReviewDeps, ReviewTicked, tick_reviews
from chalicelib.shared.errors import ReconcileIncompleteError
from chalicelib.shared.observability import count, logger

RUN_EVERY = timedelta(minutes=5)  # app.py's schedule: the staggers count runs in these steps
# After a release ended or a rollback, production is checked on every run: long enough for a restore stuck
# in UpdateRollbackFailed to be retried for its whole window, then reported (RestoreAbandoned).
RECENTLY = RESTORE_RETRIES_FOR + 2 * RUN_EVERY


@dataclass(frozen=True)
class GroupReconciled:
    result: ReleaseResult
    restored: int | None = None  # production had drifted off this live version: it was sent back to it
    reviews: tuple[ReviewTicked, ...] = ()  # reviews reminded, expired or dropped on this run

    def as_dict(self) -> dict[str, Any]:
        answer = self.result.as_dict()
        if self.restored is not None:
            answer["restored"] = self.restored
        if self.reviews:
            answer["reviews"] = [ticked.as_dict() for ticked in self.reviews]
        return answer


@dataclass(frozen=True)
class GroupNotReconciled:
    """The group's look failed; the next run tries again (one group's trouble must not stop the others)."""

    error: str

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.error}


@dataclass(frozen=True)
class Reconciled:
    groups: Mapping[str, GroupReconciled | GroupNotReconciled]  # the groups looked at; settled ones only counted
    settled: int = 0
    swept: Swept | None = None

    def as_dict(self) -> dict[str, Any]:
        answer = {"groups": {group: result.as_dict() for group, result in self.groups.items()}, "settled": self.settled}
        return answer if self.swept is None else {**answer, "swept": self.swept.as_dict()}

    @property
    def failed(self) -> list[str]:
        found = [group for group, result in self.groups.items() if isinstance(result, GroupNotReconciled)]
        return found + (["registry sweep"] if self.swept and self.swept.failed else [])


def reconcile(
    deps: ReleaseDeps, drift_every: int | None = None, sweep: SweepDeps | None = None, reviews: ReviewDeps | None = None
) -> Reconciled:
    """`reviews`: remind and expire reviews too (a review due is learnt from the same batched state read)."""
    now = deps.clock()
    run = int(now.timestamp() // RUN_EVERY.total_seconds())
    looked: dict[str, GroupReconciled | GroupNotReconciled] = {}
    settled = 0
    groups = deps.policies.groups()
    if sweep is not None:
        sweep.start()
    swept = sweep_registry(deps, sweep, frozenset(groups)) if sweep else None
    for chunk in _chunks(groups, BATCH_LOAD):
        try:
            states = deps.store.load_many(chunk)
        except Exception as error:  # noqa: BLE001 - any failure is this chunk's, never the whole run's
            looked.update((group, _failed(group, error)) for group in chunk)
            continue
        for group in chunk:
            state = states[group]
            drift = drift_due(state, now, run, drift_every)
            review = reviews is not None and state.review_due(now)
            owed = bool(state.lifecycles_owed)  # a lifecycle SageMaker refused earlier: written again
            if not (state.in_flight or state.queued or drift or review or owed):
                settled += 1
                continue
            try:
                reconciled = reconcile_group(group, deps, state, drift)
                if owed:
                    repair_lifecycles(group, deps)
                ticked = tick_reviews(group, reviews) if reviews and review else ()
                looked[group] = replace(reconciled, reviews=ticked)
            except Exception as error:  # noqa: BLE001 - counted, reported, and the run goes on
                looked[group] = _failed(group, error)
    answer = Reconciled(looked, settled, swept)
    if answer.failed:  # after every group ran: the function's error is what the errors alarm watches
        raise ReconcileIncompleteError(_failures(answer))
    return answer


def _failures(answer: Reconciled) -> str:
    groups = [group for group in answer.failed if group in answer.groups]
    detail = "; ".join(f"{group}: {answer.groups[group].as_dict()['error']}" for group in groups[:10])
    said = f"{len(groups)} group(s) failed to reconcile: {detail}" if groups else ""
    if answer.swept and answer.swept.failed:
        swept = "; ".join(f"{what}: {error}" for what, error in answer.swept.failed[:10])
        said = f"{said}; " * bool(said) + f"the registry sweep failed for {len(answer.swept.failed)}: {swept}"
    return said


def drift_due(state: GroupState, now: datetime, run: int, every: int | None = None) -> bool:
    """Whether this run checks the group's production endpoint against its recorded live version."""
    if state.live is None or state.in_flight:
        return False
    ended = state.release.ended_at if state.release else None
    if any(moment is not None and now - moment < RECENTLY for moment in (state.live.since, ended)):
        return True
    return every is not None and zlib.crc32(state.group.encode()) % every == run % every


def reconcile_group(
    group: str, deps: ReleaseDeps, state: GroupState | None = None, drift: bool = True
) -> GroupReconciled:
    """`state`: the group as the run's batch read saw it (possibly stale by now), or None to read it."""
    fresh = state is None
    state = state or deps.store.load(group)
    result: ReleaseResult = NothingInFlight(group, state.release.stage if state.release else None)
    if state.in_flight or state.queued:
        check_forwarding(group, state, deps)  # before the repair: it tells whether an event was missed
        result = advance(group, deps)
        state, fresh = deps.store.load(group), True
    if not drift or state.in_flight or state.live is None:
        return GroupReconciled(result)
    policy = release_policy(group, deps, state)
    if policy is None:
        return GroupReconciled(Skipped("no release policy"))
    deps = production_deps(policy, deps)
    view = production_view(group, policy, deps)
    if not _off_live(state, view):
        return GroupReconciled(result)
    if not fresh:  # another invocation may have moved the group on since the batch read: judge it as it is
        state = deps.store.load(group)
        if state.in_flight or state.live is None or not _off_live(state, view):
            return GroupReconciled(result)
    assert state.live is not None and view is not None
    if view.status == UPDATE_ROLLBACK_FAILED:  # a refused restore: retried, bounded
        return GroupReconciled(result, restored=retry_restore(state, policy, deps))
    report_drift(state, view.config)
    restore(state.group, policy, state.live, deps)
    return GroupReconciled(result, restored=state.live.version)


def _off_live(state: GroupState, view: EndpointView | None) -> bool:
    """Production is stuck after a refused restore, or serves another config than the live version's."""
    if view is None or state.live is None:
        return False
    return view.status == UPDATE_ROLLBACK_FAILED or (view.status == IN_SERVICE and view.config != state.live.config)


def _failed(group: str, error: Exception) -> GroupNotReconciled:
    logger.error("reconcile failed", extra={"group": group, "error": repr(error)})
    count("ReconcileFailed")
    return GroupNotReconciled(f"{type(error).__name__}: {error}")


def _chunks(groups: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(groups), size):
        yield groups[start : start + size]
