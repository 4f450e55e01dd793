"""The policy's `release.analysis` as frozen values: which metrics judge a release, and how often."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MetricCheck:
    """One CloudWatch metric judged every interval: against a threshold, and (with two variants) against the
    champion's samples on the same window."""

    name: str
    metric: str  # e.g. ModelLatency
    statistic: str  # Average, Sum, Minimum, Maximum, SampleCount, or a percentile such as p99
    namespace: str = "AWS/SageMaker"
    dimensions: tuple[tuple[str, str], ...] = ()  # beside EndpointName and VariantName, which the engine sets
    per: str | None = None  # a ratio's denominator metric (Invocation5XXErrors per Invocations)
    maximum: float | None = None  # the challenger fails above it
    minimum: float | None = None  # ... or below it
    tolerance: float | None = None  # baseline comparison: how much worse than the champion is still a pass
    higher_is_worse: bool = True  # latency and errors: a challenger above the champion is the regression


@dataclass(frozen=True)
class Analysis:
    checks: tuple[MetricCheck, ...]
    interval_seconds: int = 60
    failure_limit: int = 0  # failed measurements tolerated before rolling back
    inconclusive_limit: int = 2  # measurements with no data tolerated before asking people
    min_samples: int = 5  # per variant, for the baseline comparison; fewer is inconclusive


def analysis_of(section: Mapping[str, Any]) -> Analysis | None:
    """The release section's `analysis` (already through the schema and the policy checks); None without one."""
    spec = section.get("analysis")
    if not spec:
        return None
    return Analysis(
        checks=tuple(_check(check) for check in spec["checks"]),
        interval_seconds=int(spec.get("interval_seconds", 60)),
        failure_limit=int(spec.get("failure_limit", 0)),
        inconclusive_limit=int(spec.get("inconclusive_limit", 2)),
        min_samples=int(spec.get("min_samples", 5)),
    )


def _check(spec: Mapping[str, Any]) -> MetricCheck:
    return MetricCheck(
        name=spec["name"],
        metric=spec["metric"],
        statistic=spec["statistic"],
        namespace=spec.get("namespace", "AWS/SageMaker"),
        dimensions=tuple(sorted(spec.get("dimensions", {}).items())),
        per=spec.get("per"),
        maximum=_number(spec.get("maximum")),
        minimum=_number(spec.get("minimum")),
        tolerance=_number(spec.get("tolerance")),
        higher_is_worse=bool(spec.get("higher_is_worse", True)),
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
