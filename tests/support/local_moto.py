"""Capturing the local stack's events in a queue, and an endpoint with two configs to move between."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import TagTypeDef

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


def create_endpoint(name: str = "fraud-staging", tags: list[TagTypeDef] | None = None) -> Any:
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


def racing_conditional_puts(monkeypatch: Any, racers: int = 4) -> int:
    """How many of `racers` threads win `attribute_not_exists(pk)` on one item, with moto's condition check
    slowed so that every racer reads the item before any writes: DynamoDB itself lets exactly one win."""
    import threading
    import time

    from botocore.exceptions import ClientError
    from moto.dynamodb.models import table

    checked = table.get_filter_expression  # type: ignore[attr-defined]

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        found = checked(*args, **kwargs)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(table, "get_filter_expression", slow_check)
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName="race",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    start, winners = threading.Barrier(racers), []

    def race(name: str) -> None:
        start.wait()
        try:
            dynamodb.put_item(
                TableName="race",
                Item={"pk": {"S": "lock"}, "owner": {"S": name}},
                ConditionExpression="attribute_not_exists(pk)",
            )
            winners.append(name)
        except ClientError:
            pass

    threads = [threading.Thread(target=race, args=(f"r{n}",)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(winners)


def listings_of_moto_for(monkeypatch: Any, requests: int) -> tuple[int, set[Any]]:
    """How often a fresh moto server application lists moto's package directory for `requests` SageMaker
    requests, and the backends it found for them."""
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    listed: list[bool] = []
    real = backends.list_of_moto_modules

    def counted() -> Any:
        listed.append(True)
        return real()

    monkeypatch.setattr(backends, "list_of_moto_modules", counted)
    application = DomainDispatcherApplication(create_backend_app)
    found = {application.get_backend_for_host("sagemaker") for _ in range(requests)}
    return len(listed), found
