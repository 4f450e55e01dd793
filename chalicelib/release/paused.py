"""A PAUSED release, pure: the metric analysis found no data too often, so people decide what happens.

Continue sends it back to the stage it paused at, with that stage's deadline from now and its inconclusive
count cleared; who and why go into a CONTINUED history row, which ends nothing (like PROMOTED and RETRY).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.release.state import HistoryRow, Release, Rules, Stage
from chalicelib.release.transition import Transition

CONTINUED = "CONTINUED"  # a history row's outcome: a person let a paused release go on
LAST_JUDGEMENTS = 3  # what a message or `status` shows of why it paused: the newest measurements


@dataclass(frozen=True)
class Pause:
    """A PAUSED release as people decide about it: its package (whose registrant may not approve), and when the
    pause runs out (approvals to continue belong to one pause: a release paused again is approved again)."""

    group: str
    version: int
    arn: str
    until: datetime


@dataclass(frozen=True)
class Continued:
    at: datetime
    actor: str
    reason: str


def resumed_stage(release: Release) -> Stage:
    """Where Continue takes it: the stage it paused at (a release paused before that was recorded: by what it did)."""
    if release.rollout.paused_from is not None:
        return release.rollout.paused_from
    return Stage.WATCHING if release.live_since is not None else Stage.PRODUCTION


def stage_deadline(rules: Rules, stage: Stage) -> timedelta:
    """The time a release is given in `stage`, from the rules it started under."""
    if stage in (Stage.STAGING, Stage.SMOKE_TESTING):
        return rules.staging_deadline
    if stage is Stage.WATCHING:
        return rules.watch  # the watch window itself ends on `watch_until`; the deadline only bounds the pause
    return rules.production_deadline  # PRODUCTION and SHADOW run on production's time


def continue_release(release: Release, event: Continued) -> Transition:
    back = resumed_stage(release)
    rollout = replace(release.rollout, inconclusive=0, paused_from=None)
    deadline = event.at + stage_deadline(release.rules, back)
    return Transition(replace(release, stage=back, deadline=deadline, rollout=rollout), notify="release.continued")


def continued_row(release: Release, event: Continued) -> HistoryRow:
    key = f"{event.at.isoformat(timespec='seconds')}#v{release.version:06d}#continue"
    reason = f"by {event.actor}: {event.reason}"
    return HistoryRow(key, release.version, release.arn, release.approved_by, CONTINUED, reason)


def last_judgements(release: Release) -> tuple[str, ...]:
    """Why it paused, as the analysis recorded it: the newest measurements' summaries, newest last."""
    return release.rollout.results[-LAST_JUDGEMENTS:]
