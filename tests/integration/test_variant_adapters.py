"""The Variants adapter against moto (with our extension, every request strictly validated): split and shadow
configs beside the champion's, weights shifted Updating -> InService, the variants DescribeEndpoint shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.adapters.variants import SageMakerVariants
from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec, ServerlessSpec
from chalicelib.release.variant_ports import VariantView
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError
from devstack.moto_ext import endpoint_lifecycle
from devstack.moto_ext.endpoints import set_endpoint_status
from tests.support.moto_helpers import moto_server_sagemaker, throttle

SPEC = EndpointSpec("prod", "ml.m5.large", 2)
ROLE = "arn:aws:iam::123456789012:role/r"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"
CONFIG_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/live"
ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/prod"


@pytest.fixture
def sagemaker(aws: None) -> Any:
    client = boto3.client("sagemaker")
    endpoints = SageMakerEndpoints(client)
    for model in ("champion", "challenger"):
        endpoints.create_model(model, PACKAGE, ROLE)
    endpoints.create_config("live", SPEC, "champion")
    return client


def configured(client: Any, name: str) -> dict[str, Any]:
    found: dict[str, Any] = client.describe_endpoint_config(EndpointConfigName=name)
    return found


def deployed(client: Any, config: str) -> SageMakerVariants:
    SageMakerEndpoints(client).deploy("prod", "live")
    SageMakerEndpoints(client).deploy("prod", config)  # one variant to two: an UpdateEndpoint
    return SageMakerVariants(client)


def test_a_split_config_serves_the_champions_model_beside_the_challenger_on_the_same_capacity(sagemaker: Any) -> None:
    SageMakerVariants(sagemaker).create_split_config("split", SPEC, "live", "challenger", 5)
    SageMakerVariants(sagemaker).create_split_config("split", SPEC, "live", "challenger", 5)  # a replay: fine
    champion, challenger = configured(sagemaker, "split")["ProductionVariants"]
    assert (champion["VariantName"], champion["ModelName"], champion["InitialVariantWeight"]) == (
        "AllTraffic",
        "champion",
        0.95,
    )
    assert (challenger["VariantName"], challenger["ModelName"], challenger["InitialVariantWeight"]) == (
        "Challenger",
        "challenger",
        0.05,
    )
    assert {(v["InstanceType"], v["InitialInstanceCount"]) for v in (champion, challenger)} == {("ml.m5.large", 2)}


def test_a_serverless_split_gives_both_variants_the_serverless_capacity_and_no_instances(sagemaker: Any) -> None:
    spec = EndpointSpec("prod", None, serverless=ServerlessSpec(2048, 20))
    SageMakerEndpoints(sagemaker).create_config("live-serverless", spec, "champion")
    SageMakerVariants(sagemaker).create_split_config("split", spec, "live-serverless", "challenger", 25)
    variants = configured(sagemaker, "split")["ProductionVariants"]
    assert [v["ServerlessConfig"] for v in variants] == [{"MemorySizeInMB": 2048, "MaxConcurrency": 20}] * 2
    assert not any("InstanceType" in v for v in variants)


def test_an_async_split_answers_to_s3_as_the_champion_does(sagemaker: Any) -> None:
    spec = EndpointSpec("prod", "ml.m5.large", asynchronous=AsyncSpec("s3://b/out", "s3://b/failed", "s3://b/in"))
    SageMakerVariants(sagemaker).create_split_config("split", spec, "live", "challenger", 50)
    assert configured(sagemaker, "split")["AsyncInferenceConfig"]["OutputConfig"]["S3OutputPath"] == "s3://b/out"


def test_a_shadow_samples_the_challenger_by_its_weight_relative_to_the_production_variant(sagemaker: Any) -> None:
    SageMakerVariants(sagemaker).create_shadow_config("shadow", SPEC, "live", "challenger", 30)
    SageMakerVariants(sagemaker).create_shadow_config("shadow", SPEC, "live", "challenger", 30)  # a replay: fine
    found = configured(sagemaker, "shadow")
    [production], [shadow] = found["ProductionVariants"], found["ShadowProductionVariants"]
    assert (production["ModelName"], production["InitialVariantWeight"]) == ("champion", 1.0)
    assert (shadow["VariantName"], shadow["ModelName"], shadow["InitialVariantWeight"]) == (
        "Challenger",
        "challenger",
        0.3,
    )


def test_a_shadow_on_a_serverless_endpoint_is_refused_before_sagemaker_is_asked(sagemaker: Any) -> None:
    spec = EndpointSpec("prod", None, serverless=ServerlessSpec(2048, 20))
    with pytest.raises(ReleaseStepError, match="real-time endpoint"):
        SageMakerVariants(sagemaker).create_shadow_config("shadow", spec, "live", "challenger", 30)
    with pytest.raises(ClientError, match="Could not find endpoint configuration"):
        configured(sagemaker, "shadow")


def test_a_missing_champion_config_or_a_percentage_beyond_100_is_a_release_step_error(sagemaker: Any) -> None:
    variants = SageMakerVariants(sagemaker)
    with pytest.raises(ReleaseStepError, match="Could not find endpoint configuration"):
        variants.create_split_config("split", SPEC, "gone", "challenger", 5)
    with pytest.raises(ReleaseStepError, match="0 to 100, not 101"):
        variants.create_split_config("split", SPEC, "live", "challenger", 101)
    variants.create_split_config("split", SPEC, "live", "challenger", 5)
    blue = EndpointSpec("prod", "ml.m5.large", variant="Blue")
    with pytest.raises(ReleaseStepError, match="no variant Blue"):  # two variants, neither of them the champion's
        variants.create_shadow_config("shadow", blue, "split", "challenger", 5)


def test_weights_shift_and_describe_endpoint_shows_each_variants_share(sagemaker: Any) -> None:
    SageMakerVariants(sagemaker).create_split_config("split", SPEC, "live", "challenger", 5)
    variants = deployed(sagemaker, "split")
    assert variants.variants("prod") == (VariantView("AllTraffic", 0.95), VariantView("Challenger", 0.05))
    variants.set_weights("prod", {"AllTraffic": 75, "Challenger": 25})
    assert variants.variants("prod") == (VariantView("AllTraffic", 0.75), VariantView("Challenger", 0.25))
    assert sagemaker.describe_endpoint(EndpointName="prod")["EndpointStatus"] == "InService"
    SageMakerEndpoints(sagemaker).deploy("prod", "live")  # two variants back to one: the champion's alone
    assert variants.variants("prod") == (VariantView("AllTraffic", 1.0),)


def test_weights_settle_on_the_endpoints_update_timing_and_an_updating_endpoint_is_busy(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    SageMakerVariants(sagemaker).create_split_config("split", SPEC, "live", "challenger", 5)
    variants = deployed(sagemaker, "split")
    later: list[Any] = []
    monkeypatch.setattr(endpoint_lifecycle.LIFECYCLE, "schedule", lambda seconds, action: later.append(action))
    variants.set_weights("prod", {"AllTraffic": 50, "Challenger": 50})
    assert sagemaker.describe_endpoint(EndpointName="prod")["EndpointStatus"] == "Updating"
    assert variants.variants("prod") == (VariantView("AllTraffic", 0.95, 0.5), VariantView("Challenger", 0.05, 0.5))
    with pytest.raises(ProductionBusyError, match="in-progress"):
        variants.set_weights("prod", {"Challenger": 0})
    later.pop()()
    assert variants.variants("prod") == (VariantView("AllTraffic", 0.5), VariantView("Challenger", 0.5))
    assert sagemaker.describe_endpoint(EndpointName="prod")["ProductionVariants"][1]["CurrentInstanceCount"] == 2


def test_weights_of_a_missing_endpoint_or_variant_are_refused_and_nothing_is_sent_for_none(sagemaker: Any) -> None:
    variants = SageMakerVariants(sagemaker)
    with pytest.raises(ReleaseStepError, match="Could not find endpoint"):
        variants.set_weights("gone", {"AllTraffic": 100})
    SageMakerEndpoints(sagemaker).deploy("prod", "live")
    with pytest.raises(ReleaseStepError, match="not present"):
        variants.set_weights("prod", {"Challenger": 10})
    variants.set_weights("prod", {})  # the strict validator would refuse an empty list: none is sent
    set_endpoint_status("prod", "Updating")
    with pytest.raises(ProductionBusyError):
        variants.set_weights("prod", {"AllTraffic": 100})


def test_a_throttled_weight_shift_is_raised_as_is_for_the_step_to_be_retried(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    SageMakerEndpoints(sagemaker).deploy("prod", "live")
    throttle("update_endpoint_weights_and_capacities", 100, monkeypatch)
    with pytest.raises(ClientError, match="Rate exceeded") as raised:
        SageMakerVariants(sagemaker).set_weights("prod", {"AllTraffic": 100})
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"


def test_a_shadow_comes_and_goes_with_the_config_the_endpoint_serves(sagemaker: Any) -> None:
    SageMakerVariants(sagemaker).create_shadow_config("shadow", SPEC, "live", "challenger", 30)
    variants = deployed(sagemaker, "shadow")
    assert variants.variants("prod") == (VariantView("AllTraffic", 1.0), VariantView("Challenger", 0.3, shadow=True))
    SageMakerEndpoints(sagemaker).deploy("prod", "live")  # back to the champion alone
    assert variants.variants("prod") == (VariantView("AllTraffic", 1.0),)
    assert "ShadowProductionVariants" not in sagemaker.describe_endpoint(EndpointName="prod")


def test_a_missing_endpoint_has_no_variants(sagemaker: Any) -> None:
    assert SageMakerVariants(sagemaker).variants("gone") == ()


def stubbed() -> tuple[Any, Stubber]:
    client = boto3.client("sagemaker")
    return client, Stubber(client)


def test_a_config_sagemaker_already_has_is_the_replayed_steps_own(aws: None) -> None:
    client, stubber = stubbed()
    live = {"VariantName": "AllTraffic", "ModelName": "champion"}
    stubber.add_response(
        "describe_endpoint_config",
        {
            "EndpointConfigName": "live",
            "EndpointConfigArn": CONFIG_ARN,
            "ProductionVariants": [live],
            "CreationTime": 0,
        },
    )
    message = (
        'Cannot create already existing endpoint configuration "arn:aws:sagemaker:us-east-1:1:endpoint-config/split".'
    )
    stubber.add_client_error("create_endpoint_config", "ValidationException", message)
    with stubber:
        SageMakerVariants(client).create_split_config("split", SPEC, "live", "challenger", 5)
    stubber.assert_no_pending_responses()


def test_set_weights_sends_each_named_variants_weight_as_a_share(aws: None) -> None:
    client, stubber = stubbed()
    expected = {
        "EndpointName": "prod",
        "DesiredWeightsAndCapacities": [
            {"VariantName": "AllTraffic", "DesiredWeight": 0.0},
            {"VariantName": "Challenger", "DesiredWeight": 1.0},
        ],
    }
    stubber.add_response("update_endpoint_weights_and_capacities", {"EndpointArn": ENDPOINT_ARN}, expected)
    with stubber:
        SageMakerVariants(client).set_weights("prod", {"AllTraffic": 0, "Challenger": 100})
    stubber.assert_no_pending_responses()


@pytest.fixture
def server_sagemaker() -> Iterator[Any]:
    with moto_server_sagemaker() as client:
        yield client


def test_the_moto_server_keeps_shadows_and_shifts_weights_the_same_way(server_sagemaker: Any) -> None:
    endpoints, variants = SageMakerEndpoints(server_sagemaker), SageMakerVariants(server_sagemaker)
    for model in ("champion", "challenger"):
        endpoints.create_model(model, PACKAGE, ROLE)
    endpoints.create_config("live", SPEC, "champion")
    variants.create_shadow_config("shadow", SPEC, "live", "challenger", 100)
    variants.create_split_config("split", SPEC, "live", "challenger", 10)
    endpoints.deploy("prod", "shadow")
    assert variants.variants("prod") == (VariantView("AllTraffic", 1.0), VariantView("Challenger", 1.0, shadow=True))
    endpoints.deploy("prod", "split")
    variants.set_weights("prod", {"AllTraffic": 0, "Challenger": 100})
    assert variants.variants("prod") == (VariantView("AllTraffic", 0.0), VariantView("Challenger", 1.0))


def test_a_shift_refused_for_the_endpoints_status_however_worded_is_busy(aws: None) -> None:
    client, stubber = stubbed()
    message = "Endpoint prod is in Updating status. Wait for it to be InService."
    stubber.add_client_error("update_endpoint_weights_and_capacities", "ValidationException", message)
    with stubber, pytest.raises(ProductionBusyError, match="Updating status"):
        SageMakerVariants(client).set_weights("prod", {"Challenger": 0})


def test_a_shadow_serves_only_once_the_update_to_its_config_settles(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    SageMakerVariants(sagemaker).create_shadow_config("shadow", SPEC, "live", "challenger", 30)
    SageMakerEndpoints(sagemaker).deploy("prod", "live")
    later: list[Any] = []
    monkeypatch.setattr(endpoint_lifecycle.LIFECYCLE, "schedule", lambda seconds, action: later.append(action))
    SageMakerEndpoints(sagemaker).deploy("prod", "shadow")
    assert SageMakerVariants(sagemaker).variants("prod") == (VariantView("AllTraffic", 1.0),)  # the old fleet serves
    later.pop()()
    assert SageMakerVariants(sagemaker).variants("prod")[-1] == VariantView("Challenger", 0.3, shadow=True)
