"""What one measurement of a release's metrics concluded: per check, and for the whole measurement."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"  # no data, or too few samples: never read as a pass


@dataclass(frozen=True)
class CheckResult:
    name: str  # the check's name as the policy gives it
    verdict: Verdict
    detail: str  # what was measured, e.g. "p99 ModelLatency 312000 > 250000 (challenger)"


@dataclass(frozen=True)
class Judgement:
    """One measurement: the worst of its checks decides (a failure over no data, no data over a pass)."""

    checks: tuple[CheckResult, ...]

    @property
    def verdict(self) -> Verdict:
        verdicts = {check.verdict for check in self.checks}
        for worst in (Verdict.FAIL, Verdict.INCONCLUSIVE):
            if worst in verdicts:
                return worst
        return Verdict.PASS

    @property
    def summary(self) -> str:
        """One line for the history and the notifications: the verdict and the checks that decided it."""
        deciding = [check for check in self.checks if check.verdict is self.verdict] or list(self.checks)
        return f"{self.verdict.value}: " + "; ".join(f"{check.name} {check.detail}" for check in deciding)
