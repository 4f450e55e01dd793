"""What the release engine asks of the metric analysis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.analysis.policy import Analysis
from chalicelib.analysis.verdict import Judgement


@dataclass(frozen=True)
class Subject:
    """What is judged: the challenger's variant of an endpoint, and the champion's to compare it with."""

    endpoint: str
    variant: str  # the challenger's (the only variant in a blue/green update and the watch window)
    baseline: str | None = None  # the champion's variant (progressive, shadow); None: thresholds only


class Judge(Protocol):
    def judge(self, analysis: Analysis, subject: Subject, start: datetime, end: datetime) -> Judgement:
        """Every check of `analysis` over [start, end) in ONE GetMetricData call (both variants)."""
        ...
