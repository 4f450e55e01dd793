"""A serverless release on the local stack, over the wire, on real models: the example group's policy made
serverless (policy docs' example); a good version goes LIVE through staging and smoke tests, both endpoints on
ServerlessConfig and answering with the version's own model; a better one replaces it all at once; the CLI rolls
production back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devstack import example_versions, fraud_model, seed
from tests.support.local_stack import RunningStack, wait_for
from tests.support.policies import SERVERLESS_RELEASE
from tests.support.targets import live_version, shepherd, stack_with_release

pytestmark = pytest.mark.e2e
GROUP, STAGING, PRODUCTION = seed.GROUP, "fraud-detection-staging", "fraud-detection-prod"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    running = stack_with_release(tmp_path_factory.mktemp("policies"), SERVERLESS_RELEASE, "--bake-seconds", "2")
    yield running
    running.stop()


def approved(stack: RunningStack, version: int) -> None:
    """Approved by the gate, or (its p99 measured on a busy machine over the champion's) by a person."""
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    sagemaker = stack.client("sagemaker")
    metadata = "CustomerMetadataProperties"
    wait_for(lambda: "shepherd:outcome" in sagemaker.describe_model_package(ModelPackageName=arn).get(metadata, {}), 20)
    if sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] != "Approved":
        assert (
            shepherd(stack, "approve", GROUP, str(version), "--reason", "latency noise", "--by", "e2e").returncode == 0
        )


def serving(stack: RunningStack, endpoint: str) -> tuple[str, dict[str, Any]]:
    """The endpoint's config and its one variant's ServerlessConfig (no instances in it)."""
    sagemaker = stack.client("sagemaker")
    config = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    [variant] = sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"]
    assert "InstanceType" not in variant
    return config, variant["ServerlessConfig"]


def test_a_good_version_goes_live_on_serverless_endpoints_that_run_its_model(stack: RunningStack) -> None:
    version = example_versions.register(stack.client, fraud_model.GOOD, "good").version
    wait_for(lambda: live_version(stack) == version, 40)
    config, capacity = serving(stack, PRODUCTION)
    assert f"-v{version}-" in config
    assert capacity == {"MemorySizeInMB": 4096, "MaxConcurrency": 50, "ProvisionedConcurrency": 5}
    assert serving(stack, STAGING)[1] == {"MemorySizeInMB": 2048, "MaxConcurrency": 20}
    runtime = stack.client("sagemaker-runtime")
    fraud = runtime.invoke_endpoint(EndpointName=PRODUCTION, Body=b"9800.0,1,0,1,0,3,0.9", ContentType="text/csv")
    assert float(fraud["Body"].read()) > 0.5  # the trained model answers from the serverless endpoint


def test_a_better_version_replaces_it_all_at_once_and_the_cli_rolls_back(stack: RunningStack) -> None:
    first = live_version(stack)
    version = example_versions.register(stack.client, fraud_model.BETTER, "better").version
    approved(stack, version)
    wait_for(lambda: live_version(stack) == version, 40)
    deployment = stack.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)["LastDeploymentConfig"]
    assert deployment["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "ALL_AT_ONCE"
    rolled = shepherd(stack, "rollback", GROUP, "--reason", "cold starts", "--by", "e2e")
    assert rolled.returncode == 0, rolled.stderr
    wait_for(lambda: f"-v{first}-" in serving(stack, PRODUCTION)[0], 20)
    assert serving(stack, PRODUCTION)[1]["MaxConcurrency"] == 50
