"""What a rollback does to the release in flight, pure: it ends it, so nothing it would do next undoes the rollback.

A PAUSED release that never went live (paused in its shadow test or a progressive step) is rolled back to what
is live: production leaves the split and serves the live version alone, which stays live.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.release.group import superseded_row
from chalicelib.release.state import GroupState, HistoryRow, Release, Stage
from chalicelib.release.transition import end

# In flight and not serving production alone: a rollback ends them FAILED.
BEFORE_PRODUCTION = (Stage.STAGING, Stage.SMOKE_TESTING, Stage.SHADOW, Stage.PRODUCTION)


def paused_off_live(state: GroupState, to_version: int | None) -> Release | None:
    """The PAUSED release that never served alone, when the rollback asks for what is live (or the default)."""
    release = state.release
    if release is None or release.stage is not Stage.PAUSED or release.live_since is not None or state.live is None:
        return None
    return release if to_version in (None, state.live.version) else None


def stop_in_flight(state: GroupState, why: str, now: datetime) -> tuple[GroupState, list[HistoryRow]]:
    """The group with its waiting version dropped and its release ended, and the history rows that say so."""
    release = state.release
    rows: list[HistoryRow] = []
    if state.queued:  # a rollback means stop: a waiting version would undo it at once
        rows.append(replace(superseded_row(state.queued, state.queued.version, now), reason="dropped: " + why))
        state = replace(state, queued=None)
    if release is None or not release.in_flight:
        return state, rows
    if release.stage is Stage.AWAITING_PROMOTION:  # a later Promote would undo it
        return _ended(state, release, Stage.STOPPED, why, now, rows)
    if release.stage is Stage.PAUSED and release.live_since is None:
        return _ended(state, release, Stage.ROLLED_BACK, why, now, rows)
    if release.stage in (Stage.WATCHING, Stage.PAUSED):  # serving: the live version's own row says ROLLED_BACK
        return replace(state, release=end(release, Stage.ROLLED_BACK, why, now).release), rows
    if release.stage in BEFORE_PRODUCTION:
        return _ended(state, release, Stage.FAILED, why, now, rows)
    return state, rows


def _ended(
    state: GroupState, release: Release, stage: Stage, why: str, now: datetime, rows: list[HistoryRow]
) -> tuple[GroupState, list[HistoryRow]]:
    ended = end(release, stage, why, now).release
    row = HistoryRow(ended.key, ended.version, ended.arn, ended.approved_by, stage.value, why, ended_at=now)
    return replace(state, release=ended), [*rows, row]
