"""The release engine's use case for a version Rejected: it stops mid-release, leaves the queue, or
production rolls back from it; either way it is no rollback target any more."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.group import superseded_row, without_target
from chalicelib.release.machine import VersionRejected, next_state
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.results import DroppedFromQueue, ReleaseResult, Skipped
from chalicelib.release.rollback import rollback_state
from chalicelib.release.service import move
from chalicelib.release.state import GroupState
from chalicelib.release.writes import retrying
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.model_version import REJECTED


def on_rejected(arn: str, deps: ReleaseDeps) -> ReleaseResult:
    package = deps.packages.approval(arn)
    if package.status != REJECTED:
        return Skipped(f"status is {package.status}, not {REJECTED}", arn=arn)
    try:
        policy = release_policy(package.group, deps)
    except InvalidPolicyError:
        policy = None  # nothing ever released under a valid policy: only the queue may hold it
    else:
        if policy is None:
            return Skipped(f"group {package.group} has no release policy", arn=arn)
    return retrying(package.group, deps, lambda state: reject(state, arn, policy, deps))


def reject(state: GroupState, arn: str, policy: ReleasePolicy | None, deps: ReleaseDeps) -> ReleaseResult:
    forgotten = state.newest_approved is not None and state.newest_approved.arn == arn
    if forgotten:  # no longer a champion: the gate falls back to the registry's newest Approved
        state = replace(state, newest_approved=None)
    pruned = without_target(state, arn)  # a Rejected version must never be rolled back to
    forgotten = forgotten or pruned != state
    state = pruned
    if state.queued and state.queued.arn == arn:
        row = replace(
            superseded_row(state.queued, state.queued.version, deps.clock()),
            outcome="FAILED",
            reason="Rejected while it waited",
        )
        deps.store.save(replace(state, queued=None), [row])
        return DroppedFromQueue(state.group, state.queued.version)
    release = state.release
    if policy is None:  # invalid, and nothing was released under a valid one: nothing in flight or live
        if forgotten:
            deps.store.save(state)
        return Skipped("the group's policy is invalid and nothing was released under a valid one", group=state.group)
    if release is not None and release.arn == arn:
        return move(state, release, next_state(release, VersionRejected(deps.clock())), policy, deps)
    if state.live and state.live.arn == arn and state.good:
        return rollback_state(state, None, "model-shepherd", f"v{state.live.version} was Rejected", deps)
    if forgotten:
        deps.store.save(state)
    return Skipped("the rejected version is neither in flight, queued nor live", group=state.group)
