"""What a group's report shows, as frozen values: the page is a pure function of this."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.release.rollout_view import RolloutView
from chalicelib.release.state import HistoryRow

IN_FLIGHT_STAGES = ("STAGING", "SMOKE_TESTING", "SHADOW", "PRODUCTION", "WATCHING")


@dataclass(frozen=True)
class VersionPoint:
    version: int
    created: datetime | None
    status: str  # Approved, Rejected, PendingManualApproval
    outcome: str | None  # the gate's: approve, reject, review
    role: str  # LIVE, STAGING, ..., queued, rollback target, or ""
    metrics: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Bar:
    """One line a metric is held to: a floor (reject below) or the approval bar."""

    metric: str
    stage: str  # "floor" or "bar"
    symbol: str  # >=, >, <=, <
    limit: float


@dataclass(frozen=True)
class InFlight:
    version: int
    stage: str  # one of IN_FLIGHT_STAGES, AWAITING_PROMOTION or PAUSED
    paused_at: str | None = None  # PAUSED: the stage it paused at (one of IN_FLIGHT_STAGES)
    shadowed: bool = False  # its rollout starts with a shadow test (else the strip leaves SHADOW out)


@dataclass(frozen=True)
class GroupPicture:
    group: str
    generated: datetime
    policy: str | None  # name@digest, None when the group has none it can use
    policy_problem: str | None
    live_version: int | None
    in_flight: InFlight | None
    versions: tuple[VersionPoint, ...]  # oldest first
    history: tuple[HistoryRow, ...]  # newest event first
    key_metrics: tuple[str, ...]
    bars: tuple[Bar, ...] = ()
    watched_until: datetime | None = None  # the LIVE version inside its watch window: not in flight
    queued: int | None = None  # the version waiting for the release in flight
    rollout: RolloutView | None = None  # the latest release's shadow test or progressive steps, in flight or ended

    def bars_for(self, metric: str) -> tuple[Bar, ...]:
        return tuple(bar for bar in self.bars if bar.metric == metric)
