"""The registry as the cleanup sees it (CleanupRegistry): every page of rejected versions, re-reads, deletes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.adapters.model_packages.describe import approval_status, describe_package, says_package_missing
from chalicelib.cleanup.retention import VersionDetail, VersionSummary
from chalicelib.shared.errors import DeleteFailedError, ModelPackageNotFoundError
from chalicelib.shared.model_version import REJECTED

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import ListModelPackagesInputTypeDef

PAGE_SIZE = 100  # SageMaker's maximum MaxResults
TICK = timedelta(milliseconds=1)  # CreationTime's resolution


class SageMakerCleanupRegistry:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def rejected_pages(
        self, group: str, created_before: datetime, created_after: datetime | None
    ) -> Iterator[list[VersionSummary]]:
        """Rejected versions created before `created_before` and at or after `created_after`, oldest first."""
        request: ListModelPackagesInputTypeDef = {
            "ModelPackageGroupName": group,
            "ModelApprovalStatus": approval_status(REJECTED),
            "SortBy": "CreationTime",
            "SortOrder": "Ascending",  # oldest first: the checkpoint is a creation time
            "CreationTimeBefore": created_before,
            "MaxResults": PAGE_SIZE,
        }
        if created_after is not None:
            request["CreationTimeAfter"] = created_after - TICK  # the API's "after" is strict
        seen = _Tail()
        while True:
            try:
                response = self._client.list_model_packages(**request)
            except ClientError as error:
                if "NextToken" not in request or error_code(error) not in ("InvalidToken", "ValidationException"):
                    raise
                # The token named a version that changed status or vanished since: list again from where
                # we got to (moto does this; SageMaker's tokens may expire).
                request.pop("NextToken")
                if seen.last is not None:
                    request["CreationTimeAfter"] = seen.last - TICK
                continue
            page = seen.new([_summary(item) for item in response.get("ModelPackageSummaryList", [])])
            if page:
                yield page
            if not response.get("NextToken"):
                return
            request["NextToken"] = response["NextToken"]

    def newest_rejected(self, group: str, count: int) -> frozenset[str]:
        arns: list[str] = []
        request: ListModelPackagesInputTypeDef = {
            "ModelPackageGroupName": group,
            "ModelApprovalStatus": approval_status(REJECTED),
            "SortBy": "CreationTime",
            "SortOrder": "Descending",
        }
        while len(arns) < count:
            request["MaxResults"] = min(PAGE_SIZE, count - len(arns))
            response = self._client.list_model_packages(**request)
            arns.extend(item["ModelPackageArn"] for item in response.get("ModelPackageSummaryList", []))
            if not response.get("NextToken"):
                break
            request["NextToken"] = response["NextToken"]
        return frozenset(arns[:count])

    def describe(self, arn: str) -> VersionDetail | None:
        try:
            package = describe_package(self._client, arn)
        except ModelPackageNotFoundError:
            return None
        return VersionDetail(_summary(package), artifact_uris(package))

    def delete(self, arn: str) -> bool:
        try:
            self._client.delete_model_package(ModelPackageName=arn)
        except ClientError as error:
            if says_package_missing(error):
                return False
            raise DeleteFailedError(f"{error_code(error)}: {error_message(error)}") from None
        return True


def _summary(item: Mapping[str, Any]) -> VersionSummary:
    return VersionSummary(
        arn=item["ModelPackageArn"],
        version=int(item["ModelPackageVersion"]),
        status=item.get("ModelApprovalStatus", ""),
        created=item["CreationTime"],
    )


def artifact_uris(package: Mapping[str, Any]) -> tuple[str, ...]:
    """The S3 objects a version names: each container's model data and every metrics document."""
    containers = package.get("InferenceSpecification", {}).get("Containers", [])
    model_data = [c["ModelDataUrl"] for c in containers if str(c.get("ModelDataUrl", "")).startswith("s3://")]
    metrics = _s3_uris(package.get("ModelMetrics", {}))
    return tuple(dict.fromkeys([*model_data, *metrics]))  # each once, in order


def _s3_uris(node: Any) -> list[str]:
    # ModelMetrics nests S3Uri under ModelQuality/ModelDataQuality/Bias/Explainability/...: find them all.
    if isinstance(node, Mapping):
        found = [node["S3Uri"]] if isinstance(node.get("S3Uri"), str) else []
        return found + [uri for key, value in node.items() if key != "S3Uri" for uri in _s3_uris(value)]
    return []


class _Tail:
    """The newest instant listed so far and the versions listed at it: enough to list again from there
    without yielding a version twice (several versions can share one CreationTime)."""

    def __init__(self) -> None:
        self.last: datetime | None = None
        self._at_last: set[str] = set()

    def new(self, page: list[VersionSummary]) -> list[VersionSummary]:
        if self.last is not None:
            last = self.last
            page = [v for v in page if v.created > last or (v.created == last and v.arn not in self._at_last)]
        for version in page:
            if version.created != self.last:
                self.last, self._at_last = version.created, set()
            self._at_last.add(version.arn)
        return page
