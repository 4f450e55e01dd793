"""A GetMetricData answer (samples per query Id) -> the Judgement of every check. Pure.

Per check: its threshold on the challenger's value over the window, and, with the champion's variant beside it
and a tolerance, the Mann-Whitney comparison of their per-minute samples. No data, or fewer than `min_samples`
per variant for the comparison, is INCONCLUSIVE: never read as a pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chalicelib.analysis.mann_whitney import greater
from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.queries import BASELINE, CHALLENGER, Ids, ids
from chalicelib.analysis.verdict import CheckResult, Judgement, Verdict
from chalicelib.analysis.window import label, number, window_value

ALPHA = 0.05  # a comparison fails when the chance of seeing this much worse by luck alone is below it
Samples = Mapping[str, Sequence[float]]


def judgement(analysis: Analysis, subject: Subject, samples: Samples) -> Judgement:
    return Judgement(
        tuple(_check(analysis, index, check, subject, samples) for index, check in enumerate(analysis.checks))
    )


def _check(analysis: Analysis, index: int, check: MetricCheck, subject: Subject, samples: Samples) -> CheckResult:
    parts: list[tuple[Verdict, str]] = []
    if check.maximum is not None or check.minimum is not None:
        parts.append(_threshold(check, ids(CHALLENGER, index, check), subject.variant, samples))
    if check.tolerance is not None:
        parts.append(_comparison(analysis, index, check, subject, samples))
    worst = Judgement(tuple(CheckResult(check.name, verdict, detail) for verdict, detail in parts)).verdict
    return CheckResult(check.name, worst, "; ".join(detail for _, detail in parts))


def _threshold(check: MetricCheck, names: Ids, variant: str, samples: Samples) -> tuple[Verdict, str]:
    value = window_value(check, names, samples)
    what = label(check)
    if value is None:
        return Verdict.INCONCLUSIVE, f"no data for {what} on {variant}"
    if check.maximum is not None and value > check.maximum:
        return Verdict.FAIL, f"{what} {number(value)} > {number(check.maximum)} on {variant}"
    if check.minimum is not None and value < check.minimum:
        return Verdict.FAIL, f"{what} {number(value)} < {number(check.minimum)} on {variant}"
    return Verdict.PASS, f"{what} {number(value)} {_within(check)} on {variant}"


def _within(check: MetricCheck) -> str:
    """`<= 250000`, `>= 0.8`, `within 0.8..0.99`."""
    if check.minimum is None:
        return f"<= {number(check.maximum or 0)}"
    if check.maximum is None:
        return f">= {number(check.minimum)}"
    return f"within {number(check.minimum)}..{number(check.maximum)}"


def _comparison(
    analysis: Analysis, index: int, check: MetricCheck, subject: Subject, samples: Samples
) -> tuple[Verdict, str]:
    what = label(check)
    if subject.baseline is None:  # a blue/green update or the watch window: no champion running beside it
        return Verdict.PASS, f"{what} not compared: no champion variant beside {subject.variant}"
    challenger = samples.get(ids(CHALLENGER, index, check).value, ())
    champion = samples.get(ids(BASELINE, index, check).value, ())
    if min(len(challenger), len(champion)) < analysis.min_samples:
        counts = f"{len(challenger)} on {subject.variant}, {len(champion)} on {subject.baseline}"
        return Verdict.INCONCLUSIVE, f"{what}: too few samples to compare ({counts}; {analysis.min_samples} needed)"
    tolerance = check.tolerance or 0.0
    if check.higher_is_worse:
        test = greater(challenger, [value * (1 + tolerance) for value in champion])
    else:
        test = greater([value * (1 - tolerance) for value in champion], challenger)
    margin = f" by more than {number(tolerance * 100)}%" if tolerance else ""
    stats = f"U={number(test.u)}, p={number(test.p_value, 2)}"
    if test.p_value < ALPHA:
        return Verdict.FAIL, f"{what} worse than {subject.baseline}{margin}: {stats} < {number(ALPHA)}"
    return Verdict.PASS, f"{what} not worse than {subject.baseline}{margin}: {stats}"
