"""UpdateEndpoint for moto 5.2.5 (which lacks it), with blue/green DeploymentConfig guardrails.

moto's endpoints are InService at once; so is an update here. What the release engine needs to see:
- the endpoint moves to the new config (InService) when the update succeeds;
- SageMaker's auto-rollback: if an alarm named in `AutoRollbackConfiguration` is in ALARM (CloudWatch,
  in the same moto) when the update runs, the endpoint stays on its old config, InService, with a
  `FailureReason`, as SageMaker reports a rolled-back update;
- an update of an endpoint that is not InService is refused ("Cannot update in-progress endpoint").
`set_endpoint_status` lets in-process tests put an endpoint in any status (e.g. Failed, Updating).
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse


def install() -> None:
    SageMakerModelBackend.update_endpoint = _update_endpoint  # type: ignore[attr-defined]
    SageMakerResponse.update_endpoint = _update_endpoint_response  # type: ignore[attr-defined]


def _update_endpoint_response(self: SageMakerResponse) -> ActionResult:
    arn = self.sagemaker_backend.update_endpoint(  # type: ignore[attr-defined]
        endpoint_name=self._get_param("EndpointName"),
        endpoint_config_name=self._get_param("EndpointConfigName"),
        deployment_config=self._get_param("DeploymentConfig"),
    )
    return ActionResult({"EndpointArn": arn})


def _update_endpoint(
    self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, deployment_config: Any
) -> str:
    endpoint: Any = self.endpoints.get(endpoint_name)  # moto types failure_reason as None only
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{endpoint_name}'.")
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f"Cannot update in-progress endpoint '{endpoint.arn}'.")
    config = self.describe_endpoint_config(endpoint_config_name)  # refuses an unknown config
    endpoint.last_modified_time = utcnow()
    if deployment_config:
        endpoint.last_deployment_config = deployment_config  # DescribeEndpoint's LastDeploymentConfig
    firing = _firing_guardrails(self, deployment_config or {})
    if firing:
        endpoint.failure_reason = f"Update rolled back: alarm(s) {', '.join(firing)} in ALARM during deployment"
        return str(endpoint.arn)
    endpoint.endpoint_config_name = endpoint_config_name
    endpoint.production_variants = endpoint._process_production_variants(config["ProductionVariants"])
    endpoint.failure_reason = None
    return str(endpoint.arn)


def _firing_guardrails(backend: SageMakerModelBackend, deployment_config: dict[str, Any]) -> list[str]:
    from moto.cloudwatch.models import cloudwatch_backends

    names = [alarm["AlarmName"] for alarm in deployment_config.get("AutoRollbackConfiguration", {}).get("Alarms", [])]
    if not names:
        return []
    cloudwatch = cloudwatch_backends[backend.account_id][backend.region_name]
    return sorted(alarm.name for alarm in cloudwatch.get_alarms_by_alarm_names(names) if alarm.state_value == "ALARM")


def set_endpoint_status(endpoint_name: str, status: str, failure_reason: str | None = None,
                        account_id: str = "123456789012", region: str = "us-east-1") -> None:
    """In-process tests only: put an endpoint in any status, as SageMaker would over minutes."""
    endpoint: Any = sagemaker_backends[account_id][region].endpoints[endpoint_name]
    endpoint.endpoint_status = status
    endpoint.failure_reason = failure_reason
