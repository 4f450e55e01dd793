"""The scheduled reconciler: level-triggered, it looks at every group as it is and moves it on.

It repairs what a lost event left behind (a release waiting on an endpoint that settled long ago), fails
releases past their deadlines, ends watch windows, watches alarms, starts queued versions, and puts
production back on the recorded live version if it drifted (a restore that SageMaker refused earlier).

At scale a settled group costs almost nothing: states are read 100 at a time (one BatchGetItem), and only
groups with a release in flight or a version queued are looked at further. Production drift is checked
every run for an hour after a release ended or a rollback (when a refused restore is likely), and otherwise
once every `DRIFT_EVERY` runs, staggered by the group's name so the DescribeEndpoint calls spread evenly.
One group's failure, of any kind, never stops the others; the run raises at the end if any group failed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.ports import BATCH_LOAD
from chalicelib.release.repair import UPDATE_ROLLBACK_FAILED, retry_restore
from chalicelib.release.results import NothingInFlight, ReleaseResult, Skipped
from chalicelib.release.service import advance
from chalicelib.release.state import GroupState
from chalicelib.release.steps import restore
from chalicelib.shared.errors import ReconcileIncompleteError
from chalicelib.shared.observability import count, logger

RUN_EVERY = timedelta(minutes=5)  # app.py's schedule: the stagger counts runs in these steps
DRIFT_EVERY = 100  # runs between a settled group's drift checks (~8 h): at most 1 DescribeEndpoint per 100 groups
RECENTLY = timedelta(hours=1)  # after a release ended or a rollback, production is checked on every run


@dataclass(frozen=True)
class GroupReconciled:
    result: ReleaseResult
    restored: int | None = None  # production had drifted off this live version: it was sent back to it

    def as_dict(self) -> dict[str, Any]:
        answer = self.result.as_dict()
        return answer if self.restored is None else {**answer, "restored": self.restored}


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

    def as_dict(self) -> dict[str, Any]:
        return {"groups": {group: result.as_dict() for group, result in self.groups.items()}, "settled": self.settled}

    @property
    def failed(self) -> list[str]:
        return [group for group, result in self.groups.items() if isinstance(result, GroupNotReconciled)]


def reconcile(deps: ReleaseDeps, drift_every: int = DRIFT_EVERY) -> Reconciled:
    now = deps.clock()
    run = int(now.timestamp() // RUN_EVERY.total_seconds())
    looked: dict[str, GroupReconciled | GroupNotReconciled] = {}
    settled = 0
    for chunk in _chunks(deps.policies.groups(), BATCH_LOAD):
        try:
            states = deps.store.load_many(chunk)
        except Exception as error:  # noqa: BLE001 - any failure is this chunk's, never the whole run's
            looked.update((group, _failed(group, error)) for group in chunk)
            continue
        for group in chunk:
            state = states[group]
            drift = drift_due(state, now, run, drift_every)
            if not (state.in_flight or state.queued or drift):
                settled += 1
                continue
            try:
                looked[group] = reconcile_group(group, deps, state, drift)
            except Exception as error:  # noqa: BLE001 - counted, reported, and the run goes on
                looked[group] = _failed(group, error)
    answer = Reconciled(looked, settled)
    if answer.failed:  # after every group ran: the function's error is what the errors alarm watches
        detail = "; ".join(f"{group}: {looked[group].as_dict()['error']}" for group in answer.failed[:10])
        raise ReconcileIncompleteError(f"{len(answer.failed)} group(s) failed to reconcile: {detail}")
    return answer


def drift_due(state: GroupState, now: datetime, run: int, every: int) -> bool:
    """Whether this run checks the group's production endpoint against its recorded live version."""
    if state.live is None or state.in_flight:
        return False
    ended = state.release.ended_at if state.release else None
    if any(moment is not None and now - moment < RECENTLY for moment in (state.live.since, ended)):
        return True
    return zlib.crc32(state.group.encode()) % every == run % every


def reconcile_group(
    group: str, deps: ReleaseDeps, state: GroupState | None = None, drift: bool = True
) -> GroupReconciled:
    state = state or deps.store.load(group)
    result: ReleaseResult = NothingInFlight(group, state.release.stage if state.release else None)
    if state.in_flight or state.queued:
        result = advance(group, deps)
        state = deps.store.load(group)
    if not drift or state.in_flight or state.live is None:
        return GroupReconciled(result)
    policy = release_policy(group, deps, state)
    if policy is None:
        return GroupReconciled(Skipped("no release policy"))
    view = deps.endpoints.describe(policy.production.name)
    if view is not None and view.status == UPDATE_ROLLBACK_FAILED:  # a refused restore: retried, bounded
        return GroupReconciled(result, restored=retry_restore(state, policy, deps))
    if view is not None and view.status == IN_SERVICE and view.config != state.live.config:
        logger.warning("production drifted from the live version", extra={"group": group, "config": view.config})
        count("ProductionDrift")
        restore(policy.production.name, state.live.config, deps)
        return GroupReconciled(result, restored=state.live.version)
    return GroupReconciled(result)


def _failed(group: str, error: Exception) -> GroupNotReconciled:
    logger.error("reconcile failed", extra={"group": group, "error": repr(error)})
    count("ReconcileFailed")
    return GroupNotReconciled(f"{type(error).__name__}: {error}")


def _chunks(groups: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(groups), size):
        yield groups[start : start + size]
