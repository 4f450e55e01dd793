"""Endpoints with two production variants, made by any client's calls (moto keeps their weights)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import boto3

from devstack import seed

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.literals import StatisticType
    from mypy_boto3_sagemaker.type_defs import ProductionVariantTypeDef

ENDPOINT = "fraud-prod"


def variant(name: str, weight: float) -> ProductionVariantTypeDef:
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_model(
        ModelName=f"model-{name.lower()}",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
    )
    return {
        "VariantName": name,
        "ModelName": f"model-{name.lower()}",
        "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large",
        "InitialVariantWeight": weight,
    }


def split_endpoint(champion: float, challenger: float) -> None:
    sagemaker = boto3.client("sagemaker")
    variants = [variant("AllTraffic", champion), variant("Challenger", challenger)]
    sagemaker.create_endpoint_config(EndpointConfigName="split", ProductionVariants=variants)
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="split")


def shadowed_endpoint(production: ProductionVariantTypeDef, shadow: ProductionVariantTypeDef) -> None:
    """ENDPOINT on `production`, with `shadow` as its shadow variant (copied its weight's share of requests)."""
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_endpoint_config(
        EndpointConfigName="shadow", ProductionVariants=[production], ShadowProductionVariants=[shadow]
    )
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName="shadow")


def statistic(
    metric: str, variant: str, stat: StatisticType = "Sum", endpoint: str = ENDPOINT, minutes: float = 5
) -> float | None:
    """One variant's statistic over the last `minutes` (None: no datapoint), as GetMetricStatistics gives it."""
    now = datetime.now(UTC)
    answer = boto3.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/SageMaker",
        MetricName=metric,
        StartTime=now - timedelta(minutes=minutes),
        EndTime=now + timedelta(minutes=1),
        Period=3600,
        Statistics=[stat],
        Dimensions=[{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}],
    )
    points = answer["Datapoints"]
    return float(cast(dict[str, Any], points[0])[stat]) if points else None
