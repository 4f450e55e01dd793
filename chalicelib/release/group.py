"""Group-level rules: what a release's end changes (which Approved version starts, waits or is dropped:
release.admission)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.hooks.engine import hook_rows
from chalicelib.release.admission import Admission, admit, new_release
from chalicelib.release.awaiting import promoted_row
from chalicelib.release.state import Candidate, Deployed, GroupState, HistoryRow, Release, Stage

# One import place for the group's rules (admission has its own module).
__all__ = [
    "ATTEMPT_ENDED",
    "Admission",
    "admit",
    "after",
    "new_release",
    "return_to",
    "served_until",
    "superseded_row",
    "without_target",
]


def after(state: GroupState, release: Release) -> tuple[GroupState, list[HistoryRow]]:
    """The group once `release` moved on, and the history rows that changed with it (its hooks' answers too)."""
    changed, rows = _after(state, release)
    return changed, rows + hook_rows(state.release, release)


def _after(state: GroupState, release: Release) -> tuple[GroupState, list[HistoryRow]]:
    before = state.release
    state = replace(state, release=release)
    just_live = release.live_since is not None and (before is None or before.live_since is None)
    if release.stage in (Stage.WATCHING, Stage.LIVE) and just_live:
        return _went_live(state, release)
    if release.stage is Stage.ROLLED_BACK and release.live_since is not None:
        return _returned(state, release)
    if release.stage is Stage.LIVE and before is not None and before.stage is Stage.WATCHING and release.reason:
        return state, [_row(release, "LIVE", served_from=release.live_since)]  # its row names the last judgement
    if release.stage in ATTEMPT_ENDED:
        return state, [_row(release, release.stage.value)]
    promoted = release.stage in (Stage.SHADOW, Stage.PRODUCTION)
    if before is not None and before.stage is Stage.AWAITING_PROMOTION and promoted:
        return state, [promoted_row(release, release.deadline - release.rules.production_deadline)]
    return state, []


ATTEMPT_ENDED = frozenset({Stage.FAILED, Stage.ROLLED_BACK, Stage.STOPPED, Stage.EXPIRED, Stage.SUPERSEDED})


def _went_live(state: GroupState, release: Release) -> tuple[GroupState, list[HistoryRow]]:
    assert release.live_since is not None
    new_live = release.as_deployed(release.live_since)
    rows = [_row(release, "LIVE", served_from=new_live.since)]
    good = state.good
    if state.live:
        rows.append(served_until(state.live, new_live.since, reason=f"replaced by v{release.version}"))
        good = (state.live, *good)[:5]
    return replace(state, live=new_live, good=good), rows


def _returned(state: GroupState, release: Release) -> tuple[GroupState, list[HistoryRow]]:
    """A release that served production was rolled back: its predecessor serves again."""
    now = release.ended_at or release.started_at
    if release.previous is None:  # a first release has nothing to return to
        rows = [_row(release, Stage.ROLLED_BACK.value, served_from=release.live_since, served_to=now)]
        return replace(state, live=None), rows
    return return_to(state, release.previous, now, "model-shepherd", release.reason, Stage.ROLLED_BACK.value)


def return_to(
    state: GroupState, target: Deployed, now: datetime, actor: str, reason: str, live_outcome: str = "LIVE"
) -> tuple[GroupState, list[HistoryRow]]:
    """Production goes back to `target`: it serves again from now, in a history row of its own."""
    rows = []
    if state.live:
        ended_reason = reason if live_outcome != "LIVE" else f"replaced by v{target.version}: {reason}"
        rows.append(served_until(state.live, now, live_outcome, ended_reason))
    replaced = state.live.version if state.live else None
    key = f"{now.isoformat(timespec='seconds')}#v{target.version:06d}#rollback"
    again = replace(target, since=now, replaced=replaced, history_key=key)
    rows.append(
        HistoryRow(
            key,
            target.version,
            target.arn,
            target.approved_by,
            "ROLLBACK",
            f"by {actor}: {reason}",
            served_from=now,
            replaced=replaced,
        )
    )
    good = tuple(deployed for deployed in state.good if deployed.version != target.version)
    return replace(state, live=again, good=good), rows


def served_until(deployed: Deployed, until: datetime, outcome: str = "LIVE", reason: str = "") -> HistoryRow:
    return HistoryRow(
        deployed.history_key,
        deployed.version,
        deployed.arn,
        deployed.approved_by,
        outcome,
        reason,
        served_from=deployed.since,
        served_to=until,
        replaced=deployed.replaced,
    )


def without_target(state: GroupState, arn: str) -> GroupState:
    """A Rejected version is no rollback target any more: not in `good`, not a release's way back."""
    good = tuple(deployed for deployed in state.good if deployed.arn != arn)
    release = state.release
    was_previous = release is not None and release.previous is not None and release.previous.arn == arn
    if release is not None and release.in_flight and was_previous and not (state.live and state.live.arn == arn):
        release = replace(release, previous=good[0] if good else None)
    return replace(state, good=good, release=release)


def superseded_row(candidate: Candidate, by: int, now: datetime) -> HistoryRow:
    key = f"{now.isoformat(timespec='seconds')}#v{candidate.version:06d}"
    return HistoryRow(
        key,
        candidate.version,
        candidate.arn,
        candidate.approved_by,
        Stage.SUPERSEDED.value,
        f"v{by} was approved while it waited",
    )


def _row(
    release: Release, outcome: str, served_from: datetime | None = None, served_to: datetime | None = None
) -> HistoryRow:
    replaced = release.previous.version if release.previous and served_from else None
    return HistoryRow(
        release.key,
        release.version,
        release.arn,
        release.approved_by,
        outcome,
        release.reason,
        served_from,
        served_to,
        replaced,
        ended_at=None if served_from else release.ended_at,
    )
