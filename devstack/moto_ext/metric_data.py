"""GetMetricData as the metric analysis asks it: percentiles (p99) and metric math between two queries.

moto 5.2.5 computes only Average, Sum, Minimum, Maximum and SampleCount (a p99 query fails the whole
request), and its metric math only copies a query by its Id (`a / b` answers nothing). Here a percentile is
the nearest-rank percentile of the values put in the period (CloudWatch estimates; on a few values both are
the same), and `a <op> b` (`+ - * /`, an Id or a number each side) is computed timestamp by timestamp, a
division by zero leaving that timestamp out, as CloudWatch does. Other expressions stay moto's.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")
_OPERAND = r"([a-z][a-zA-Z0-9_]*|\d+(?:\.\d+)?)"
BINARY = re.compile(rf"^\s*{_OPERAND}\s*([-+*/])\s*{_OPERAND}\s*$")
OPERATORS: Mapping[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def patches() -> list[Patch]:
    from moto.cloudwatch.models import CloudWatchBackend, Statistics

    return [
        Wrap(Statistics, "get_statistics_for_type", _with_percentiles, gap="no percentiles in GetMetricData"),
        # A period with no value to rank (only StatisticValues were put) has no datapoint, as on CloudWatch:
        # moto would answer None and fail the whole request.
        Wrap(CloudWatchBackend, "get_metric_data", _without_missing, gap="no percentiles in GetMetricData"),
        Wrap(CloudWatchBackend, "get_metric_data", _with_arithmetic, gap="no metric math between queries"),
    ]


def _with_percentiles(call_next: Method, stats: Any, stat: str) -> Any:
    found = PERCENTILE.match(stat)
    if found is None:
        return call_next(stats, stat)
    values = sorted(stats.metric_single_values_list)
    if not values:
        return None
    rank = max(1, math.ceil(float(found.group(1)) / 100 * len(values)))
    return values[rank - 1]


def _without_missing(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> Any:
    results = call_next(backend, *args, **kwargs)
    for result in results:
        kept = [
            (stamp, value)
            for stamp, value in zip(result["timestamps"], result["values"], strict=True)
            if value is not None
        ]
        result["timestamps"], result["values"] = [stamp for stamp, _ in kept], [value for _, value in kept]
    return results


def _with_arithmetic(call_next: Method, backend: Any, queries: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
    computed = [query for query in queries if "Expression" in query and BINARY.match(query["Expression"])]
    if not computed:
        return call_next(backend, queries, *args, **kwargs)
    others = [{**query, "ReturnData": True} for query in queries if query not in computed]
    answered = call_next(backend, others, *args, **kwargs) if others else []
    by_id = {result["id"]: result for result in answered}
    for query in computed:
        by_id[query["Id"]] = _binary(query, by_id)
    return [by_id[query["Id"]] for query in queries if query.get("ReturnData", True) and query["Id"] in by_id]


def _binary(query: Mapping[str, Any], results: Mapping[str, Any]) -> dict[str, Any]:
    parsed = BINARY.match(query["Expression"])
    assert parsed is not None
    left, symbol, right = parsed.groups()
    series = [_series(operand, results) for operand in (left, right)]
    order = next((found for found in series if found is not None), {})  # moto's order (ScanBy) kept
    values, times = [], []
    for stamp in order:
        if any(found is not None and stamp not in found for found in series):
            continue  # CloudWatch computes a timestamp only where every series has a value
        a, b = (
            float(operand) if found is None else float(found[stamp])
            for found, operand in zip(series, (left, right), strict=True)
        )
        if symbol == "/" and b == 0:
            continue
        values.append(OPERATORS[symbol](a, b))
        times.append(stamp)
    label = query.get("Label") or query["Id"]
    return {"id": query["Id"], "label": label, "values": values, "timestamps": times, "status_code": "Complete"}


def _series(operand: str, results: Mapping[str, Any]) -> dict[Any, Any] | None:
    """A query's values by timestamp; None for a number."""
    if operand[0].isdigit():
        return None
    result = results.get(operand, {"timestamps": [], "values": []})
    return dict(zip(result["timestamps"], result["values"], strict=True))
