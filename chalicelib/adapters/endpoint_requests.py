"""The SageMaker requests a release sends, built from the release policy's typed values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec, ServerlessSpec
from chalicelib.release.policy import Deployment, TrafficSize

if TYPE_CHECKING:
    from mypy_boto3_sagemaker.type_defs import (
        AsyncInferenceConfigTypeDef,
        AsyncInferenceNotificationConfigTypeDef,
        CapacitySizeTypeDef,
        DeploymentConfigTypeDef,
        ProductionVariantServerlessConfigTypeDef,
        ProductionVariantTypeDef,
        TrafficRoutingConfigTypeDef,
    )


def deployment_config(deployment: Deployment) -> DeploymentConfigTypeDef:
    """UpdateEndpoint's blue/green DeploymentConfig, with the policy's alarms as SageMaker's guardrails."""
    routing: TrafficRoutingConfigTypeDef = {
        "Type": _allowed(deployment.traffic),
        "WaitIntervalInSeconds": deployment.bake_seconds,
    }
    if deployment.canary_size:
        routing["CanarySize"] = _size(deployment.canary_size)
    if deployment.linear_step_size:
        routing["LinearStepSize"] = _size(deployment.linear_step_size)
    config: DeploymentConfigTypeDef = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": routing,
            "TerminationWaitInSeconds": deployment.termination_wait_seconds,
        }
    }
    if deployment.rollback_alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in deployment.rollback_alarms]}
    return config


def _size(size: TrafficSize) -> CapacitySizeTypeDef:
    return {"Type": _allowed(size.unit), "Value": size.value}


def production_variants(spec: EndpointSpec, model: str) -> list[ProductionVariantTypeDef]:
    variant: ProductionVariantTypeDef = {"VariantName": spec.variant, "ModelName": model, "InitialVariantWeight": 1.0}
    if spec.serverless:  # SageMaker refuses instance fields beside a ServerlessConfig
        variant["ServerlessConfig"] = _serverless(spec.serverless)
    else:  # the policy checks give every realtime endpoint its instance type
        variant["InstanceType"] = _allowed(spec.instance_type)
        variant["InitialInstanceCount"] = spec.instance_count
    return [variant]


def _serverless(spec: ServerlessSpec) -> ProductionVariantServerlessConfigTypeDef:
    config: ProductionVariantServerlessConfigTypeDef = {
        "MemorySizeInMB": spec.memory_mb,
        "MaxConcurrency": spec.max_concurrency,
    }
    if spec.provisioned_concurrency is not None:
        config["ProvisionedConcurrency"] = spec.provisioned_concurrency
    return config


def async_inference_config(spec: AsyncSpec) -> AsyncInferenceConfigTypeDef:
    config: AsyncInferenceConfigTypeDef = {
        "OutputConfig": {"S3OutputPath": spec.output_path, "S3FailurePath": spec.failure_path}
    }
    topics: AsyncInferenceNotificationConfigTypeDef = {}
    if spec.success_topic:
        topics["SuccessTopic"] = spec.success_topic
    if spec.error_topic:
        topics["ErrorTopic"] = spec.error_topic
    if topics:
        config["OutputConfig"]["NotificationConfig"] = topics
    if spec.max_concurrent_invocations is not None:
        config["ClientConfig"] = {"MaxConcurrentInvocationsPerInstance": spec.max_concurrent_invocations}
    return config


def _allowed(value: str | None) -> Any:
    # The policy schema admits only SageMaker's enum values here; the stubs type them as Literals.
    return cast(Any, value)
