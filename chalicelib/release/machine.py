"""The release state machine: `next_state(release, event) -> Transition`, pure.

Events describe what *is* (an endpoint as DescribeEndpoint shows it now, an alarm firing, the clock),
never what an event claimed, so a stale, duplicated or out-of-order event finds nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.hooks.engine import HookAnswered, going_live, hook_answered
from chalicelib.release.awaiting import Promoted, Stopped, await_promotion, awaiting, tick_awaiting
from chalicelib.release.state import SERVING, GroupState, Release, Stage
from chalicelib.release.transition import Action, Transition, end

IN_SERVICE = "InService"
MISSING = "Missing"  # DescribeEndpoint found no endpoint
FAILED_STATUSES = frozenset({"Failed", "UpdateRollbackFailed"})


@dataclass(frozen=True)
class EndpointSeen:
    at: datetime
    role: str  # "staging" or "production"
    status: str
    config: str | None
    failure: str | None = None
    canary_invocations: int | None = None  # production, on the new config, when the policy counts them
    kind: str = "endpoint"  # what staging runs on: an endpoint, or a batch target's smoke transform job


@dataclass(frozen=True)
class SmokeTested:
    at: datetime
    failures: tuple[str, ...]


@dataclass(frozen=True)
class AlarmsFiring:
    at: datetime
    alarms: tuple[str, ...]
    fired_at: datetime | None = None  # the alarm's own state-change time: what the watch window judges

    @property
    def when(self) -> datetime:
        # It cannot have fired after we read it: a time past ours is clock skew, and ours is used.
        return min(self.fired_at, self.at) if self.fired_at else self.at


@dataclass(frozen=True)
class VersionRejected:
    at: datetime


@dataclass(frozen=True)
class Tick:
    """The clock moved: deadlines and the end of the watch window."""

    at: datetime


Event = EndpointSeen | SmokeTested | AlarmsFiring | VersionRejected | Tick | Promoted | Stopped | HookAnswered
__all__ = ["Action", "Promoted", "Stopped", "Transition"]  # one import place for the machine's vocabulary


def failed(release: Release, reason: str, at: datetime) -> Transition:
    """A step was refused: the release fails, and production goes back if it was touched."""
    return _end(release, Stage.FAILED, reason, at, restore=release.stage is Stage.PRODUCTION)


def next_state(release: Release, event: Event) -> Transition:
    if isinstance(event, HookAnswered):  # post_rollout answers a release already LIVE
        return hook_answered(release, event)
    rejected_live = isinstance(event, VersionRejected) and release.stage is Stage.LIVE
    if not release.in_flight and not rejected_live and not late_alarm(release, event):
        return Transition(release)  # ended: nothing moves it again
    if isinstance(event, VersionRejected):
        return _rejected(release, event.at)
    if release.stage is Stage.AWAITING_PROMOTION:
        if isinstance(event, Promoted | Stopped):
            return awaiting(release, event)
        return tick_awaiting(release, event.at) if isinstance(event, Tick) else Transition(release)
    if isinstance(event, Promoted | Stopped):
        return Transition(release)  # only a release awaiting promotion is promoted or stopped
    if isinstance(event, Tick):
        return _tick(release, event.at)
    if isinstance(event, AlarmsFiring) and release.stage in SERVING and event.alarms:
        if release.watch_until is not None and event.when >= release.watch_until:
            # The window closed before the alarm: it is not ours to act on.
            return _tick(release, event.at) if release.stage is Stage.WATCHING else Transition(release)
        why = f"alarm {', '.join(event.alarms)} fired in the watch window"
        return _end(release, Stage.ROLLED_BACK, why, event.at, restore=True)
    if isinstance(event, SmokeTested) and release.stage is Stage.SMOKE_TESTING:
        return _smoke_tested(release, event)
    if isinstance(event, EndpointSeen):
        return _endpoint_seen(release, event)
    return Transition(release)


def late_alarm(release: Release, event: Event) -> bool:
    """An alarm that fired inside the watch window, handled after the window already ended it LIVE."""
    if not isinstance(event, AlarmsFiring) or release.stage is not Stage.LIVE or event.fired_at is None:
        return False
    return release.watch_until is not None and event.when < release.watch_until


def _endpoint_seen(release: Release, seen: EndpointSeen) -> Transition:
    if seen.role == "staging" and release.stage is Stage.STAGING:
        if seen.status == IN_SERVICE and seen.config == release.staging_config:
            return Transition(replace(release, stage=Stage.SMOKE_TESTING), (Action.RUN_SMOKE_TESTS,))
        if seen.status in FAILED_STATUSES or (seen.status == IN_SERVICE and seen.failure):
            # InService on another config with a FailureReason: SageMaker refused our update.
            why = f"staging {seen.kind} {seen.status}: {seen.failure or 'no reason'}"
            return _end(release, Stage.FAILED, why, seen.at)
        if seen.status in (IN_SERVICE, MISSING):
            return Transition(release, (Action.DEPLOY_STAGING,))  # our deploy never landed: repair
    if seen.role == "production" and release.stage is Stage.PRODUCTION:
        return _production_seen(release, seen)
    return Transition(release)


def _production_seen(release: Release, seen: EndpointSeen) -> Transition:
    if seen.status in FAILED_STATUSES:
        why = f"production endpoint {seen.status}: {seen.failure or 'no reason'}"
        return _end(release, Stage.FAILED, why, seen.at, restore=True)
    if seen.status not in (IN_SERVICE, MISSING):
        return Transition(release)  # Creating, Updating, RollingBack: the next event will tell
    if seen.status == MISSING or (seen.config != release.production_config and not seen.failure):
        return Transition(release, (Action.DEPLOY_PRODUCTION,))  # our deploy never landed: repair
    if seen.config != release.production_config:
        why = f"SageMaker rolled the update back: {seen.failure or 'a guardrail alarm fired'}"
        return _end(release, Stage.ROLLED_BACK, why, seen.at)
    minimum = release.rules.min_canary_invocations
    if seen.canary_invocations is not None and seen.canary_invocations < minimum:
        why = f"the canary saw {seen.canary_invocations} invocations, fewer than the {minimum} required"
        return _end(release, Stage.ROLLED_BACK, why, seen.at, restore=True)
    watching = release.rules.watch.total_seconds() > 0
    live = replace(
        release,
        stage=Stage.WATCHING if watching else Stage.LIVE,
        live_since=seen.at,
        watch_until=seen.at + release.rules.watch if watching else None,
        ended_at=None if watching else seen.at,
    )
    return going_live(release, Transition(live, notify="release.live"))


def _smoke_tested(release: Release, tested: SmokeTested) -> Transition:
    if tested.failures:
        return _end(release, Stage.FAILED, "smoke tests failed: " + "; ".join(tested.failures), tested.at)
    if release.rules.manual_promotion:
        return await_promotion(release, tested.at)
    deadline = tested.at + release.rules.production_deadline
    return Transition(replace(release, stage=Stage.PRODUCTION, deadline=deadline), (Action.DEPLOY_PRODUCTION,))


def _tick(release: Release, now: datetime) -> Transition:
    if release.stage is Stage.WATCHING:
        if release.watch_until is not None and now >= release.watch_until:
            return going_live(release, Transition(replace(release, stage=Stage.LIVE, ended_at=now)))
        return Transition(release)
    if now > release.deadline:
        why = f"{release.stage.value} passed its deadline {release.deadline.isoformat(timespec='seconds')}"
        return _end(release, Stage.FAILED, why, now, restore=release.stage is Stage.PRODUCTION)
    return Transition(release)


def _rejected(release: Release, now: datetime) -> Transition:
    why = f"v{release.version} was Rejected"
    if release.stage in (Stage.WATCHING, Stage.LIVE):
        return _end(release, Stage.ROLLED_BACK, why + " while live", now, restore=True)
    if release.stage is Stage.AWAITING_PROMOTION:
        return _end(release, Stage.FAILED, why + " while it awaited promotion", now)
    return _end(release, Stage.FAILED, why + " mid-release", now, restore=release.stage is Stage.PRODUCTION)


def _end(release: Release, stage: Stage, reason: str, now: datetime, restore: bool = False) -> Transition:
    return end(release, stage, reason, now, restore)


def outcome_transition(state: GroupState, release: Release, outcome: Event, now: datetime) -> Transition:
    """The answer to an action's outcome; a release that would now await promotion while a newer version
    waits queued is superseded instead, its outcome recorded, so the newer one goes."""
    transition = next_state(release, outcome)
    moved = transition.release
    if moved.stage is Stage.AWAITING_PROMOTION and state.queued and state.queued.version > release.version:
        why = f"smoke tests passed; v{state.queued.version} was approved while they ran"
        return Transition(replace(moved, stage=Stage.SUPERSEDED, reason=why, ended_at=now), notify="release.superseded")
    return transition
