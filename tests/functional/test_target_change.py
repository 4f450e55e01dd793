"""A group whose policy moves from real-time to serverless meets its real-time endpoints: SageMaker cannot update
an endpoint between the two. Staging is the engine's own and is replaced; production is never deleted for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.policies import SERVERLESS_RELEASE, policies_with_release
from tests.support.sns_inbox import inbox


@pytest.fixture
def policies(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = policies_with_release(tmp_path / "policies")  # the example as it is: real-time
    for name, value in {**resources.environment(), "SHEPHERD_POLICY_DIR": str(directory)}.items():
        monkeypatch.setenv(name, value)
    return directory


@pytest.fixture
def v1_live_on_instances(policies: Path, resources: LocalResources) -> r.Clock:
    container = Container(settings=load_settings())
    use_container(container)
    clock = r.release_world(container)
    assert r.release_to_live(r.register_approved("v1"), clock)["stage"] == "WATCHING"
    clock.advance(minutes=61)
    r.reconcile()
    inbox(resources)
    return clock


def made_serverless(policies: Path, clock: r.Clock, **release: object) -> Container:
    """The team edits the policy; the app reads it afresh."""
    path = policies / f"{r.GROUP}.json"
    document = json.loads(path.read_text())
    document["release"].update({**SERVERLESS_RELEASE, **release})
    path.write_text(json.dumps(document))
    container = Container(settings=load_settings())
    container.release_deps.clock = clock
    use_container(container)
    return container


def endpoint_config(name: str) -> Any:
    sagemaker = boto3.client("sagemaker")
    config = sagemaker.describe_endpoint(EndpointName=name)["EndpointConfigName"]
    variant = sagemaker.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]
    return variant


def test_a_serverless_release_onto_a_production_on_instances_fails_at_once_and_touches_nothing(
    v1_live_on_instances: r.Clock, policies: Path, resources: LocalResources
) -> None:
    container = made_serverless(policies, v1_live_on_instances)
    staging_before = boto3.client("sagemaker").describe_endpoint(EndpointName=r.STAGING)["EndpointConfigName"]
    r.decided(r.register_approved("v2"), "Approved")
    release = container.release_store.load(r.GROUP).release
    assert release is not None and release.stage.value == "FAILED"
    assert release.reason.startswith(
        "deploy_staging refused: production endpoint fraud-detection-prod is on instances: SageMaker cannot update "
        "it to the policy's target; give release.production a new endpoint_name"
    )
    assert r.serving_version(r.production_config()) == 1
    assert boto3.client("sagemaker").describe_endpoint(EndpointName=r.STAGING)["EndpointConfigName"] == staging_before
    assert r.sns_types(inbox(resources)) == ["release.failed"]


def test_a_staging_endpoint_on_instances_is_replaced_by_a_serverless_one(
    policies: Path, resources: LocalResources
) -> None:
    container = Container(settings=load_settings())
    use_container(container)
    clock = r.release_world(container)
    r.decided(r.register_approved("v1"), "Approved")
    r.answers('{"predictions": [{"score": 0.7}]}', "0.9\n")
    r.endpoint_event(r.STAGING)  # v1 failed its smoke tests: staging stays on instances, no production yet
    assert "InstanceType" in endpoint_config(r.STAGING)
    container = made_serverless(policies, clock)
    arn = r.register_approved("v2")
    r.decided(arn, "Approved")  # staging on instances cannot become serverless: deleted
    assert r.STAGING not in [e["EndpointName"] for e in boto3.client("sagemaker").list_endpoints()["Endpoints"]]
    r.reconcile()  # gone: created afresh on the serverless config
    assert endpoint_config(r.STAGING)["ServerlessConfig"] == {"MemorySizeInMB": 2048, "MaxConcurrency": 20}
    r.answers(*r.GOOD_ANSWERS)
    r.endpoint_event(r.STAGING)
    assert r.endpoint_event(r.PRODUCTION)["groups"][r.GROUP]["stage"] == "WATCHING"
    assert "ServerlessConfig" in endpoint_config(r.PRODUCTION)
    assert container.live_versions.live_arn(r.GROUP) == arn
