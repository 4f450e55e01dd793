"""Every check of an analysis, for the challenger and (with one) the champion's variant, as the
MetricDataQueries of ONE GetMetricData call, and its answer read back as per-minute samples per query Id.

The samples are per minute (Period 60) whatever the analysis interval: the Mann-Whitney comparison needs
many samples per window, and a minute is the finest period SageMaker's metrics have. A ratio check is two
Sums and the metric math expression dividing them per minute; the Sums are returned too, because the
threshold is on the window's ratio, sum over sum (an average of per-minute ratios would weigh a quiet
minute like a busy one).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject

SAMPLE_SECONDS = 60
MAX_QUERIES = 500  # GetMetricData's limit per call (the service model does not carry it)
QUERY_ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")  # CloudWatch's rule for an Id (not in the service model)
CHALLENGER, BASELINE = "c", "b"


@dataclass(frozen=True)
class Ids:
    """The query Ids of one check for one variant: `value` holds its samples (a ratio's, per minute), and a
    ratio's `numerator`/`denominator` hold the two Sums the window's ratio is computed from."""

    value: str
    numerator: str | None = None
    denominator: str | None = None


def ids(role: str, index: int, check: MetricCheck) -> Ids:
    base = f"{role}{index}"
    return Ids(base, f"{base}_n", f"{base}_d") if check.per else Ids(base)


def roles(subject: Subject) -> tuple[tuple[str, str], ...]:
    """(role letter, variant name): the challenger always, the champion's variant when it is compared."""
    pairs = [(CHALLENGER, subject.variant)]
    if subject.baseline is not None:
        pairs.append((BASELINE, subject.baseline))
    return tuple(pairs)


def whole_minutes(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) cut to whole minutes: CloudWatch rounds a minute period's start down anyway, and the minute
    still under way is incomplete (SageMaker publishes a minute's metrics after it ends)."""
    return start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)


def metric_data_request(analysis: Analysis, subject: Subject, start: datetime, end: datetime) -> dict[str, Any]:
    """The GetMetricData request for every check over [start, end); its answer is read by `samples_of`."""
    queries = [
        query
        for role, variant in roles(subject)
        for index, check in enumerate(analysis.checks)
        for query in _check_queries(ids(role, index, check), check, subject.endpoint, variant)
    ]
    if len(queries) > MAX_QUERIES:
        raise ValueError(f"{len(queries)} metric queries: GetMetricData takes at most {MAX_QUERIES}")
    return {"MetricDataQueries": queries, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"}


def _check_queries(names: Ids, check: MetricCheck, endpoint: str, variant: str) -> list[dict[str, Any]]:
    if names.numerator is None or names.denominator is None or check.per is None:
        return [_stat(names.value, check, check.metric, check.statistic, endpoint, variant)]
    return [
        _stat(names.numerator, check, check.metric, "Sum", endpoint, variant),
        _stat(names.denominator, check, check.per, "Sum", endpoint, variant),
        {"Id": names.value, "Expression": f"{names.numerator} / {names.denominator}", "ReturnData": True},
    ]


def _stat(query_id: str, check: MetricCheck, metric: str, stat: str, endpoint: str, variant: str) -> dict[str, Any]:
    dimensions = [
        {"Name": "EndpointName", "Value": endpoint},
        {"Name": "VariantName", "Value": variant},
        *({"Name": name, "Value": value} for name, value in check.dimensions),
    ]
    metric_spec = {"Namespace": check.namespace, "MetricName": metric, "Dimensions": dimensions}
    return {
        "Id": query_id,
        "MetricStat": {"Metric": metric_spec, "Period": SAMPLE_SECONDS, "Stat": stat},
        "ReturnData": True,
    }


def samples_of(pages: Iterable[Mapping[str, Any]]) -> dict[str, list[float]]:
    """Query Id -> its values in time order, the pages of one answer joined (a paged result continues)."""
    found: dict[str, list[tuple[datetime, float]]] = {}
    for page in pages:
        for result in page.get("MetricDataResults", []):
            points = zip(result.get("Timestamps", []), result.get("Values", []), strict=False)
            # A non-finite value (a proxy's or a custom metric's NaN) would break the ranks: not a sample.
            found.setdefault(result["Id"], []).extend(point for point in points if math.isfinite(point[1]))
    return {query_id: [value for _, value in sorted(points)] for query_id, points in found.items()}


def unreadable(pages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The results CloudWatch could not compute (Forbidden, InternalError): a measurement that did not happen."""
    return [
        f"{result['Id']}: {result.get('StatusCode')}"
        for page in pages
        for result in page.get("MetricDataResults", [])
        if result.get("StatusCode") not in (None, "Complete", "PartialData")
    ]
