"""Which model a variant (or a transform job) serves: its container's image, artifact and environment.

A model's primary container, or the model package it names (the registry's, perhaps in another account),
as SageMaker's hosting resolves it; every variant of an endpoint config, production and shadow, as
DescribeEndpointConfig lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ContainerSpec:
    image: str
    model_data_url: str | None
    environment: Mapping[str, str]
    artifact_account: str | None = None  # the registry's account when the package is another account's


def container_specs(backend: Any, config_name: str) -> dict[str, ContainerSpec | None]:
    """Each variant's model container (production, then shadow variants, as DescribeEndpointConfig lists
    them), through the model package it names when it names one."""
    described = backend.describe_endpoint_config(config_name)
    variants = [*(described.get("ProductionVariants") or ()), *(described.get("ShadowProductionVariants") or ())]
    return {
        variant["VariantName"]: model_spec(backend, backend._models.get(variant.get("ModelName", "")))
        for variant in variants
    }


def model_spec(backend: Any, model: Any) -> ContainerSpec | None:
    if model is None:
        return None
    container = model.primary_container or (model.containers[0] if model.containers else {})
    environment = dict(container.get("Environment") or {})
    owner = backend
    if package_name := container.get("ModelPackageName"):
        owner = _package_owner(backend, package_name)  # a shared registry: the package is another account's
        package = owner.describe_model_package(package_name)
        container = {**(package.inference_specification or {}).get("Containers", [{}])[0], **container}
        environment = {**(container.get("Environment") or {}), **environment}
    image = container.get("Image")
    return ContainerSpec(image, container.get("ModelDataUrl"), environment, owner.account_id) if image else None


def _package_owner(backend: Any, package_name: str) -> Any:
    """The backend of the account and region a model package ARN names (the caller's for a bare name)."""
    from moto.sagemaker.models import sagemaker_backends

    fields = package_name.split(":")
    if len(fields) < 6 or (fields[4], fields[3]) == (backend.account_id, backend.region_name):
        return backend
    return sagemaker_backends[fields[4]][fields[3]]
