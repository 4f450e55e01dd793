"""The policy's `release.analysis` as frozen values: which metrics judge a release, and how often."""

from __future__ import annotations

from dataclasses import dataclass


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
