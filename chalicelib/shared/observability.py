"""The one place that owns the Logger and Metrics (no Tracer: it costs ~0.5 s of import and 16 MB)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

SERVICE = "model-shepherd"
NAMESPACE = "ModelShepherd"
logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def count(name: str, **dimensions: str) -> None:
    """Count one occurrence. With dimensions (e.g. outcome=approve) it is flushed on its own."""
    if not dimensions:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        return
    if is_metrics_disabled():  # single_metric prints regardless (Powertools 3.x); the local stack disables them
        return
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=NAMESPACE) as metric:
        metric.add_dimension(name="service", value=SERVICE)
        for key, value in dimensions.items():
            metric.add_dimension(name=key, value=value)


def stuck(name: str) -> None:
    """Count a metric that means a group is stuck until people act: each one has an alarm (tests/infra)."""
    count(name)
