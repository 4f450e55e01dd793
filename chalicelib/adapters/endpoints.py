"""SageMaker models, endpoint configs and endpoints for the release engine."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.policy import Deployment, EndpointSpec, TrafficSize
from chalicelib.release.ports import EndpointView
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError

_THROTTLED = ("ThrottlingException", "Throttling", "RequestLimitExceeded")


class SageMakerEndpoints:
    def __init__(self, client: Any) -> None:
        self._client = client

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        # The model package carries the image and artifacts: SageMaker builds the container from it.
        self._call(
            "create_model",
            ModelName=name,
            ExecutionRoleArn=role_arn,
            PrimaryContainer={"ModelPackageName": package_arn},
        )

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        self._call("create_endpoint_config", EndpointConfigName=name, ProductionVariants=_variants(spec, model))

    def describe(self, name: str) -> EndpointView | None:
        try:
            endpoint = self._client.describe_endpoint(EndpointName=name)
        except ClientError as error:
            if error_code(error) == "ValidationException" and "Could not find" in error_message(error):
                return None
            raise
        return EndpointView(
            endpoint["EndpointStatus"], endpoint.get("EndpointConfigName"), endpoint.get("FailureReason")
        )

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        # Update first: the endpoint exists on every release but a group's first, so one call usually does.
        extra = {"DeploymentConfig": deployment_config(deployment)} if deployment is not None else {}
        try:
            self._client.update_endpoint(EndpointName=name, EndpointConfigName=config, **extra)
        except ClientError as error:
            if not _missing_endpoint(error):
                self._raise(error, "update_endpoint", name)
            self._call("create_endpoint", EndpointName=name, EndpointConfigName=config)

    def _call(self, operation: str, **request: Any) -> None:
        try:
            getattr(self._client, operation)(**request)
        except ClientError as error:
            if "already exist" in error_message(error):
                return  # a repeated step (a retry, a repair): the resource is ours from the first try
            self._raise(error, operation, request.get("EndpointName", ""))

    @staticmethod
    def _raise(error: ClientError, operation: str, endpoint: str) -> None:
        message = error_message(error)
        if error_code(error) in _THROTTLED:
            raise error  # retries ran out: the event is retried later, nothing is failed for it
        if "in-progress" in message or "in progress" in message:
            raise ProductionBusyError(f"{operation} {endpoint}: {message}") from None
        raise ReleaseStepError(f"{operation}: {error_code(error)}: {message}") from None


def deployment_config(deployment: Deployment) -> dict[str, Any]:
    """UpdateEndpoint's blue/green DeploymentConfig, with the policy's alarms as SageMaker's guardrails."""
    routing: dict[str, Any] = {"Type": deployment.traffic, "WaitIntervalInSeconds": deployment.bake_seconds}
    if deployment.canary_size:
        routing["CanarySize"] = _size(deployment.canary_size)
    if deployment.linear_step_size:
        routing["LinearStepSize"] = _size(deployment.linear_step_size)
    config: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": routing,
            "TerminationWaitInSeconds": deployment.termination_wait_seconds,
        }
    }
    if deployment.rollback_alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in deployment.rollback_alarms]}
    return config


def _size(size: TrafficSize) -> dict[str, Any]:
    return {"Type": size.unit, "Value": size.value}


def _variants(spec: EndpointSpec, model: str) -> list[dict[str, Any]]:
    return [
        {
            "VariantName": spec.variant,
            "ModelName": model,
            "InstanceType": spec.instance_type,
            "InitialInstanceCount": spec.instance_count,
            "InitialVariantWeight": 1.0,
        }
    ]


def _missing_endpoint(error: ClientError) -> bool:
    message = error_message(error)
    return (
        error_code(error) == "ValidationException"
        and "Could not find endpoint" in message
        and "configuration" not in message
    )
