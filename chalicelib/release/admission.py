"""Which Approved version starts, waits or is dropped: one release per group in flight, the newest waiting
one wins, production is never downgraded by a late event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.release.state import Candidate, GroupState, Release, Rules, Stage


@dataclass(frozen=True)
class Admission:
    state: GroupState
    start: Candidate | None = None  # start a release of this version now
    superseded: tuple[Candidate, ...] = ()
    ignored: str = ""  # why nothing happened


def admit(state: GroupState, candidate: Candidate, ended: Mapping[str, str] | None = None) -> Admission:
    """One release per group in flight; a newer Approved version waits, the newest waiting one wins.

    `ended` maps the ARNs whose history already records an end (FAILED, ROLLED_BACK, STOPPED, EXPIRED,
    SUPERSEDED) to it:
    an Approved event for one of them is a replay, and only `shepherd retry` releases it again.
    """
    newest = max(_known_versions(state), default=0)
    if state.newest_approved is None or candidate.version > state.newest_approved.version:
        # Kept as the state the caller saves when the candidate starts or waits.
        state = replace(state, newest_approved=candidate)
    if candidate.arn in state.arns() or (state.release and state.release.arn == candidate.arn):
        return Admission(state, ignored=f"v{candidate.version} is already known (duplicate or replayed event)")
    outcome = (ended or {}).get(candidate.arn)
    if outcome in (
        Stage.FAILED.value,
        Stage.ROLLED_BACK.value,
        Stage.SUPERSEDED.value,
        Stage.STOPPED.value,
        Stage.EXPIRED.value,
    ):
        # A replay, or the registry sweep seeing it again: only `shepherd retry` releases it again.
        return Admission(state, ignored=f"v{candidate.version} already ended {outcome} (replayed event)")
    if candidate.version < newest:
        # Never downgrade production on a late event; a manual rollback is the way back. It is recorded once.
        why = f"v{candidate.version} is older than v{newest}: not released"
        return Admission(state, superseded=(candidate,), ignored=why)
    if not state.in_flight:
        return Admission(state, start=candidate)
    dropped = (state.queued,) if state.queued else ()
    return Admission(replace(state, queued=candidate), superseded=dropped)


def _known_versions(state: GroupState) -> list[int]:
    return [kept.version for kept in state.needed()]


def new_release(
    state: GroupState, candidate: Candidate, names: tuple[str, str, str], rules: Rules, now: datetime
) -> Release:
    model, staging_config, production_config = names
    return Release(
        group=state.group,
        version=candidate.version,
        arn=candidate.arn,
        approved_by=candidate.approved_by,
        stage=Stage.STAGING,
        started_at=now,
        deadline=now + rules.staging_deadline,
        model=model,
        staging_config=staging_config,
        production_config=production_config,
        rules=rules,
        previous=state.live,
        metrics=candidate.metrics,
        metrics_uri=candidate.metrics_uri,
    )
