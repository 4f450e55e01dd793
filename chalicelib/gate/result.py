"""What the gate did with one version: decided it (applied, or not in a dry run) or skipped it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.gate.verdict import Outcome


@dataclass(frozen=True)
class GateResult:
    arn: str
    outcome: Outcome | None  # None: skipped, nothing decided
    applied: bool  # written to the registry (False in a dry run, and when skipped)
    reasons: tuple[str, ...] = ()
    skipped: str | None = None  # why the version was left alone

    @classmethod
    def skip(cls, arn: str, why: str) -> GateResult:
        return cls(arn, None, False, skipped=why)

    def as_dict(self) -> dict[str, Any]:
        """The Lambda's result and the idempotency record: one JSON shape, so a record stored by an
        earlier deployment still reads back."""
        if self.outcome is None:
            return {"arn": self.arn, "outcome": None, "applied": self.applied, "skipped": self.skipped}
        return {"arn": self.arn, "outcome": self.outcome.value, "applied": self.applied, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> GateResult:
        outcome = document.get("outcome")
        return cls(
            arn=str(document["arn"]),
            outcome=Outcome(outcome) if outcome else None,
            applied=bool(document.get("applied")),
            reasons=tuple(str(reason) for reason in document.get("reasons") or ()),
            skipped=document.get("skipped"),
        )
