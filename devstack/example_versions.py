"""A trained example version, registered as a training pipeline registers one: what `register_example` and the
demo do.

1. train the recipe (devstack.fraud_model) and evaluate it on held-out transactions;
2. upload its model.tar.gz where the seed's registration points (s3://my-bucket/models/<name>/output/);
3. measure its p99 latency on an endpoint of the local stack serving that artifact (deleted after);
4. write the metrics document and register the version with the seed's own create_model_package call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devstack import fraud_model, seed

BUCKET = "my-bucket"
EVALUATION_ROLE = "arn:aws:iam::123456789012:role/model-shepherd-sagemaker-execution"
ROUNDS, CALLS = 3, 100  # p99 of each round's calls; the quietest round counts (the machine is shared)


@dataclass(frozen=True)
class Registered:
    arn: str
    metrics: dict[str, float]

    @property
    def version(self) -> int:
        return int(self.arn.rsplit("/", 1)[1])


def artifact_url(name: str, bucket: str = BUCKET) -> str:
    return f"s3://{bucket}/models/{name}/output/model.tar.gz"  # where seed.register_version points


def register(
    client: Callable[[str], Any], recipe: fraud_model.Recipe, name: str, group: str = seed.GROUP
) -> Registered:
    trained = fraud_model.train(recipe)
    client("s3").put_object(Bucket=BUCKET, Key=f"models/{name}/output/model.tar.gz", Body=trained.artifact())
    metrics = {**trained.metrics, "latency_p99_ms": latency_p99_ms(client, name)}
    uri = seed.upload_metrics(client("s3"), BUCKET, name, metrics)
    return Registered(seed.register_version(client("sagemaker"), uri, name, group=group), metrics)


def age(sagemaker: Any, arn: str, days: float) -> None:
    """Make the version `days` old: the local stack's control for time (devstack.moto_ext.version_age)."""
    from devstack.moto_ext.version_age import AGE_TAG

    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": AGE_TAG, "Value": f"{days:g}"}])


def latency_p99_ms(client: Callable[[str], Any], name: str, timeout: float = 60.0) -> float:
    """p99 of InvokeEndpoint on a local endpoint serving the artifact, in milliseconds."""
    safe = "".join(char if char.isalnum() else "-" for char in name)
    sagemaker, endpoint = client("sagemaker"), f"fraud-eval-{safe}"[:63].strip("-")
    container = {"Image": seed.XGBOOST_IMAGE, "ModelDataUrl": artifact_url(name)}
    sagemaker.create_model(ModelName=endpoint, ExecutionRoleArn=EVALUATION_ROLE, PrimaryContainer=container)
    variant = {"VariantName": "AllTraffic", "ModelName": endpoint, "InitialInstanceCount": 1}
    sagemaker.create_endpoint_config(
        EndpointConfigName=endpoint, ProductionVariants=[{**variant, "InstanceType": "ml.m5.large"}]
    )
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint)
    try:
        _wait_in_service(sagemaker, endpoint, timeout)
        return min(_round_p99(client("sagemaker-runtime"), endpoint, seed_=n) for n in range(ROUNDS))
    finally:
        sagemaker.delete_endpoint(EndpointName=endpoint)
        sagemaker.delete_endpoint_config(EndpointConfigName=endpoint)
        sagemaker.delete_model(ModelName=endpoint)


def _wait_in_service(sagemaker: Any, endpoint: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while (described := sagemaker.describe_endpoint(EndpointName=endpoint))["EndpointStatus"] != "InService":
        if described["EndpointStatus"] == "Failed" or time.monotonic() > deadline:
            raise RuntimeError(f"evaluation endpoint {endpoint}: {described.get('FailureReason', 'not InService')}")
        time.sleep(0.1)


def _round_p99(runtime: Any, endpoint: str, seed_: int) -> float:
    rows, _ = fraud_model.transactions(CALLS, seed=100 + seed_)
    timings = []
    for row in rows:
        body = ",".join(f"{value:g}" for value in row).encode()
        started = time.perf_counter()
        runtime.invoke_endpoint(EndpointName=endpoint, Body=body, ContentType="text/csv")
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1)
