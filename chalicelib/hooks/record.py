"""A hook's answer as a release keeps it: which hook, what came of it, why, and how long it took."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

PRE_ROLLOUT = "pre_rollout"
CONFIRM_PROMOTION = "confirm_promotion"
POST_ROLLOUT = "post_rollout"
HOOK_NAMES = (PRE_ROLLOUT, CONFIRM_PROMOTION, POST_ROLLOUT)

PROCEED = "PROCEED"  # the receiver answered {"proceed": true}
HALT = "HALT"  # it answered, and not with a proceed
ERROR = "ERROR"  # no usable answer: refused, timed out, failed, unreadable (a halt too)
HOOK_ROW = "HOOK"  # a history row's outcome: a hook answered (it ends nothing)


@dataclass(frozen=True)
class HookRecord:
    hook: str
    outcome: str  # PROCEED, HALT or ERROR
    reason: str = ""
    seconds: float = 0.0  # from the first attempt to the last answer, retries and pauses included
    attempts: int = 1
    at: datetime | None = None  # when the answer came

    @property
    def proceeds(self) -> bool:
        return self.outcome == PROCEED

    @property
    def summary(self) -> str:
        said = "proceed" if self.proceeds else "halted"
        tries = f", {self.attempts} attempts" if self.attempts > 1 else ""
        because = f": {self.reason}" if self.reason else ""
        return f"{self.hook} {said} in {self.seconds:.1f} s{tries}{because}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "hook": self.hook,
            "outcome": self.outcome,
            "reason": self.reason,
            "seconds": self.seconds,
            "attempts": self.attempts,
            "at": self.at.isoformat() if self.at else None,
        }


def records_from_json(items: list[dict[str, Any]] | None) -> tuple[HookRecord, ...]:
    """The stored records (an item stored before hooks existed has none)."""
    records = []
    for item in items or ():
        at = item.get("at")
        records.append(HookRecord(**{**item, "at": datetime.fromisoformat(at) if at else None}))
    return tuple(records)


def answered(records: tuple[HookRecord, ...], hook: str) -> HookRecord | None:
    return next((record for record in records if record.hook == hook), None)
