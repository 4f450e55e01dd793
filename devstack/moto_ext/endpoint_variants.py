"""Endpoints with two variants for moto 5.2.5: the champion and the challenger side by side, or the challenger
as a shadow, and traffic shifted between them with UpdateEndpointWeightsAndCapacities.

moto drops a config's ShadowProductionVariants, shows no CurrentWeight for a variant of weight 0, and applies
new weights at once, even to an endpoint mid-update. Here, as SageMaker does:
- CreateEndpointConfig keeps the shadow variant (one production variant beside it, its model must exist);
  DescribeEndpointConfig and DescribeEndpoint show it, the endpoint's as the config it serves now says, so a
  shadow comes and goes with an UpdateEndpoint to a config with or without one;
- every variant has a CurrentWeight (InitialVariantWeight, 1.0 when the config gives none);
- UpdateEndpointWeightsAndCapacities is refused unless the endpoint is InService; it sets DesiredWeight at
  once and goes Updating, then after the lifecycle's `updating_seconds` (0 in-process) CurrentWeight becomes
  DesiredWeight and the endpoint is InService again, each with its event. Capacities it is not given are kept.
What serves now, for the local stack's runtime to route and copy traffic by: the endpoint's
`production_variants` (each CurrentWeight) and `shadows_of(backend, endpoint)`, as DescribeEndpoint shows them.
"""

from __future__ import annotations

from typing import Any

from moto.sagemaker.exceptions import AWSValidationException, ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from devstack.moto_ext.endpoint_lifecycle import LIFECYCLE, transition
from devstack.moto_ext.patching import Method, Patch, Replace, Wrap

SHADOWS_DROPPED = "shadow variants dropped"


def patches() -> list[Patch]:
    return [
        Wrap(SageMakerResponse, "create_endpoint_config", _keep_shadows, gap=SHADOWS_DROPPED),
        Wrap(SageMakerModelBackend, "describe_endpoint", _with_shadows, gap=SHADOWS_DROPPED),
        Wrap(FakeEndpoint, "_process_production_variants", _weighted, gap="a variant of weight 0 has no weight"),
        Replace(
            SageMakerModelBackend,
            "update_endpoint_weights_and_capacities",
            _update_weights,
            gap="new weights at once, even mid-update",
        ),
    ]


def _keep_shadows(call_next: Method, response: SageMakerResponse) -> Any:
    shadows = response._get_param("ShadowProductionVariants") or []
    if shadows:
        _check_shadows(response.sagemaker_backend, response._get_param("ProductionVariants") or [], shadows)
    created = call_next(response)
    if shadows:  # moto renders the attribute as DescribeEndpointConfig's ShadowProductionVariants
        config: Any = response.sagemaker_backend.endpoint_configs[response._get_param("EndpointConfigName")]
        config.shadow_production_variants = shadows
    return created


def _check_shadows(backend: Any, production: list[dict[str, Any]], shadows: list[dict[str, Any]]) -> None:
    if len(production) != 1 or len(shadows) != 1:
        raise ValidationError(message="A config with a shadow variant has one production variant and one shadow.")
    if production[0]["VariantName"] == shadows[0]["VariantName"]:
        raise ValidationError(message=f"The variant name {shadows[0]['VariantName']} is used more than once.")
    backend.validate_production_variants(shadows)  # its model must exist


def _with_shadows(call_next: Method, backend: Any, endpoint_name: str) -> dict[str, Any]:
    described: dict[str, Any] = call_next(backend, endpoint_name)
    if shadows := shadows_of(backend, backend.endpoints[endpoint_name]):
        described["ShadowProductionVariants"] = shadows
    return described


def shadows_of(backend: Any, endpoint: Any) -> list[dict[str, Any]]:
    """The shadow variants of the config the endpoint serves now (mid-update: the old config's, until the update
    settles), as DescribeEndpoint's ProductionVariantSummary: VariantName, CurrentWeight (the sampling)."""
    config = backend.endpoint_configs.get(endpoint.endpoint_config_name)
    shadows = getattr(config, "shadow_production_variants", None) or []
    processed: list[dict[str, Any]] = endpoint._process_production_variants(shadows)
    return processed


def _weighted(call_next: Method, endpoint: Any, variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    processed: list[dict[str, Any]] = call_next(endpoint, variants)
    for configured, summary in zip(variants, processed, strict=True):
        weight = float(configured.get("InitialVariantWeight", 1.0))  # SageMaker's default
        summary["CurrentWeight"] = summary["DesiredWeight"] = weight
    return processed


def _update_weights(backend: Any, endpoint_name: str, desired_weights_and_capacities: list[dict[str, Any]]) -> str:
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        arn = FakeEndpoint.arn_formatter(endpoint_name, backend.account_id, backend.region_name)
        raise AWSValidationException(f'Could not find endpoint "{arn}".')
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f"Cannot update in-progress endpoint '{endpoint.arn}'.")
    variants = {variant["VariantName"]: variant for variant in endpoint.production_variants}
    _check_names(endpoint, variants, [wanted.get("VariantName") for wanted in desired_weights_and_capacities])
    for wanted in desired_weights_and_capacities:
        variant = variants[wanted["VariantName"]]
        if "DesiredWeight" in wanted:
            variant["DesiredWeight"] = float(wanted["DesiredWeight"])
        if "DesiredInstanceCount" in wanted:
            variant["DesiredInstanceCount"] = int(wanted["DesiredInstanceCount"])
    transition(backend, endpoint, "Updating")

    def settle() -> None:
        if backend.endpoints.get(endpoint_name) is not endpoint or endpoint.endpoint_status != "Updating":
            return  # deleted (or replaced) meanwhile: nothing to settle
        for variant in endpoint.production_variants:
            variant["CurrentWeight"] = variant.get("DesiredWeight", variant.get("CurrentWeight"))
            if "DesiredInstanceCount" in variant:
                variant["CurrentInstanceCount"] = variant["DesiredInstanceCount"]
        transition(backend, endpoint, "InService")

    LIFECYCLE.schedule(LIFECYCLE.updating_seconds, settle)
    return str(endpoint.arn)


def _check_names(endpoint: Any, variants: dict[str, Any], names: list[str | None]) -> None:
    for index, name in enumerate(names):
        if name in names[:index]:
            raise AWSValidationException(f'The variant name "{name}" was non-unique within the request.')
        if name not in variants:  # a shadow's too: its sampling changes with a new config, not here
            raise AWSValidationException(
                f'The variant name(s) "{name}" is/are not present within endpoint configuration '
                f'"{endpoint.endpoint_config_name}".'
            )
