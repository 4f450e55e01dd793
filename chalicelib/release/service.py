"""The release engine's use cases: an Approved version arrives, an endpoint changed (a Rejected one: release.rejection).

Each looks at what is (the store, the package, the endpoint), asks the pure machine what follows, writes
that with a conditional write, and only then acts: a duplicate or concurrent caller loses the write and
does nothing, so no step runs twice.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.release.attempts import ended_attempts
from chalicelib.release.awaiting import supersede_awaiting
from chalicelib.release.deps import ATTEMPTS, ReleaseDeps, release_policy
from chalicelib.release.group import admit, new_release, superseded_row
from chalicelib.release.lifecycle_record import record_lifecycles
from chalicelib.release.machine import (
    Action,
    AlarmsFiring,
    Event,
    Tick,
    Transition,
    failed,
    next_state,
    outcome_transition,
)
from chalicelib.release.names import resource_names
from chalicelib.release.observe import observe
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.progressive import split_serving
from chalicelib.release.results import NothingInFlight, Progress, Queued, ReleaseResult, Skipped
from chalicelib.release.state import SERVING, Candidate, GroupState, Release, Stage
from chalicelib.release.steps import perform
from chalicelib.release.writes import commit, retrying
from chalicelib.shared.errors import ConflictError, InvalidPolicyError, ReleaseStepError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger


def on_approved(arn: str, deps: ReleaseDeps) -> ReleaseResult:
    package = deps.packages.approval(arn)  # events may be stale: trust what the registry says now
    if package.status != APPROVED:
        return Skipped(f"status is {package.status}, not {APPROVED}", arn=arn)
    candidate = Candidate(package.version, arn, package.approved_by, deps.clock(), package.metrics, package.metrics_uri)
    return retrying(package.group, deps, lambda state: _approved(state, candidate, deps))


def _approved(state: GroupState, candidate: Candidate, deps: ReleaseDeps) -> ReleaseResult:
    try:
        policy = release_policy(state.group, deps, state)
    except InvalidPolicyError as error:  # no release ever ran under a valid policy: it waits, visibly
        return _admit(state, candidate, str(error), deps)
    if policy is None:
        return Skipped(f"group {state.group} has no release policy", arn=candidate.arn)
    return _admit(state, candidate, policy, deps)


def advance(group: str, deps: ReleaseDeps, fired: AlarmsFiring | None = None) -> ReleaseResult:
    """Move the group's release on from what is now (endpoint events and the reconciler both call this).

    `fired`: an alarm event that says when the alarm fired; it is judged by that time, not by ours.
    """
    return retrying(group, deps, lambda state: _advance_under_policy(state, deps, fired))


def _advance_under_policy(state: GroupState, deps: ReleaseDeps, fired: AlarmsFiring | None) -> ReleaseResult:
    try:
        policy = release_policy(state.group, deps, state)
    except InvalidPolicyError as error:  # nothing to protect; a waiting version stays waiting
        if state.queued:
            return Queued(state.group, state.queued.version, waiting=str(error))
        return Skipped(f"the group's policy is invalid: {error}", group=state.group)
    if policy is None:
        return Skipped("no release policy", group=state.group)
    return _advance(state, policy, deps, fired)


def _admit(state: GroupState, candidate: Candidate, policy: ReleasePolicy | str, deps: ReleaseDeps) -> ReleaseResult:
    """`policy` is the group's release policy, or why there is none to release under (it waits queued)."""
    superseded = supersede_awaiting(state, candidate, deps.clock())
    if superseded is not None and isinstance(policy, ReleasePolicy) and not policy.held:
        state = commit(state, Transition(superseded, notify="release.superseded"), deps)
    admission = admit(state, candidate, ended_attempts(state.group, deps))
    if admission.ignored:
        if admission.superseded:  # older than what the group has: it never goes, and the history says so
            newest = max((kept.version for kept in state.needed()), default=candidate.version)
            deps.store.save(state, [superseded_row(candidate, newest, deps.clock())])
        return Skipped(admission.ignored, group=state.group, version=candidate.version)
    if admission.start:
        return _start(admission.state, admission.start, policy, deps)
    rows = [superseded_row(dropped, candidate.version, deps.clock()) for dropped in admission.superseded]
    deps.store.save(admission.state, rows)
    return Queued(state.group, candidate.version, tuple(dropped.version for dropped in admission.superseded))


def start_release(state: GroupState, candidate: Candidate, policy: ReleasePolicy, deps: ReleaseDeps) -> ReleaseResult:
    """Start `candidate` now on a group with nothing in flight (admitted, or retried by a person)."""
    return _start(state, candidate, policy, deps)


