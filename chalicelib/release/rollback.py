"""Manual rollback (Slack's button, the CLI): production back to the previous good or a named version.

Who and why are recorded in the history. A release in flight is stopped first; a PAUSED one that never
went live ends ROLLED_BACK and production serves what is live alone again. The state is written
(conditionally) before UpdateEndpoint; if SageMaker refuses that update, the reconciler sees production
off the recorded live version and sends it there again.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.release.deps import ATTEMPTS, ReleaseDeps, production_deps, release_policy
from chalicelib.release.group import return_to
from chalicelib.release.in_flight_stop import paused_off_live, stop_in_flight
from chalicelib.release.lifecycle_record import record_lifecycles
from chalicelib.release.machine import IN_SERVICE
from chalicelib.release.messages import rollback_notification
from chalicelib.release.names import resource_names
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.production import production_view, restore
from chalicelib.release.results import RolledBack
from chalicelib.release.state import Deployed, GroupState, Stage
from chalicelib.shared.errors import ConflictError, InvalidPolicyError, ProductionBusyError, RollbackError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger


class ReleaseRollbacks:
    """The Rollbacks port (Slack's Roll back button): `rollback` with the release engine's deps bound."""

    def __init__(self, deps: Callable[[], ReleaseDeps]) -> None:
        self._deps = deps  # built on first use: a refused click must not pay for the release wiring

    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> RolledBack:
        return rollback(group, to_version, actor, reason, self._deps())


def rollback(group: str, to_version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> RolledBack:
    """to_version None: the previous good version. Raises RollbackError or ConflictError, changing nothing."""
    for _ in range(ATTEMPTS):
        try:
            return rollback_state(deps.store.load(group), to_version, actor, reason, deps)
        except ProductionBusyError:
            raise
        except ConflictError:
            count("ReleaseWriteConflict")
    raise ConflictError(f"{group}: the release state kept changing; try again")


def rollback_state(state: GroupState, to_version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> RolledBack:
    """`rollback` on a state the caller loaded (a live version Rejected rolls back inside the caller's retries)."""
    policy = _policy(state.group, deps)
    deps = production_deps(policy, deps)  # the registry and the store stay the app's; the endpoint is production's
    view = production_view(state.group, policy, deps)
    if view is not None and view.status != IN_SERVICE:
        raise ProductionBusyError(f"production is {view.status}: try again when it settles")
    paused = paused_off_live(state, to_version)  # it goes back to what is live, which stays live
    target = state.live if paused and state.live else _target(state, to_version, policy, deps)
    status = deps.packages.approval(target.arn).status  # a Rejected event may have been lost: ask again
    if status != APPROVED:
        raise RollbackError(f"v{target.version} is {status}: only an Approved version can serve production")
    now = deps.clock()
    from_version = paused.version if paused else state.live.version if state.live else None
    why = f"rolled back by {actor}: {reason}" if paused else f"stopped: rollback to v{target.version} by {actor}"
    changed, rows = stop_in_flight(state, why, now)
    if not paused:
        changed, more = return_to(changed, target, now, actor, reason, live_outcome=Stage.ROLLED_BACK.value)
        rows += more
    saved = deps.store.save(changed, rows)
    try:
        restore(state.group, policy, target, deps)
    finally:  # production may refuse the restore (the reconciler repeats it): the registry says where it is
        saved = record_lifecycles(state, saved, deps)
    logger.info("rolled back", extra={"group": state.group, "to": target.version, "actor": actor, "why": reason})
    count("RolledBack")
    next_target = saved.good[0] if saved.good else None
    deps.notifier.send(rollback_notification(state.group, from_version, target, actor, reason, next_target))
    return RolledBack(state.group, from_version, target.version, actor, reason, now)


def _policy(group: str, deps: ReleaseDeps) -> ReleasePolicy:
    try:
        policy = release_policy(group, deps)
    except InvalidPolicyError as error:
        raise RollbackError(f"group {group}: {error}") from None
    if policy is None:
        raise RollbackError(f"group {group} has no release policy")
    return policy


def _target(state: GroupState, to_version: int | None, policy: ReleasePolicy, deps: ReleaseDeps) -> Deployed:
    if state.live and to_version == state.live.version:
        raise RollbackError(f"v{to_version} is already live in {state.group}")
    if to_version is None:
        if not state.good:
            raise RollbackError(f"{state.group} has no previous good version to roll back to")
        return state.good[0]
    for deployed in state.good:
        if deployed.version == to_version:
            return deployed
    return _deploy_named(state, to_version, policy, deps)


def _deploy_named(state: GroupState, version: int, policy: ReleasePolicy, deps: ReleaseDeps) -> Deployed:
    """A version that is not a recorded target: it must still be Approved; it gets its own model and config."""
    arn = _arn_of(state, version, deps)
    package = deps.packages.approval(arn)
    if package.status != APPROVED:
        raise RollbackError(f"v{version} is {package.status}: only an Approved version can serve production")
    model, _, config = resource_names(state.group, version, deps.clock(), state.revision)
    deps.endpoints.create_model(model, arn, policy.execution_role("production"))
    if policy.batch is None:  # a batch target publishes the model's name: there is no endpoint to configure
        deps.endpoints.create_config(config, policy.production, model)
    return Deployed(
        version,
        arn,
        config,
        package.approved_by,
        deps.clock(),
        metrics=package.metrics,
        metrics_uri=package.metrics_uri,
    )


def _arn_of(state: GroupState, version: int, deps: ReleaseDeps) -> str:
    for row in deps.store.history(state.group):
        if row.version == version:
            return row.arn
    known = state.live.arn if state.live else (state.release.arn if state.release else None)
    if known is None:
        raise RollbackError(f"{state.group} has no release history to find v{version} in")
    return known.rsplit("/", 1)[0] + f"/{version}"  # same group, same account: only the number differs
