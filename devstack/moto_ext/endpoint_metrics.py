"""Every invocation into CloudWatch as SageMaker publishes it, per EndpointName and VariantName (AWS/SageMaker).

`Invocations` 1; `Invocation4XXErrors` and `Invocation5XXErrors` 1 for a model error of that class, else 0
(SageMaker sends the 0s too: their Average is the error rate); `ModelLatency` in microseconds, one
datapoint per invocation. One PutMetricData per invocation: the local stack's burst stays as fast.
`clock` stamps the datapoints (None: moto's now); a demo may run a faster clock (docs/local-stack.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Invocation:
    account: str
    region: str
    endpoint: str
    variant: str
    error_status: int | None = None  # the HTTP status class of a model error (400..599), None when answered
    latency_us: int | None = None  # None: never reached the model (an async answer, timed elsewhere)


_counts: dict[tuple[str, str, str], int] = {}  # invocations per account, region and endpoint, ever
_lock = threading.Lock()
clock: Callable[[], datetime] | None = None


def reset() -> None:
    global clock
    with _lock:
        _counts.clear()
    clock = None


def faster_clock(speed: float, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Callable[[], datetime]:
    """From this moment on, `speed` times faster than `now`: a demo's per-minute intervals in seconds."""
    start = now()
    return lambda: start + (now() - start) * speed


def invocation_count(account: str, region: str, endpoint: str) -> int:
    return _counts.get((account, region, endpoint), 0)


def record(invocation: Invocation) -> None:
    from moto.cloudwatch.models import cloudwatch_backends

    data = _datapoints(invocation)
    if clock is not None:
        stamp = clock()  # moto keeps naive UTC times, as its own utcnow() gives them
        stamp = stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
        data = [{**datum, "Timestamp": stamp} for datum in data]
    cloudwatch_backends[invocation.account][invocation.region].put_metric_data("AWS/SageMaker", data)
    if invocation.endpoint:
        key = (invocation.account, invocation.region, invocation.endpoint)
        with _lock:
            _counts[key] = _counts.get(key, 0) + 1


def _datapoints(invocation: Invocation) -> list[dict[str, Any]]:
    dimensions = [
        {"Name": "EndpointName", "Value": invocation.endpoint},
        {"Name": "VariantName", "Value": invocation.variant},
    ]
    status = invocation.error_status or 0
    data = [
        _datum("Invocations", dimensions, 1.0),
        _datum("Invocation4XXErrors", dimensions, float(400 <= status < 500)),
        _datum("Invocation5XXErrors", dimensions, float(status >= 500)),
    ]
    if invocation.latency_us is not None:
        data.append(_datum("ModelLatency", dimensions, float(invocation.latency_us), "Microseconds"))
    return data


def _datum(name: str, dimensions: list[dict[str, str]], value: float, unit: str = "None") -> dict[str, Any]:
    return {"MetricName": name, "Dimensions": dimensions, "Value": value, "Unit": unit}
