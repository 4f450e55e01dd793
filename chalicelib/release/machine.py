"""The release state machine: `next_state(release, event) -> Transition`, pure.

Events describe what *is* (an endpoint as DescribeEndpoint shows it now, an alarm firing, the clock),
never what an event claimed, so a stale, duplicated or out-of-order event finds nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.hooks.engine import HookAnswered, going_live, hook_answered
from chalicelib.release.awaiting import Promoted, Stopped, await_promotion, awaiting, tick_awaiting
from chalicelib.release.judged import (
    Measured,
    judging_from,
    last_result,
    measured,
    tick_paused,
    unmeasurable,
    window_judged,
)
from chalicelib.release.progressive import aborted, alarmed_step, split_seen, step_over, stepping
from chalicelib.release.shadow_stage import (
    enter_shadow,
    halted_after_shadow,
    shadow_failed,
    shadow_over,
    shadow_seen,
    shadowing,
)
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
    judged_every: timedelta | None = None  # production, when the policy's metric analysis judges the release
    challenger_weight: int | None = None  # production, PROGRESSIVE: the challenger's percent when not the step's


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


Event = (
    EndpointSeen | SmokeTested | AlarmsFiring | VersionRejected | Tick | Promoted | Stopped | HookAnswered | Measured
)
__all__ = ["Action", "Measured", "Promoted", "Stopped", "Transition"]  # one import place for the machine's vocabulary


def failed(release: Release, reason: str, at: datetime) -> Transition:
    """A step was refused: the release fails, and production goes back if it was touched."""
    return _end(release, Stage.FAILED, reason, at, restore=release.stage in PRODUCTION_TOUCHED)


# In flight with production moved off the live version: a failure restores it.
PRODUCTION_TOUCHED = frozenset({Stage.SHADOW, Stage.PRODUCTION, Stage.PAUSED})


def next_state(release: Release, event: Event) -> Transition:
    if isinstance(event, HookAnswered):  # post_rollout answers a release already LIVE
        return halted_after_shadow(hook_answered(release, event), release)
    rejected_live = isinstance(event, VersionRejected) and release.stage is Stage.LIVE
    if not release.in_flight and not rejected_live and not late_alarm(release, event):
        return Transition(release)  # ended: nothing moves it again
    if isinstance(event, VersionRejected):
        return aborted(_rejected(release, event.at), release)
    if release.stage is Stage.AWAITING_PROMOTION:
        if isinstance(event, Promoted | Stopped):
            return awaiting(release, event)
        return tick_awaiting(release, event.at) if isinstance(event, Tick) else Transition(release)
    if isinstance(event, Promoted | Stopped):
        return Transition(release)  # only a release awaiting promotion is promoted or stopped
    if isinstance(event, AlarmsFiring) and (stepped := alarmed_step(release, event.alarms, event.when, event.at)):
        return stepped
    if release.stage is Stage.PAUSED:
        return shadow_failed(_paused(release, event), release)
    if release.stage is Stage.SHADOW:
        return shadow_failed(_shadow(release, event), release)
    if isinstance(event, Measured):
        return _measured(release, event)
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
        return aborted(_production_seen(release, seen), release)
    return Transition(release)


def _production_seen(release: Release, seen: EndpointSeen) -> Transition:
    if seen.status in FAILED_STATUSES:
        why = f"production endpoint {seen.status}: {seen.failure or 'no reason'}"
        return _end(release, Stage.FAILED, why, seen.at, restore=True)
    if seen.status not in (IN_SERVICE, MISSING):
        return Transition(release)  # Creating, Updating, RollingBack: the next event will tell
    if stepping(release):
        config = seen.config if seen.status == IN_SERVICE else None
        return split_seen(release, seen.at, config, seen.failure, seen.challenger_weight)
    if seen.status == MISSING or (seen.config != release.production_config and not seen.failure):
        return Transition(release, (Action.DEPLOY_PRODUCTION,))  # our deploy never landed: repair
    if seen.config != release.production_config:
        why = f"SageMaker rolled the update back: {seen.failure or 'a guardrail alarm fired'}"
        # "Back" may be a split or shadow config (PROGRESSIVE, a shadow test): the champion's own is restored then.
        back_on_champion = release.previous is None or seen.config == release.previous.config
        return _end(release, Stage.ROLLED_BACK, why, seen.at, restore=not back_on_champion)
    minimum = release.rules.min_canary_invocations
    if seen.canary_invocations is not None and seen.canary_invocations < minimum:
        why = f"the canary saw {seen.canary_invocations} invocations, fewer than the {minimum} required"
        return _end(release, Stage.ROLLED_BACK, why, seen.at, restore=True)
    # A judged release is watched for at least one measurement's interval, even with no watch window.
    watch = max(release.rules.watch, seen.judged_every or timedelta(0))
    watching = watch.total_seconds() > 0
    live = replace(
        release,
        stage=Stage.WATCHING if watching else Stage.LIVE,
        live_since=seen.at,
        watch_until=seen.at + watch if watching else None,
        ended_at=None if watching else seen.at,
    )
    live_transition = Transition(judging_from(live, seen.at) if seen.judged_every else live, notify="release.live")
    return going_live(release, live_transition)


def _smoke_tested(release: Release, tested: SmokeTested) -> Transition:
    if tested.failures:
        return _end(release, Stage.FAILED, "smoke tests failed: " + "; ".join(tested.failures), tested.at)
    if release.rules.manual_promotion:
        return await_promotion(release, tested.at)
    if shadowing(release):
        return enter_shadow(release, tested.at)
    deadline = tested.at + release.rules.production_deadline
    return Transition(replace(release, stage=Stage.PRODUCTION, deadline=deadline), (Action.DEPLOY_PRODUCTION,))


def _tick(release: Release, now: datetime) -> Transition:
    if release.stage is Stage.WATCHING:
        # A judged release is measured up to the window's end before it ends LIVE.
        if release.watch_until is not None and now >= release.watch_until and window_judged(release):
            judged = release.rollout.judged_until is not None
            reason = f"watched; last measurement {last_result(release)}" if judged else release.reason
            return going_live(release, Transition(replace(release, stage=Stage.LIVE, ended_at=now, reason=reason)))
        return unmeasurable(release, now) or Transition(release)
    over = step_over(release, now) if release.stage is Stage.PRODUCTION else None
    if over is not None:
        return over
    if now > release.deadline:
        why = f"{release.stage.value} passed its deadline {release.deadline.isoformat(timespec='seconds')}"
        return aborted(_end(release, Stage.FAILED, why, now, restore=release.stage in PRODUCTION_TOUCHED), release)
    return Transition(release)


def _measured(release: Release, event: Measured) -> Transition:
    judged = measured(release, event)
    if judged.release.stage is Stage.WATCHING:
        return _tick(judged.release, event.at)  # its last measurement may end the watch window
    if judged.release.stage is Stage.PRODUCTION:
        return step_over(judged.release, event.at) or judged  # its last measurement may end the step
    return aborted(judged, release)


def _shadow(release: Release, event: Event) -> Transition:
    """The shadow test: production's endpoint, its measurements, the clock."""
    if isinstance(event, Measured):
        judged = measured(release, event)
        return (shadow_over(judged.release, event.at) or judged) if judged.release.in_flight else judged
    if isinstance(event, EndpointSeen) and event.role == "production":
        if event.status in FAILED_STATUSES:
            why = f"production endpoint {event.status} during the shadow test: {event.failure or 'no reason'}"
            return _end(release, Stage.FAILED, why, event.at, restore=True)
        if event.status not in (IN_SERVICE, MISSING):
            return Transition(release)  # Updating: the next event will tell
        return shadow_seen(release, event.at, event.config if event.status == IN_SERVICE else None, event.failure)
    if isinstance(event, Tick):
        return shadow_over(release, event.at) or _tick(release, event.at)
    return Transition(release)


def _paused(release: Release, event: Event) -> Transition:
    """Waiting for people (Continue is theirs): the clock rolls it back at the deadline, so does an alarm
    while it serves production."""
    if isinstance(event, Tick):
        return aborted(tick_paused(release, event.at), release)
    if isinstance(event, AlarmsFiring) and event.alarms and release.live_since is not None:
        why = f"alarm {', '.join(event.alarms)} fired while the release was paused"
        return _end(release, Stage.ROLLED_BACK, why, event.at, restore=True)
    return Transition(release)


def _rejected(release: Release, now: datetime) -> Transition:
    why = f"v{release.version} was Rejected"
    if release.stage in (Stage.WATCHING, Stage.LIVE) or release.live_since is not None:
        return _end(release, Stage.ROLLED_BACK, why + " while live", now, restore=True)
    if release.stage is Stage.AWAITING_PROMOTION:
        return _end(release, Stage.FAILED, why + " while it awaited promotion", now)
    return _end(release, Stage.FAILED, why + " mid-release", now, restore=release.stage in PRODUCTION_TOUCHED)


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
