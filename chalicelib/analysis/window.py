"""A check's value over the whole window, from its per-minute samples, and how it reads in a detail.

The window's value is the statistic applied to the minutes: Sum and SampleCount add up, Minimum and Maximum
take the extreme, Average is the mean of the minutes' averages (each minute weighs the same), and a
percentile pNN is the nearest-rank pNN of the minutes' pNN values (for p99 over an hour that is about the
worst minute: the conservative reading, as the minutes' request counts are not asked for). A ratio is the
window's numerator sum over its denominator sum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from chalicelib.analysis.policy import MetricCheck
from chalicelib.analysis.queries import Ids


def window_value(check: MetricCheck, names: Ids, samples: Mapping[str, Sequence[float]]) -> float | None:
    """None: no sample (or a ratio whose denominator is 0: no traffic to be a rate of)."""
    if names.numerator is not None and names.denominator is not None:
        numerator, denominator = samples.get(names.numerator, ()), samples.get(names.denominator, ())
        total = sum(denominator)
        return sum(numerator) / total if numerator and total > 0 else None
    values = samples.get(names.value, ())
    return aggregate(check.statistic, values) if values else None


def aggregate(statistic: str, values: Sequence[float]) -> float:
    if statistic in ("Sum", "SampleCount"):
        return math.fsum(values)
    if statistic == "Minimum":
        return min(values)
    if statistic == "Maximum":
        return max(values)
    if statistic == "Average":
        return math.fsum(values) / len(values)
    return nearest_rank(sorted(values), float(statistic.removeprefix("p")))


def nearest_rank(ordered: Sequence[float], percent: float) -> float:
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def label(check: MetricCheck) -> str:
    """`p99 ModelLatency`, `Invocation5XXErrors/Invocations`."""
    return f"{check.metric}/{check.per}" if check.per else f"{check.statistic} {check.metric}"


def number(value: float, digits: int = 6) -> str:
    """312000, 0.0043, 1.5: whole numbers whole, others with `digits` significant digits."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"
