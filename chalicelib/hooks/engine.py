"""The hooks in the release state machine, pure: when a hook is asked, and what its answer does.

pre_rollout is asked before production is touched (its pass is recorded, so a repeated deploy does not
ask again); a halt fails the release with production untouched. confirm_promotion is asked when the
release would become LIVE; a halt rolls it back. post_rollout is asked once it is LIVE (not after a
rollback: like Argo Rollouts, post runs on success only); its answer is recorded only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.hooks.record import CONFIRM_PROMOTION, HOOK_ROW, POST_ROLLOUT, PRE_ROLLOUT, HookRecord, answered
from chalicelib.release.state import HistoryRow, Release, Stage
from chalicelib.release.transition import Action, Transition, end


@dataclass(frozen=True)
class HookAnswered:
    at: datetime
    record: HookRecord


def going_live(before: Release, live: Transition) -> Transition:
    """`live` would end `before` LIVE: the confirm hook is asked first; the post hook follows it."""
    if live.release.stage is not Stage.LIVE:
        return live
    if CONFIRM_PROMOTION in before.rules.hooks and answered(before.hooks, CONFIRM_PROMOTION) is None:
        return Transition(before, (Action.CONFIRM_PROMOTION,))
    return _then_post(live)


def hook_answered(release: Release, event: HookAnswered) -> Transition:
    """An answer to a hook the release still waits on; any other (late, repeated) changes nothing."""
    record = event.record
    if answered(release.hooks, record.hook) is not None:
        return Transition(release)
    recorded = replace(release, hooks=(*release.hooks, record))
    if record.hook == PRE_ROLLOUT and release.stage is Stage.PRODUCTION:
        if record.proceeds:
            return Transition(recorded, (Action.DEPLOY_PRODUCTION,))
        return end(recorded, Stage.FAILED, f"pre_rollout hook halted: {record.reason}", event.at)
    if record.hook == CONFIRM_PROMOTION and release.stage in (Stage.PRODUCTION, Stage.WATCHING):
        if record.proceeds:
            return _then_post(_live(recorded, event.at))
        return end(recorded, Stage.ROLLED_BACK, f"confirm_promotion hook halted: {record.reason}", event.at, True)
    if record.hook == POST_ROLLOUT and release.stage is Stage.LIVE:
        return Transition(recorded)
    return Transition(release)


def _live(release: Release, at: datetime) -> Transition:
    if release.stage is Stage.WATCHING:  # the watch window is over
        return Transition(replace(release, stage=Stage.LIVE, ended_at=at))
    # Production InService on the release's config, and no watch window: LIVE from now.
    live = replace(release, stage=Stage.LIVE, live_since=at, watch_until=None, ended_at=at)
    return Transition(live, notify="release.live")


def _then_post(live: Transition) -> Transition:
    if POST_ROLLOUT not in live.release.rules.hooks:
        return live
    return replace(live, actions=(*live.actions, Action.POST_ROLLOUT))


def hook_rows(before: Release | None, release: Release) -> list[HistoryRow]:
    """A history row for each answer the release gained."""
    known = before.hooks if before is not None and before.key == release.key else ()
    return [_row(release, record) for record in release.hooks if record not in known]


def _row(release: Release, record: HookRecord) -> HistoryRow:
    at = record.at or release.started_at
    key = f"{at.isoformat(timespec='seconds')}#v{release.version:06d}#hook-{record.hook}"
    return HistoryRow(key, release.version, release.arn, release.approved_by, HOOK_ROW, record.summary, ended_at=at)
