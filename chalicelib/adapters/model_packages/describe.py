"""DescribeModelPackage, and how SageMaker says a package is not there: what every view of the registry shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.shared.errors import ModelPackageNotFoundError
from chalicelib.shared.model_version import ModelVersion, version_from_arn

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.literals import ModelApprovalStatusType
    from mypy_boto3_sagemaker.type_defs import DescribeModelPackageOutputTypeDef

# SageMaker answers a missing package with a ValidationException, not (only) a NotFound.
GONE_CODES = ("ValidationException", "ResourceNotFound")


def describe_package(client: SageMakerClient, arn: str) -> DescribeModelPackageOutputTypeDef:
    """DescribeModelPackage, with a missing package as ModelPackageNotFoundError."""
    try:
        return client.describe_model_package(ModelPackageName=arn)
    except ClientError as error:
        if error_code(error) in GONE_CODES:
            raise ModelPackageNotFoundError(f"{arn}: {error_message(error)}") from None
        raise


def says_package_missing(error: ClientError) -> bool:
    # A ValidationException is also how SageMaker refuses a bad request: only "no such package" means gone.
    message = error_message(error).lower()
    return error_code(error) in GONE_CODES and ("does not exist" in message or "not found" in message)


def approval_status(status: str) -> ModelApprovalStatusType:
    # The ports carry a plain str; only APPROVAL_STATUSES reach here, and SageMaker refuses anything else.
    return cast("ModelApprovalStatusType", status)


def to_model_version(package: DescribeModelPackageOutputTypeDef) -> ModelVersion:
    arn = package["ModelPackageArn"]
    group, number = version_from_arn(arn)
    return ModelVersion(
        arn=arn,
        group=package.get("ModelPackageGroupName", group),
        version=int(package.get("ModelPackageVersion", number)),
        status=package.get("ModelApprovalStatus", ""),
        metrics_uri=metrics_uri(package),
        metadata=dict(package.get("CustomerMetadataProperties") or {}),
        created=package.get("CreationTime"),
        description=package.get("ModelPackageDescription"),
        approval_description=package.get("ApprovalDescription"),
        lifecycle=lifecycle_words(package),
    )


def lifecycle_words(package: Mapping[str, Any]) -> str:
    lifecycle = package.get("ModelLifeCycle") or {}
    return f"{lifecycle['Stage']}/{lifecycle['StageStatus']}" if lifecycle.get("Stage") else ""


def metrics_uri(package: Mapping[str, Any]) -> str | None:
    """Where the model-quality statistics (the metrics the gate evaluates) are, if the version names them."""
    statistics = package.get("ModelMetrics", {}).get("ModelQuality", {}).get("Statistics", {})
    uri: str | None = statistics.get("S3Uri")
    return uri
