"""The scheduled reconciler: level-triggered, it looks at every group as it is and moves it on.

It repairs what a lost event left behind (a release waiting on an endpoint that settled long ago), fails
releases past their deadlines, ends watch windows, watches alarms, starts queued versions, and puts
production back on the recorded live version if it drifted (a restore that SageMaker refused earlier).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.repair import UPDATE_ROLLBACK_FAILED, retry_restore
from chalicelib.release.results import ReleaseResult, Skipped
from chalicelib.release.service import advance
from chalicelib.release.steps import restore
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger


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
    groups: Mapping[str, GroupReconciled | GroupNotReconciled]

    def as_dict(self) -> dict[str, Any]:
        return {"groups": {group: result.as_dict() for group, result in self.groups.items()}}


def reconcile(deps: ReleaseDeps) -> Reconciled:
    results: dict[str, GroupReconciled | GroupNotReconciled] = {}
    for group in deps.policies.groups():
        try:
            results[group] = reconcile_group(group, deps)
        except ShepherdError as error:
            logger.error("reconcile failed", extra={"group": group, "error": str(error)})
            count("ReconcileFailed")
            results[group] = GroupNotReconciled(str(error))
    return Reconciled(results)


def reconcile_group(group: str, deps: ReleaseDeps) -> GroupReconciled:
    policy = release_policy(group, deps)
    if policy is None:
        return GroupReconciled(Skipped("no release policy"))
    result = advance(group, deps)
    state = deps.store.load(group)
    if state.in_flight or state.live is None:
        return GroupReconciled(result)
    view = deps.endpoints.describe(policy.production.name)
    if view is not None and view.status == UPDATE_ROLLBACK_FAILED:  # a refused restore: retried, bounded
        return GroupReconciled(result, restored=retry_restore(state, policy, deps))
    if view is not None and view.status == IN_SERVICE and view.config != state.live.config:
        logger.warning("production drifted from the live version", extra={"group": group, "config": view.config})
        count("ProductionDrift")
        restore(policy.production.name, state.live.config, deps)
        return GroupReconciled(result, restored=state.live.version)
    return GroupReconciled(result)
