"""Manual promotion, pure: a release that passed its smoke tests waits in AWAITING_PROMOTION for a person.

Promote sends it to production; Stop ends it; the clock sends one reminder and, at the deadline, ends it
EXPIRED. Production is untouched until Promote: staging keeps serving the candidate meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.release.shadow_stage import enter_shadow, shadowing
from chalicelib.release.state import Candidate, GroupState, HistoryRow, Release, Stage
from chalicelib.release.transition import Action, Transition, end


@dataclass(frozen=True)
class Promoted:
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class Stopped:
    at: datetime
    actor: str
    reason: str


def await_promotion(release: Release, at: datetime) -> Transition:
    """The smoke tests passed under a manual promotion: wait, until the deadline, for a person."""
    waiting = replace(release, stage=Stage.AWAITING_PROMOTION, deadline=at + release.rules.promotion_expires)
    return Transition(waiting, notify="release.awaiting_promotion")


def waiting_since(release: Release) -> datetime:
    return release.deadline - release.rules.promotion_expires


def awaiting(release: Release, event: Promoted | Stopped) -> Transition:
    if event.at >= release.deadline:  # too late: the clock decided first, whatever the click says
        return expire(release, event.at)
    if isinstance(event, Stopped):
        return end(release, Stage.STOPPED, f"stopped by {event.actor}: {event.reason}", event.at)
    promoted = replace(release, promoted_by=event.actor, promotion_reason=event.reason)
    if shadowing(promoted):
        return replace(enter_shadow(promoted, event.at), notify="release.promoted")
    deadline = event.at + release.rules.production_deadline
    promoted = replace(promoted, stage=Stage.PRODUCTION, deadline=deadline)
    return Transition(promoted, (Action.DEPLOY_PRODUCTION,), notify="release.promoted")


def tick_awaiting(release: Release, now: datetime) -> Transition:
    if now >= release.deadline:
        return expire(release, now)
    if not release.reminded and now >= waiting_since(release) + release.rules.promotion_reminder:
        return Transition(replace(release, reminded=True), notify="release.promotion_reminder")
    return Transition(release)


def expire(release: Release, now: datetime) -> Transition:
    hours = release.rules.promotion_expires.total_seconds() / 3600
    why = f"not promoted within {hours:g} h: production untouched"
    return end(release, Stage.EXPIRED, why, now)


PROMOTED = "PROMOTED"  # a history row's outcome: a person sent the release on to production


def promoted_row(release: Release, at: datetime) -> HistoryRow:
    key = f"{at.isoformat(timespec='seconds')}#v{release.version:06d}#promote"
    return HistoryRow(
        key,
        release.version,
        release.arn,
        release.approved_by,
        PROMOTED,
        f"by {release.promoted_by}: {release.promotion_reason}",
    )


def supersede_awaiting(state: GroupState, by: Candidate, now: datetime) -> Release | None:
    """A newer Approved version ends the release awaiting promotion (as it would push a queued one out)."""
    release = state.release
    if release is None or release.stage is not Stage.AWAITING_PROMOTION or by.version <= release.version:
        return None
    why = f"v{by.version} was approved while it awaited promotion"
    return replace(release, stage=Stage.SUPERSEDED, reason=why, ended_at=now)
