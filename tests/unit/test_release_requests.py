"""The SageMaker requests the release engine makes, parameter for parameter (Stubber refuses any other)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.policy import ReleasePolicy
from chalicelib.shared.settings import SOURCE_POLICIES
from tests.support.policies import async_document, serverless_document

GROUP = "fraud-detection-models"


@pytest.fixture
def stubbed() -> Iterator[tuple[SageMakerEndpoints, Stubber]]:
    client = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        yield SageMakerEndpoints(client), stub
        stub.assert_no_pending_responses()


def example() -> ReleasePolicy:
    return ReleasePolicy.from_section(FilePolicyRepository(SOURCE_POLICIES).get(GROUP).section("release"))


def test_production_is_updated_blue_green_with_the_canary_and_alarms_the_policy_sets(
    stubbed: tuple[SageMakerEndpoints, Stubber],
) -> None:
    endpoints, stub = stubbed
    deployment: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "WaitIntervalInSeconds": 600,
                "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
            },
            "TerminationWaitInSeconds": 300,
        },
        "AutoRollbackConfiguration": {
            "Alarms": [{"AlarmName": "fraud-detection-prod-5xx"}, {"AlarmName": "fraud-detection-prod-latency-p99"}]
        },
    }
    expected = {"EndpointName": "fraud-detection-prod", "EndpointConfigName": "c-prd", "DeploymentConfig": deployment}
    stub.add_response("update_endpoint", {"EndpointArn": "arn:aws:sagemaker:us-east-1:1:endpoint/p"}, expected)
    endpoints.deploy("fraud-detection-prod", "c-prd", example().deployment)


def test_staging_is_updated_without_a_deployment_config(stubbed: tuple[SageMakerEndpoints, Stubber]) -> None:
    endpoints, stub = stubbed
    expected = {"EndpointName": "fraud-detection-staging", "EndpointConfigName": "c-stg"}
    stub.add_response("update_endpoint", {"EndpointArn": "arn:aws:sagemaker:us-east-1:1:endpoint/s"}, expected)
    endpoints.deploy("fraud-detection-staging", "c-stg")


def test_an_endpoint_config_has_one_variant_sized_as_the_policy_says(
    stubbed: tuple[SageMakerEndpoints, Stubber],
) -> None:
    endpoints, stub = stubbed
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "m",
        "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 2,
        "InitialVariantWeight": 1.0,
    }
    expected = {"EndpointConfigName": "c-prd", "ProductionVariants": [variant]}
    stub.add_response("create_endpoint_config", {"EndpointConfigArn": "arn:aws:sagemaker:us-east-1:1:ec/c"}, expected)
    endpoints.create_config("c-prd", example().production, "m")


def test_a_serverless_endpoint_config_has_memory_and_concurrency_and_no_instances(
    stubbed: tuple[SageMakerEndpoints, Stubber],
) -> None:
    endpoints, stub = stubbed
    production = ReleasePolicy.from_section(serverless_document()["release"]).production
    serverless = {"MemorySizeInMB": 4096, "MaxConcurrency": 50, "ProvisionedConcurrency": 5}
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "m",
        "InitialVariantWeight": 1.0,
        "ServerlessConfig": serverless,
    }
    expected = {"EndpointConfigName": "c-prd", "ProductionVariants": [variant]}
    stub.add_response("create_endpoint_config", {"EndpointConfigArn": "arn:aws:sagemaker:us-east-1:1:ec/c"}, expected)
    endpoints.create_config("c-prd", production, "m")


def test_a_serverless_production_is_updated_blue_green_all_at_once(stubbed: tuple[SageMakerEndpoints, Stubber]) -> None:
    endpoints, stub = stubbed
    deployment = ReleasePolicy.from_section(serverless_document()["release"]).deployment
    routing = {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}
    config: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": routing, "TerminationWaitInSeconds": 0},
        "AutoRollbackConfiguration": {
            "Alarms": [{"AlarmName": "fraud-detection-prod-5xx"}, {"AlarmName": "fraud-detection-prod-latency-p99"}]
        },
    }
    expected = {"EndpointName": "fraud-detection-prod", "EndpointConfigName": "c-prd", "DeploymentConfig": config}
    stub.add_response("update_endpoint", {"EndpointArn": "arn:aws:sagemaker:us-east-1:1:endpoint/p"}, expected)
    endpoints.deploy("fraud-detection-prod", "c-prd", deployment)


def test_an_async_endpoint_config_says_where_answers_and_failures_go(
    stubbed: tuple[SageMakerEndpoints, Stubber],
) -> None:
    endpoints, stub = stubbed
    document = async_document()
    document["release"]["async_inference"]["error_topic"] = "arn:aws:sns:us-east-1:123456789012:async-errors"
    staging = ReleasePolicy.from_section(document["release"]).staging
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "m",
        "InitialVariantWeight": 1.0,
        "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 1,
    }
    output = {
        "S3OutputPath": "s3://my-bucket/async/answers",
        "S3FailurePath": "s3://my-bucket/async/failures",
        "NotificationConfig": {"ErrorTopic": "arn:aws:sns:us-east-1:123456789012:async-errors"},
    }
    asynchronous = {"OutputConfig": output, "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 4}}
    expected = {"EndpointConfigName": "c-stg", "ProductionVariants": [variant], "AsyncInferenceConfig": asynchronous}
    stub.add_response("create_endpoint_config", {"EndpointConfigArn": "arn:aws:sagemaker:us-east-1:1:ec/c"}, expected)
    endpoints.create_config("c-stg", staging, "m")
