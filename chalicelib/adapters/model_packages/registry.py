"""The registry as the gate and Slack approvals see it (ModelRegistry): read a version, record a decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from chalicelib.adapters.model_packages.describe import approval_status, describe_package, to_model_version
from chalicelib.shared.model_version import APPROVED, ModelVersion

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient


class SageMakerRegistry:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def get_version(self, arn: str) -> ModelVersion:
        return to_model_version(describe_package(self._client, arn))

    def newest_approved(self, group: str) -> ModelVersion | None:
        page = self._client.list_model_packages(
            ModelPackageGroupName=group,
            ModelApprovalStatus=approval_status(APPROVED),
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
            ModelApprovalStatus=approval_status(status),
            ApprovalDescription=description,
            CustomerMetadataProperties=dict(metadata),
        )
