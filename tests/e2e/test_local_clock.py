"""`make local --app-clock-speed 60`: a second of customers is a minute of metrics, judged on the stack's clock.

Customers call a two-variant endpoint for N real seconds; the analysis (CloudWatchJudge, one GetMetricData
call) reads N per-minute samples per variant back over those N minutes of app time, and its Mann-Whitney
comparison finds the challenger made 3x slower."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from chalicelib.adapters.metric_judge import CloudWatchJudge
from chalicelib.analysis.policy import Analysis, MetricCheck
from chalicelib.analysis.ports import Subject
from chalicelib.analysis.verdict import Verdict
from devstack import seed
from devstack.variant_traffic import window
from shepherd_cli import local_clock
from shepherd_cli.local_clock import LocalClock
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
ENDPOINT = "fraud-detection-prod"
SECONDS = 6  # of real traffic: six minutes of app time
LATENCY = MetricCheck("latency", "ModelLatency", "Average", tolerance=0.1)
SUBJECT = Subject(ENDPOINT, "Challenger", baseline="AllTraffic")


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    running = start_stack("--app-clock-speed", "60")
    yield running
    running.stop()


def split_endpoint(stack: RunningStack) -> None:
    """Half the customers each; the challenger 3x slower than the champion (answers instead of models)."""
    sagemaker = stack.client("sagemaker")
    variants = []
    for name in ("AllTraffic", "Challenger"):
        sagemaker.create_model(
            ModelName=f"clock-{name.lower()}",
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
        )
        variants.append(
            {
                "VariantName": name,
                "ModelName": f"clock-{name.lower()}",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
                "InitialVariantWeight": 1.0,
            }
        )
    sagemaker.create_endpoint_config(EndpointConfigName="clock-split", ProductionVariants=variants)
    tags = [
        {"Key": "shepherd-local:response", "Value": "0.1"},
        {"Key": "shepherd-local:latency-ms@AllTraffic", "Value": "10"},
        {"Key": "shepherd-local:latency-ms@Challenger", "Value": "30"},
    ]
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="clock-split", Tags=tags)
    wait_for(lambda: sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointStatus"] == "InService")


def next_minute(clock: LocalClock) -> datetime:
    """Wait (under a real second at 60x) for the app clock's next whole minute; return it."""
    now = clock.now()
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    time.sleep(clock.real_seconds((start - now).total_seconds()))
    return start


def test_n_seconds_of_customers_at_60x_are_n_per_minute_samples_per_variant_for_the_judge(stack: RunningStack) -> None:
    clock = local_clock.from_environment(stack.environment)
    assert clock is not None and clock.speed == 60
    split_endpoint(stack)
    start = next_minute(clock)
    served = window(stack.client("sagemaker-runtime"), ENDPOINT, per_second=20, seconds=SECONDS)
    assert served.failed == 0 and min(served.answered.values()) >= SECONDS * 5  # both variants every second
    end = start + timedelta(minutes=SECONDS)
    time.sleep(max(0.0, clock.real_seconds((end - clock.now()).total_seconds())) + 0.2)
    judge = CloudWatchJudge(stack.client("cloudwatch"))

    counted = judge.judge(Analysis((LATENCY,), min_samples=SECONDS + 1), SUBJECT, start, end)
    assert counted.verdict is Verdict.INCONCLUSIVE
    assert f"({SECONDS} on Challenger, {SECONDS} on AllTraffic;" in counted.checks[0].detail

    compared = judge.judge(Analysis((LATENCY,), min_samples=SECONDS), SUBJECT, start, end)
    assert compared.verdict is Verdict.FAIL, compared.summary
    assert "worse than AllTraffic by more than 10%: U=36" in compared.checks[0].detail
