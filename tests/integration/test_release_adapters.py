"""The release engine's adapters against moto: conditional writes, UpdateEndpoint (our moto extension)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.adapters.state_table.releases import DynamoReleaseStore
from chalicelib.release.endpoint_spec import EndpointSpec, ServerlessSpec
from chalicelib.release.policy import Deployment
from chalicelib.release.state import GroupState
from chalicelib.shared.errors import ConflictError, InvalidPolicyError, ProductionBusyError, ReleaseStepError
from chalicelib.shared.settings import SOURCE_POLICIES
from devstack import moto_ext
from devstack.moto_ext.endpoints import set_endpoint_status
from devstack.resources import LocalResources
from tests.support.alarms import errors_alarm

SPEC = EndpointSpec("prod", "ml.m5.large", 1)
ROLE = "arn:aws:iam::123456789012:role/r"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"


def test_a_stale_writer_loses_the_conditional_write(resources: LocalResources) -> None:
    store = DynamoReleaseStore(boto3.client("dynamodb"), resources.state_table)
    first = store.load("g")
    store.save(first)
    with pytest.raises(ConflictError):
        store.save(first)  # read before the other write: refused, nothing overwritten
    assert store.load("g").revision == 1


def endpoints_with_two_configs(client: Any) -> SageMakerEndpoints:
    endpoints = SageMakerEndpoints(client)
    endpoints.create_model("m1", PACKAGE, ROLE)
    endpoints.create_model("m1", PACKAGE, ROLE)  # a repeated step is fine
    endpoints.create_config("c1", SPEC, "m1")
    endpoints.create_config("c2", SPEC, "m1")
    return endpoints


def exercise_update_endpoint(client: Any) -> None:
    endpoints = endpoints_with_two_configs(client)
    endpoints.deploy("prod", "c1")  # none yet: created
    endpoints.deploy("prod", "c2", Deployment("ALL_AT_ONCE"))
    assert endpoints.describe("prod") == SageMakerEndpoints(client).describe("prod")
    view = endpoints.describe("prod")
    assert view is not None
    assert (view.status, view.config, view.failure) == ("InService", "c2", None)
    with pytest.raises(ReleaseStepError, match="Could not find endpoint configuration"):
        endpoints.deploy("prod", "nope")
    assert endpoints.describe("missing") is None


def test_update_endpoint_in_process(aws: None) -> None:
    moto_ext.install()
    exercise_update_endpoint(boto3.client("sagemaker"))


def test_a_serverless_endpoint_is_created_and_updated_on_serverless_configs(aws: None) -> None:
    moto_ext.install()
    client = boto3.client("sagemaker")
    endpoints = SageMakerEndpoints(client)
    endpoints.create_model("m1", PACKAGE, ROLE)
    for name, memory in (("c1", 2048), ("c2", 4096)):
        endpoints.create_config(name, EndpointSpec("prod", None, serverless=ServerlessSpec(memory, 20, 2)), "m1")
    endpoints.deploy("prod", "c1")
    endpoints.deploy("prod", "c2", Deployment("ALL_AT_ONCE"))
    [variant] = client.describe_endpoint(EndpointName="prod")["ProductionVariants"]
    assert variant["CurrentServerlessConfig"] == {
        "MemorySizeInMB": 4096,
        "MaxConcurrency": 20,
        "ProvisionedConcurrency": 2,
    }
    [configured] = client.describe_endpoint_config(EndpointConfigName="c2")["ProductionVariants"]
    assert "InstanceType" not in configured


def test_update_endpoint_rolls_back_on_a_firing_guardrail_and_refuses_an_endpoint_mid_update(aws: None) -> None:
    moto_ext.install()
    client = boto3.client("sagemaker")
    endpoints = endpoints_with_two_configs(client)
    endpoints.deploy("prod", "c1")
    errors_alarm("5xx", "ALARM")
    endpoints.deploy("prod", "c2", Deployment(rollback_alarms=("5xx",)))
    view = endpoints.describe("prod")
    assert view is not None
    assert (view.status, view.config) == ("InService", "c1")
    assert "5xx" in (view.failure or "")
    set_endpoint_status("prod", "Updating")
    with pytest.raises(ProductionBusyError):
        endpoints.deploy("prod", "c2")


@pytest.fixture
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    moto_ext.install()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_update_endpoint_in_the_moto_server(moto_server: str) -> None:
    exercise_update_endpoint(boto3.client("sagemaker", endpoint_url=moto_server))


def test_the_example_policy_release_section_passes_and_a_broken_one_does_not(tmp_path: Any) -> None:
    repository = FilePolicyRepository(SOURCE_POLICIES)
    assert repository.get("fraud-detection-models").section("release")["deployment"]["type"] == "CANARY"
    document = json.loads((SOURCE_POLICIES / "fraud-detection-models.json").read_text())
    document["release"]["deployment"] = {"type": "CANARY"}  # no canary size
    (tmp_path / "fraud-detection-models.json").write_text(json.dumps(document))
    with pytest.raises(InvalidPolicyError, match="canary_size"):
        FilePolicyRepository(tmp_path).get("fraud-detection-models")


def test_a_new_group_state_is_empty() -> None:
    assert GroupState("g").arns() == frozenset()
