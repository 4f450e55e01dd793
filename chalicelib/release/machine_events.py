"""What the release state machine reacts to: events that describe what *is* (an endpoint as DescribeEndpoint
shows it now, the smoke tests' outcome, an alarm firing, a rejection, the clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.hooks.engine import HookAnswered
from chalicelib.release.awaiting import Promoted, Stopped
from chalicelib.release.judged import Measured

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
