"""Judged releases driven through the handlers: the app on policies with `release.analysis`, and per-variant
metrics put into moto's CloudWatch, one datapoint set per minute with explicit timestamps, so the real CloudWatch
judge measures them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack.resources import LocalResources
from tests.support import release as r
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


def judged_app(resources: LocalResources, policies: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Container, r.Clock]:
    """The app's container reading `policies`, installed as the app's, and the release world with its clock."""
    for name, value in resources.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policies))
    container = Container(settings=load_settings())
    use_container(container)
    return container, r.release_world(container)


def v1_live(clock: r.Clock) -> None:
    """v1 (no champion: all at once, no shadow test) through production, watched on its own metrics, LIVE."""
    r.release_to_live(r.register_approved("v1"), clock)
    serve("AllTraffic", 100000, clock.now, 62)
    clock.advance(minutes=61)
    assert r.reconcile()["groups"][r.GROUP]["stage"] == "LIVE"
