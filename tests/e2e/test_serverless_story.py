"""A serverless release on the local stack, over the wire, on real models: the example group's policy made
serverless (policy docs' example); a good version goes LIVE through staging and smoke tests, both endpoints on
ServerlessConfig and answering with the version's own model; a better one replaces it all at once; the CLI rolls
production back."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from devstack import demo_setup, example_versions, fraud_model, seed
from tests.support.local_stack import RunningStack, start_stack, wait_for
from tests.support.policies import SERVERLESS_RELEASE

pytestmark = pytest.mark.e2e
GROUP, STAGING, PRODUCTION = seed.GROUP, "fraud-detection-staging", "fraud-detection-prod"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"))
    path = policies / f"{GROUP}.json"
    document = json.loads(path.read_text())
    document["release"].update(SERVERLESS_RELEASE)
    path.write_text(json.dumps(document))
    running = start_stack("--policy-dir", str(policies), "--clock-speed", "300", "--bake-seconds", "2")
    seed.create_group(running.client("sagemaker"))
    demo_setup.create_alarms(running.client("cloudwatch"), document["release"])
    yield running
    running.stop()


def shepherd(stack: RunningStack, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/shepherd", *argv], env=stack.environment, capture_output=True, text=True, timeout=60, check=False
    )


def live_version(stack: RunningStack) -> int | None:
    [group] = json.loads(shepherd(stack, "status", GROUP, "--json").stdout)["groups"]
    return next((v["version"] for v in group["versions"] if v["role"].startswith("LIVE")), None)


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
