"""Per-variant metrics put into moto's CloudWatch, one datapoint set per minute with explicit timestamps, so the
real CloudWatch judge measures a judged release driven through the handlers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import boto3

from tests.support.release import PRODUCTION

LATENCY_CHECK = {"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000, "tolerance": 0.1}
ANALYSIS = {"checks": [LATENCY_CHECK], "interval_seconds": 60, "inconclusive_limit": 2, "min_samples": 5}
PROGRESSIVE = {"type": "PROGRESSIVE", "steps": [5, 25, 100], "step_minutes": 10}


def serve(variant: str, latency_us: float, start: datetime, minutes: int) -> None:
    """`variant` of production answered in `latency_us` (a little spread) every minute from `start`."""
    cloudwatch: Any = boto3.client("cloudwatch")
    dimensions = [{"Name": "EndpointName", "Value": PRODUCTION}, {"Name": "VariantName", "Value": variant}]
    for minute in range(minutes):
        stamp = start.replace(second=0, microsecond=0) + timedelta(minutes=minute, seconds=10)
        values = [latency_us * (1 + spread / 100) for spread in (-2, -1, 0, 1, 2, minute % 3)]
        data = [
            {"MetricName": "ModelLatency", "Dimensions": dimensions, "Timestamp": stamp, "Value": value}
            for value in values
        ]
        cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=data)