def _start(state: GroupState, candidate: Candidate, policy: ReleasePolicy | str, deps: ReleaseDeps) -> ReleaseResult:
    held = policy if isinstance(policy, str) else policy.held
    if held:  # the policy is invalid: the version waits, queued with the reason, until it is fixed
        if state.queued != candidate:  # an older one waiting is dropped for it, and the history says so
            older = state.queued if state.queued and state.queued.arn != candidate.arn else None
            dropped = [superseded_row(older, candidate.version, deps.clock())] if older else []
            state = deps.store.save(replace(state, queued=candidate), dropped)
        return Queued(state.group, candidate.version, waiting=held)
    assert isinstance(policy, ReleasePolicy)
    now = deps.clock()
    release = new_release(
        state, candidate, resource_names(state.group, candidate.version, now, state.revision), policy.rules, now
    )
    release = replace(release, policy=policy.source)  # it governs this release if the policy turns invalid
    queued = None if state.queued == candidate else state.queued
    saved = deps.store.save(replace(state, release=release, queued=queued))  # claim first, then act
    saved = record_lifecycles(state, saved, deps)
    logger.info("release started", extra={"release": release.label, "approved_by": release.approved_by})
    count("ReleaseStarted")
    return _act(saved, Transition(release, (Action.DEPLOY_STAGING,)), policy, deps, claimed=True)


def _advance(state: GroupState, policy: ReleasePolicy, deps: ReleaseDeps, fired: AlarmsFiring | None) -> ReleaseResult:
    release = state.release
    if fired is not None and release is not None and _still_serving(state, release):
        alarmed = next_state(release, fired)
        if alarmed.moved(release):
            return _apply(state, release, alarmed, policy, deps)
    if release is None or not release.in_flight:
        if state.queued:
            return _start(state, state.queued, policy, deps)
        return NothingInFlight(state.group, release.stage if release else None)
    transition = next_state(release, observe(release, policy, deps))
    if not transition.moved(release) and not transition.actions:
        transition = next_state(release, Tick(deps.clock()))  # nothing seen: maybe a deadline passed
    return _apply(state, release, transition, policy, deps)


def _still_serving(state: GroupState, release: Release) -> bool:
    """Production serves the release: LIVE or watched, or a progressive step's share of it. (In a shadow test
    production serves only the champion: an alarm then says nothing of the challenger.)"""
    live = release.stage in SERVING and state.live is not None and state.live.arn == release.arn
    return live or split_serving(release)


def move(
    state: GroupState, before: Release, transition: Transition, policy: ReleasePolicy, deps: ReleaseDeps
) -> ReleaseResult:
    """Write `transition` (conditionally: ConflictError if the group moved meanwhile), then do its actions."""
    return _apply(state, before, transition, policy, deps)


def _apply(
    state: GroupState, before: Release, transition: Transition, policy: ReleasePolicy, deps: ReleaseDeps
) -> ReleaseResult:
    claimed = transition.moved(before)
    if claimed:
        state = commit(state, transition, deps)
    return _act(state, transition, policy, deps, claimed)


def _outcome(
    state: GroupState, release: Release, outcome: Event, policy: ReleasePolicy, deps: ReleaseDeps
) -> ReleaseResult:
    """Record what an action we claimed found (the smoke tests' result): it is ours alone to write.

    Another caller may have written the group meanwhile (a newer version approved and queued): the outcome
    is applied on the group as it is now, as long as the release still waits on it."""
    for _ in range(ATTEMPTS):
        transition = outcome_transition(state, release, outcome, deps.clock())
        try:
            return _apply(state, release, transition, policy, deps)
        except ConflictError:
            count("ReleaseWriteConflict")
            state = deps.store.load(state.group)
            current = state.release
            if current is None or current.key != release.key or current.stage is not release.stage:
                logger.info("outcome moot: the release moved on", extra={"release": release.label})
                return NothingInFlight(state.group, current.stage if current else None)
            release = current
    raise ConflictError(f"{state.group}: lost {ATTEMPTS} conditional writes in a row")


def _act(
    state: GroupState, transition: Transition, policy: ReleasePolicy, deps: ReleaseDeps, claimed: bool
) -> ReleaseResult:
    """Run the transition's actions. Only a caller whose write claimed them may fail the release."""
    release = transition.release
    for action in transition.actions:
        try:
            follow_up: Event | None = perform(action, release, policy, deps)
        except ReleaseStepError as error:
            if release.stage not in (Stage.STAGING, Stage.SHADOW, Stage.PRODUCTION) or not claimed:
                raise  # a repair that failed: the next event or reconciler run tries again
            return _apply(
                state, release, failed(release, f"{action.value} refused: {error}", deps.clock()), policy, deps
            )
        if follow_up is not None:
            return _outcome(state, release, follow_up, policy, deps)
    if not release.in_flight and state.queued:
        return _start(state, state.queued, policy, deps)  # the group is free: the newest waiting version goes
    return Progress(state.group, release.version, release.stage, release.reason, transition.actions)
