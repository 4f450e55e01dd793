"""Endpoints with two production variants, made by any client's calls (moto keeps their weights)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from devstack import seed

if TYPE_CHECKING:
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
