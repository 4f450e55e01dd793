"""The scheduled reconciler: level-triggered, it looks at every group as it is and moves it on.

It repairs what a lost event left behind (a release waiting on an endpoint that settled long ago), fails
releases past their deadlines, ends watch windows, watches alarms, starts queued versions, and puts
production back on the recorded live version if it drifted (a restore that SageMaker refused earlier).
"""

from __future__ import annotations

from typing import Any

from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.service import advance, release_policy
from chalicelib.release.steps import ReleaseDeps, restore
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger


def reconcile(deps: ReleaseDeps) -> dict[str, Any]:
    results = {}
    for group in deps.policies.groups():
        try:
            results[group] = reconcile_group(group, deps)
        except ShepherdError as error:  # one group's trouble must not stop the others
            logger.error("reconcile failed", extra={"group": group, "error": str(error)})
            count("ReconcileFailed")
            results[group] = {"error": str(error)}
    return {"groups": results}


def reconcile_group(group: str, deps: ReleaseDeps) -> dict[str, Any]:
    policy = release_policy(group, deps)
    if policy is None:
        return {"skipped": "no release policy"}
    result = advance(group, deps)
    state = deps.store.load(group)
    if state.in_flight or state.live is None:
        return result
    view = deps.endpoints.describe(policy.production.name)
    if view is not None and view.status == IN_SERVICE and view.config != state.live.config:
        logger.warning("production drifted from the live version", extra={"group": group, "config": view.config})
        count("ProductionDrift")
        restore(policy.production.name, state.live.config, deps)
        result = {**result, "restored": state.live.version}
    return result
