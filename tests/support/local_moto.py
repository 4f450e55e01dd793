"""Capturing the local stack's events in a queue, and an endpoint with two configs to move between."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3

from devstack import seed

ENDPOINT_EVENTS = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"]}


def rule_to_queue(pattern: dict[str, Any]) -> Callable[[], list[dict[str, Any]]]:
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="captured")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="captured", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="captured", Targets=[{"Id": "q", "Arn": arn}])

    def received() -> list[dict[str, Any]]:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return received


def create_endpoint(name: str = "fraud-staging", tags: list[dict[str, str]] | None = None) -> Any:
    sagemaker = boto3.client("sagemaker")
    for config in ("config-a", "config-b"):
        sagemaker.create_model(
            ModelName=config,
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
        )
        sagemaker.create_endpoint_config(
            EndpointConfigName=config,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": config,
                    "InitialInstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                }
            ],
        )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName="config-a", Tags=tags or [])
    return sagemaker
