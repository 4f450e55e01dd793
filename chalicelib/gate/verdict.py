"""The values a gate evaluation produces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REVIEW = "review"


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def render(self) -> str:
        return f"{self.detail} {'ok' if self.passed else 'FAIL'}"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    summary: str
    checks: tuple[Check, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)
    champion_metrics: Mapping[str, float] | None = None

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.passed)

    @property
    def reasons(self) -> list[str]:
        return [self.summary, *(check.render() for check in self.checks)]
