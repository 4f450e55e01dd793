"""The Variants port on SageMaker: configs of the champion beside the challenger (split or shadow), the
weights of an endpoint's variants, and the variants DescribeEndpoint shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.adapters.endpoint_requests import async_inference_config, production_variants
from chalicelib.adapters.sagemaker_errors import missing_endpoint, raise_step_error, repeatable
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.variant_ports import VariantView, challenger_variant
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import (
        CreateEndpointConfigInputTypeDef,
        DesiredWeightAndCapacityTypeDef,
        ProductionVariantTypeDef,
    )

FULL = 100  # weights and the sampling are percentages: the port's integers, SageMaker's floats
_BUSY_WORDS = ("in-progress", "in progress", "Updating", "Creating", "RollingBack")


class SageMakerVariants:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def create_split_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, challenger_weight: int
    ) -> None:
        _percent("challenger_weight", challenger_weight)
        champion = self._variant(spec, self._champion_model(spec, champion_config), FULL - challenger_weight)
        challenger = self._variant(_challenger(spec), challenger_model, challenger_weight)
        self._create(name, spec, [champion, challenger])

    def create_shadow_config(
        self, name: str, spec: EndpointSpec, champion_config: str, challenger_model: str, sampling_percent: int
    ) -> None:
        _percent("sampling_percent", sampling_percent)
        if spec.serverless or spec.asynchronous:
            # https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-create.html lists serverless and
            # asynchronous inference among the endpoint features a shadow variant cannot be used with.
            raise ReleaseStepError(f"create_endpoint_config {name}: a shadow variant needs a real-time endpoint")
        # The sampling is the shadow's weight relative to the production variant's: the production variant
        # answers every request, and the shadow receives a copy of weight(shadow) / weight(production) of them
        # (https://docs.aws.amazon.com/sagemaker/latest/dg/model-shadow-deployment.html: production weight 1,
        # shadow weight 0.5 copies half the requests). So production keeps 1.0 and the shadow gets percent/100.
        champion = self._variant(spec, self._champion_model(spec, champion_config), FULL)
        shadow = self._variant(_challenger(spec), challenger_model, sampling_percent)
        self._create(name, spec, [champion], shadow)

    def set_weights(self, endpoint: str, weights: Mapping[str, int]) -> None:
        if not weights:
            return  # nothing to change (SageMaker refuses an empty list)
        for variant, weight in weights.items():
            _percent(f"the weight of {variant}", weight)
        desired: list[DesiredWeightAndCapacityTypeDef] = [
            {"VariantName": variant, "DesiredWeight": weight / FULL} for variant, weight in weights.items()
        ]
        try:
            self._client.update_endpoint_weights_and_capacities(
                EndpointName=endpoint, DesiredWeightsAndCapacities=desired
            )
        except ClientError as error:
            if _mid_update(error):
                raise ProductionBusyError(f"update_endpoint_weights_and_capacities {endpoint}: {error}") from None
            raise_step_error(error, "update_endpoint_weights_and_capacities", endpoint)

    def variants(self, endpoint: str) -> tuple[VariantView, ...]:
        try:
            described = self._client.describe_endpoint(EndpointName=endpoint)
        except ClientError as error:
            if missing_endpoint(error):
                return ()
            raise_step_error(error, "describe_endpoint", endpoint)
        return variant_views(described.get("ProductionVariants") or [], described.get("ShadowProductionVariants") or [])

    def _champion_model(self, spec: EndpointSpec, config: str) -> str:
        try:
            variants = self._client.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"]
        except ClientError as error:
            raise_step_error(error, "describe_endpoint_config", spec.name)
        named = [variant for variant in variants if variant["VariantName"] == spec.variant]
        chosen = named or (variants if len(variants) == 1 else [])  # a config made before the variant was named
        if not chosen or "ModelName" not in chosen[0]:
            raise ReleaseStepError(f"describe_endpoint_config: {config} has no variant {spec.variant} with a model")
        return chosen[0]["ModelName"]

    @staticmethod
    def _variant(spec: EndpointSpec, model: str, weight: int) -> ProductionVariantTypeDef:
        [variant] = production_variants(spec, model)  # the capacity the policy gives every release
        variant["InitialVariantWeight"] = weight / FULL
        return variant

    def _create(
        self,
        name: str,
        spec: EndpointSpec,
        production: list[ProductionVariantTypeDef],
        shadow: ProductionVariantTypeDef | None = None,
    ) -> None:
        request: CreateEndpointConfigInputTypeDef = {"EndpointConfigName": name, "ProductionVariants": production}
        if shadow is not None:
            request["ShadowProductionVariants"] = [shadow]
        if spec.asynchronous:  # answers go to S3, as on the champion's own config
            request["AsyncInferenceConfig"] = async_inference_config(spec.asynchronous)
        with repeatable("create_endpoint_config", spec.name):
            self._client.create_endpoint_config(**request)


def _mid_update(error: ClientError) -> bool:
    """Refused for the endpoint's status, however SageMaker words it ("Cannot update in-progress endpoint", or
    naming the status): the step is tried again once the endpoint is InService."""
    message = error_message(error)
    return error_code(error) == "ValidationException" and any(word in message for word in _BUSY_WORDS)


def _challenger(spec: EndpointSpec) -> EndpointSpec:
    return replace(spec, variant=challenger_variant(spec.variant))


def _percent(what: str, value: int) -> None:
    if not 0 <= value <= FULL:
        raise ReleaseStepError(f"{what} must be a percentage from 0 to {FULL}, not {value}")


def variant_views(production: list[Any], shadows: list[Any]) -> tuple[VariantView, ...]:
    """Each variant's share of the traffic (a shadow's: of the production variant's requests), whatever scale
    the weights were set in: SageMaker routes by each weight's ratio to their sum, not by the numbers."""
    current_total = sum(_weights(variant)[0] for variant in production)
    desired_total = sum(_weights(variant)[1] for variant in production)
    views = []
    for variant, shadow in [*((found, False) for found in production), *((found, True) for found in shadows)]:
        current, desired = _weights(variant)
        share, wanted = _share(current, current_total), _share(desired, desired_total)
        views.append(VariantView(variant["VariantName"], share, wanted if wanted != share else None, shadow))
    return tuple(views)


def _weights(variant: Mapping[str, Any]) -> tuple[float, float]:
    """(CurrentWeight, DesiredWeight): none yet while the endpoint is Creating; desired is current when settled."""
    current = float(variant.get("CurrentWeight", 0.0))
    return current, float(variant.get("DesiredWeight", current))


def _share(weight: float, total: float) -> float:
    return round(weight / total, 6) if total else 0.0
