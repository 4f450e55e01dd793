"""Two variants on the local stack (a subprocess, as `make local` runs it): a split config's traffic shifted,
Updating then InService on the stack's endpoint timing, and a shadow variant shown while its config serves."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.adapters.variants import SageMakerVariants
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.variant_ports import VariantView
from devstack import seed
from tests.support.local_stack import RunningStack, wait_for

pytestmark = pytest.mark.e2e
SPEC = EndpointSpec("fraud-variants", "ml.m5.large")
ANSWER = [{"Key": "shepherd-local:response-base64", "Value": base64.b64encode(b'{"score": 0.1}').decode()}]


def in_service(sagemaker: Any, config: str) -> bool:
    endpoint = sagemaker.describe_endpoint(EndpointName=SPEC.name)
    return bool(endpoint["EndpointStatus"] == "InService" and endpoint["EndpointConfigName"] == config)


def test_traffic_shifts_between_two_variants_and_a_shadow_comes_with_its_config(local_stack: RunningStack) -> None:
    sagemaker = local_stack.client("sagemaker")
    endpoints, variants = SageMakerEndpoints(sagemaker), SageMakerVariants(sagemaker)
    for model in ("champion", "challenger"):
        sagemaker.create_model(
            ModelName=model,
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
        )
    endpoints.create_config("variants-live", SPEC, "champion")
    sagemaker.create_endpoint(EndpointName=SPEC.name, EndpointConfigName="variants-live", Tags=ANSWER)
    wait_for(lambda: in_service(sagemaker, "variants-live"), 10)
    variants.create_split_config("variants-split", SPEC, "variants-live", "challenger", 10)
    endpoints.deploy(SPEC.name, "variants-split")
    wait_for(lambda: in_service(sagemaker, "variants-split"), 10)
    assert variants.variants(SPEC.name) == (VariantView("AllTraffic", 0.9), VariantView("Challenger", 0.1))
    variants.set_weights(SPEC.name, {"AllTraffic": 50, "Challenger": 50})
    wait_for(
        lambda: variants.variants(SPEC.name) == (VariantView("AllTraffic", 0.5), VariantView("Challenger", 0.5)), 10
    )
    assert in_service(sagemaker, "variants-split")
    variants.create_shadow_config("variants-shadow", SPEC, "variants-live", "challenger", 25)
    endpoints.deploy(SPEC.name, "variants-shadow")
    wait_for(lambda: in_service(sagemaker, "variants-shadow"), 10)
    assert variants.variants(SPEC.name) == (
        VariantView("AllTraffic", 1.0),
        VariantView("Challenger", 0.25, shadow=True),
    )
