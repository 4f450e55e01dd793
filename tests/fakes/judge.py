"""A metric judge that answers from a script: each call takes the next Judgement (or raises the next error)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.verdict import CheckResult, Judgement, Verdict

LATENCY = MetricCheck("latency", "ModelLatency", "p99", maximum=250000.0)
ANALYSIS = Analysis((LATENCY,), interval_seconds=60, failure_limit=0, inconclusive_limit=2)


def judgement(verdict: Verdict, detail: str = "") -> Judgement:
    return Judgement((CheckResult("latency", verdict, detail or f"p99 ModelLatency {verdict.value.lower()}"),))


PASS = judgement(Verdict.PASS, "p99 ModelLatency 120000 <= 250000")
FAIL = judgement(Verdict.FAIL, "p99 ModelLatency 312000 > 250000")
NO_DATA = judgement(Verdict.INCONCLUSIVE, "no data")


@dataclass
class ScriptedJudge:
    """Answers `script` in order, then `otherwise`; an Exception in the script is raised instead."""

    script: list[Judgement | Exception] = field(default_factory=list)
    otherwise: Judgement = PASS
    asked: list[tuple[Subject, datetime, datetime]] = field(default_factory=list)

    def judge(self, analysis: Analysis, subject: Subject, start: datetime, end: datetime) -> Judgement:
        self.asked.append((subject, start, end))
        answer = self.script.pop(0) if self.script else self.otherwise
        if isinstance(answer, Exception):
            raise answer
        return answer
