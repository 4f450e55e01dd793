"""UpdateEndpoint for moto 5.2.5 (which lacks it), with blue/green DeploymentConfig guardrails.

This module validates the request (and keeps LastDeploymentConfig); the update itself is handed to
devstack.moto_ext.endpoint_lifecycle.begin_update, the one place endpoint transitions and their events
come from. What the release engine sees:
- Updating, then (after the lifecycle's delays: 0 in-process, so at once) InService on the new config;
- SageMaker's auto-rollback: if an alarm named in `AutoRollbackConfiguration` is in ALARM (CloudWatch,
  in the same moto) at the end of the bake, RollingBack, then InService on the old config with a
  `FailureReason`, as SageMaker reports a rolled-back update;
- an update of an endpoint that is not InService is refused ("Cannot update in-progress endpoint"), and so
  is one between an instance-based and a serverless config (SageMaker cannot convert an endpoint);
`set_endpoint_status` lets in-process tests put an endpoint in any status (e.g. Failed, Updating).
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from devstack.moto_ext.endpoint_lifecycle import begin_update
from devstack.moto_ext.patching import Add, Patch


def patches() -> list[Patch]:
    return [Add(SageMakerResponse, "update_endpoint", _update_endpoint_response, gap="no UpdateEndpoint")]


def _update_endpoint_response(self: SageMakerResponse) -> ActionResult:
    arn = _update_endpoint(
        self.sagemaker_backend,
        endpoint_name=self._get_param("EndpointName"),
        endpoint_config_name=self._get_param("EndpointConfigName"),
        deployment_config=self._get_param("DeploymentConfig"),
    )
    return ActionResult({"EndpointArn": arn})


def _update_endpoint(
    backend: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, deployment_config: Any
) -> str:
    endpoint: Any = backend.endpoints.get(endpoint_name)  # moto types failure_reason as None only
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{endpoint_name}'.")
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f"Cannot update in-progress endpoint '{endpoint.arn}'.")
    new_variants = backend.describe_endpoint_config(endpoint_config_name)["ProductionVariants"]  # or refused
    if _serverless(endpoint.production_variants) != _serverless(new_variants):
        raise ValidationError(
            message=f"Cannot update endpoint '{endpoint_name}' between instance-based and serverless configurations."
        )
    if deployment_config:
        endpoint.last_deployment_config = deployment_config  # DescribeEndpoint's LastDeploymentConfig
    begin_update(backend, endpoint, endpoint_config_name, deployment_config)
    return str(endpoint.arn)


def _serverless(variants: list[dict[str, Any]]) -> bool:
    # An endpoint's variants say CurrentServerlessConfig, a config's ServerlessConfig.
    return any(variant.get("ServerlessConfig") or variant.get("CurrentServerlessConfig") for variant in variants)


def set_endpoint_status(
    endpoint_name: str,
    status: str,
    failure_reason: str | None = None,
    account_id: str = "123456789012",
    region: str = "us-east-1",
) -> None:
    """In-process tests only: put an endpoint in any status, as SageMaker would over minutes."""
    endpoint: Any = sagemaker_backends[account_id][region].endpoints[endpoint_name]
    endpoint.endpoint_status = status
    endpoint.failure_reason = failure_reason
