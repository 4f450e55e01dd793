"""Production back on the recorded live version as soon as SageMaker lets us, and a refused restore retried.

SageMaker cannot stop an update in progress: a restore refused while production was Updating is sent again
on production's next endpoint event (the update ended), not left to the next reconciler run. A restore that
ended in UpdateRollbackFailed is retried by the reconciler for a bounded time, then reported.
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib.release.deps import ReleaseDeps, production_deps
from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.names import shadow_config_of, split_config_of
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.production import production_view, restore
from chalicelib.release.state import GroupState
from chalicelib.shared.observability import count, logger, stuck

UPDATE_ROLLBACK_FAILED = "UpdateRollbackFailed"
RESTORE_RETRIES_FOR = timedelta(hours=2)  # then people must look: the restore keeps being refused


def return_production(group: str, policy: ReleasePolicy, deps: ReleaseDeps) -> int | None:
    """The live version, if production was sent back to it now (it served another config, or is stuck)."""
    state = deps.store.load(group)
    if state.in_flight or state.live is None:
        return None
    deps = production_deps(policy, deps)
    view = production_view(group, policy, deps)
    if view is None:
        return None
    if view.status == UPDATE_ROLLBACK_FAILED:
        return retry_restore(state, policy, deps)
    if view.status == IN_SERVICE and view.config != state.live.config:
        report_drift(state, view.config)
        restore(state.group, policy, state.live, deps)
        return state.live.version
    return None


def retry_restore(state: GroupState, policy: ReleasePolicy, deps: ReleaseDeps) -> int | None:
    """Production is UpdateRollbackFailed: UpdateEndpoint to the live config again, for a bounded time."""
    assert state.live is not None
    deps = production_deps(policy, deps)
    since = state.release.ended_at if state.release and state.release.ended_at else state.live.since
    if deps.clock() - since > RESTORE_RETRIES_FOR:
        logger.error(
            "production stuck in UpdateRollbackFailed; restore retries exhausted",
            extra={"group": state.group, "live": state.live.version, "since": since.isoformat()},
        )
        stuck("RestoreAbandoned")  # people must repair production by hand
        return None
    count("RestoreRetried")
    restore(state.group, policy, state.live, deps)
    return state.live.version


def report_drift(state: GroupState, config: str | None) -> None:
    """Counted as ProductionDrift either way; a warning only when it is not the ended release's own split or
    shadow config, whose restore was deferred while its weights settled (the expected end of an abort)."""
    count("ProductionDrift")
    release, extra = state.release, {"group": state.group, "config": config}
    if release is not None and config in (split_config_of(release.model), shadow_config_of(release.model)):
        logger.info("production returns to the live version from the ended release's config", extra=extra)
    else:
        logger.warning("production drifted from the live version", extra=extra)
