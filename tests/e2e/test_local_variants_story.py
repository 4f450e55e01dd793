"""Two variants on `make local`, driven over HTTP as any client drives it: customers for a window
(`python -m devstack.variant_traffic`) split by weight, a challenger made 3x slower by a tag, and each
variant's traffic and latency in CloudWatch for the release engine to compare."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devstack import seed
from tests.support.local_stack import ROOT, RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
ENDPOINT = "fraud-detection-prod"


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    running = start_stack()
    yield running
    running.stop()


def split_endpoint(stack: RunningStack) -> None:
    sagemaker = stack.client("sagemaker")
    variants = []
    for name, weight in (("AllTraffic", 3.0), ("Challenger", 1.0)):
        model = f"split-{name.lower()}"
        sagemaker.create_model(
            ModelName=model,
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
        )
        variants.append(
            {
                "VariantName": name,
                "ModelName": model,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
                "InitialVariantWeight": weight,
            }
        )
    sagemaker.create_endpoint_config(EndpointConfigName="split", ProductionVariants=variants)
    tags = [  # answers instead of models (no artifact here); the challenger 3x slower than the champion
        {"Key": "shepherd-local:response", "Value": "0.1"},
        {"Key": "shepherd-local:latency-ms@AllTraffic", "Value": "10"},
        {"Key": "shepherd-local:latency-ms@Challenger", "Value": "30"},
    ]
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="split", Tags=tags)
    wait_for(lambda: sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointStatus"] == "InService")


def latency(stack: RunningStack, variant: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    query = {
        "Id": "latency",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/SageMaker",
                "MetricName": "ModelLatency",
                "Dimensions": [
                    {"Name": "EndpointName", "Value": ENDPOINT},
                    {"Name": "VariantName", "Value": variant},
                ],
            },
            "Period": 3600,
            "Stat": "Average",
        },
    }
    answer = stack.client("cloudwatch").get_metric_data(
        MetricDataQueries=[query], StartTime=now - timedelta(minutes=10), EndTime=now + timedelta(minutes=1)
    )
    found: dict[str, Any] = answer["MetricDataResults"][0]
    return found


def test_a_window_of_customers_is_split_by_weight_and_each_variant_s_latency_is_in_cloudwatch(
    stack: RunningStack,
) -> None:
    split_endpoint(stack)
    command = [sys.executable, "-m", "devstack.variant_traffic", ENDPOINT, "--per-second", "50", "--seconds", "2"]
    environment = {**stack.environment, "AWS_ENDPOINT_URL": stack.aws_url}
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    served = json.loads(done.stdout)
    assert served["failed"] == {} and sum(served["answered"].values()) == 100
    assert 10 <= served["answered"]["Challenger"] <= 40  # about a quarter
    champion, challenger = latency(stack, "AllTraffic")["Values"], latency(stack, "Challenger")["Values"]
    assert champion and challenger
    assert 10_000 <= champion[0] < 20_000 and 30_000 <= challenger[0] < 40_000  # microseconds
