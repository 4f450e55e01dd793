"""SageMaker Model Registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.shared.errors import ModelPackageNotFoundError
from chalicelib.shared.model_version import APPROVED, ModelVersion, version_from_arn


class SageMakerRegistry:
    def __init__(self, client: Any) -> None:
        self._client = client

    def get_version(self, arn: str) -> ModelVersion:
        return to_model_version(describe_package(self._client, arn))

    def newest_approved(self, group: str) -> ModelVersion | None:
        page = self._client.list_model_packages(
            ModelPackageGroupName=group,
            ModelApprovalStatus=APPROVED,
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=1,
        )
        summaries = page.get("ModelPackageSummaryList", [])
        return self.get_version(summaries[0]["ModelPackageArn"]) if summaries else None

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None:
        # Every field is sent: the description and the whole metadata, ours merged into the team's.
        self._client.update_model_package(
            ModelPackageArn=version.arn,
            ModelApprovalStatus=status,
            ApprovalDescription=description,
            CustomerMetadataProperties=dict(metadata),
        )


def describe_package(client: Any, arn: str) -> dict[str, Any]:
    """DescribeModelPackage, with a missing package as ModelPackageNotFoundError."""
    try:
        package: dict[str, Any] = client.describe_model_package(ModelPackageName=arn)
    except ClientError as error:
        # SageMaker answers a missing package with a ValidationException, not a NotFound.
        if error_code(error) in ("ValidationException", "ResourceNotFound"):
            raise ModelPackageNotFoundError(f"{arn}: {error_message(error)}") from None
        raise
    return package


def to_model_version(package: Mapping[str, Any]) -> ModelVersion:
    arn = package["ModelPackageArn"]
    group, number = version_from_arn(arn)
    statistics = package.get("ModelMetrics", {}).get("ModelQuality", {}).get("Statistics", {})
    return ModelVersion(
        arn=arn,
        group=package.get("ModelPackageGroupName", group),
        version=int(package.get("ModelPackageVersion", number)),
        status=package.get("ModelApprovalStatus", ""),
        metrics_uri=statistics.get("S3Uri"),
        metadata=dict(package.get("CustomerMetadataProperties") or {}),
        created=package.get("CreationTime"),
        description=package.get("ModelPackageDescription"),
        approval_description=package.get("ApprovalDescription"),
    )
