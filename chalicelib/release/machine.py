"""The release state machine: `next_state(release, event) -> Transition`, pure.

Events describe what *is* (an endpoint as DescribeEndpoint shows it now, an alarm firing, the clock),
never what an event claimed, so a stale, duplicated or out-of-order event finds nothing to do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.hooks.engine import HookAnswered, going_live, hook_answered
from chalicelib.release.awaiting import Promoted, Stopped, awaiting, tick_awaiting
from chalicelib.release.deployment_outcomes import endpoint_seen, smoke_tested
from chalicelib.release.judged import Measured, last_result, measured, tick_paused, unmeasurable, window_judged
from chalicelib.release.machine_events import (
    FAILED_STATUSES,
    IN_SERVICE,
    MISSING,
    AlarmsFiring,
    EndpointSeen,
    Event,
    SmokeTested,
    Tick,
    VersionRejected,
)
from chalicelib.release.progressive import aborted, alarmed_step, step_over
from chalicelib.release.shadow_stage import halted_after_shadow, shadow_failed, shadow_over, shadow_seen
from chalicelib.release.state import SERVING, GroupState, Release, Stage
from chalicelib.release.transition import Action, Transition, end

# One import place for the machine's vocabulary (its events live in machine_events).
__all__ = [
    "FAILED_STATUSES",
    "IN_SERVICE",
    "MISSING",
    "Action",
    "AlarmsFiring",
    "EndpointSeen",
    "Event",
    "Measured",
    "Promoted",
    "SmokeTested",
    "Stopped",
    "Tick",
    "Transition",
    "VersionRejected",
]


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
        return smoke_tested(release, event)
    if isinstance(event, EndpointSeen):
        return endpoint_seen(release, event)
    return Transition(release)


def late_alarm(release: Release, event: Event) -> bool:
    """An alarm that fired inside the watch window, handled after the window already ended it LIVE."""
    if not isinstance(event, AlarmsFiring) or release.stage is not Stage.LIVE or event.fired_at is None:
        return False
    return release.watch_until is not None and event.when < release.watch_until


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
