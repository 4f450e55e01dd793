"""SageMaker models, endpoint configs and endpoints for the release engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.adapters.endpoint_requests import async_inference_config, deployment_config, production_variants
from chalicelib.adapters.sagemaker_errors import missing_endpoint, raise_step_error, repeatable
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.policy import Deployment
from chalicelib.release.ports import EndpointView

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import CreateEndpointConfigInputTypeDef, UpdateEndpointInputTypeDef


class SageMakerEndpoints:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def create_model(self, name: str, package_arn: str, role_arn: str) -> None:
        # The model package carries the image and artifacts: SageMaker builds the container from it.
        with repeatable("create_model"):
            self._client.create_model(
                ModelName=name,
                ExecutionRoleArn=role_arn,
                PrimaryContainer={"ModelPackageName": package_arn},
            )

    def create_config(self, name: str, spec: EndpointSpec, model: str) -> None:
        request: CreateEndpointConfigInputTypeDef = {
            "EndpointConfigName": name,
            "ProductionVariants": production_variants(spec, model),
        }
        if spec.asynchronous:  # answers go to S3, not back to the caller
            request["AsyncInferenceConfig"] = async_inference_config(spec.asynchronous)
        with repeatable("create_endpoint_config"):
            self._client.create_endpoint_config(**request)

    def describe(self, name: str) -> EndpointView | None:
        try:
            endpoint = self._client.describe_endpoint(EndpointName=name)
        except ClientError as error:
            if error_code(error) == "ValidationException" and "Could not find" in error_message(error):
                return None
            raise
        variants = endpoint.get("ProductionVariants") or []
        serverless = bool(variants[0].get("CurrentServerlessConfig")) if variants else None
        return EndpointView(
            endpoint["EndpointStatus"],
            endpoint.get("EndpointConfigName"),
            endpoint.get("FailureReason"),
            serverless,
            endpoint.get("LastModifiedTime"),
        )

    def deploy(self, name: str, config: str, deployment: Deployment | None = None) -> None:
        # Update first: the endpoint exists on every release but a group's first, so one call usually does.
        update: UpdateEndpointInputTypeDef = {"EndpointName": name, "EndpointConfigName": config}
        if deployment is not None:
            update["DeploymentConfig"] = deployment_config(deployment)
        try:
            self._client.update_endpoint(**update)
        except ClientError as error:
            if not missing_endpoint(error):
                raise_step_error(error, "update_endpoint", name)
            with repeatable("create_endpoint", name):
                self._client.create_endpoint(EndpointName=name, EndpointConfigName=config)

    def delete(self, name: str) -> None:
        try:
            self._client.delete_endpoint(EndpointName=name)
        except ClientError as error:
            if "Could not find" not in error_message(error):  # already gone: what we wanted
                raise_step_error(error, "delete_endpoint", name)
