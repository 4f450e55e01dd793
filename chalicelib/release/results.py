"""What a release use case did to one group, as values. `as_dict()` is what the Lambda handlers answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.release.machine import Action
from chalicelib.release.state import Stage


@dataclass(frozen=True)
class Progress:
    """The release was looked at: where it stands now and what was done (nothing, a step, or a repair)."""

    group: str
    version: int
    stage: Stage
    reason: str
    actions: tuple[Action, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "version": self.version,
            "stage": self.stage.value,
            "reason": self.reason,
            "actions": [action.value for action in self.actions],
        }


@dataclass(frozen=True)
class Queued:
    """An Approved version waits for the release in flight; the versions it pushed out of the queue."""

    group: str
    version: int
    superseded: tuple[int, ...] = ()
    waiting: str = ""  # why it cannot start even when the group is free (the group's policy is invalid)

    def as_dict(self) -> dict[str, Any]:
        answer = {"group": self.group, "version": self.version, "queued": True, "superseded": list(self.superseded)}
        return {**answer, "waiting": self.waiting} if self.waiting else answer


@dataclass(frozen=True)
class DroppedFromQueue:
    """A waiting version was Rejected: it will not be released."""

    group: str
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "dropped_queued": self.version}


@dataclass(frozen=True)
class NothingInFlight:
    group: str
    last_stage: Stage | None  # how the group's last release ended; None before its first

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "stage": self.last_stage.value if self.last_stage else None, "changed": False}


@dataclass(frozen=True)
class RolledBack:
    """Production was sent back to `to_version`, by `actor`, for `reason` (as the history records it)."""

    group: str
    from_version: int | None  # what served before; None when nothing did
    to_version: int
    actor: str
    reason: str
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "actor": self.actor,
            "reason": self.reason,
            "at": self.at.isoformat(timespec="seconds"),
        }


@dataclass(frozen=True)
class Skipped:
    """Nothing to do, and why; with what it was about, where the caller knew (a package, a group, a version)."""

    reason: str
    arn: str | None = None
    group: str | None = None
    version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        about = {"arn": self.arn, "group": self.group, "version": self.version}
        return {**{key: value for key, value in about.items() if value is not None}, "skipped": self.reason}


ReleaseResult = Progress | Queued | DroppedFromQueue | NothingInFlight | RolledBack | Skipped


@dataclass(frozen=True)
class Awaiting:
    """A release awaiting promotion: its candidate's package, and when this attempt started (approvals for
    a promotion belong to one attempt: a retried release is approved again)."""

    group: str
    version: int
    arn: str
    started_at: datetime
