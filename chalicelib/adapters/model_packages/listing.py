"""The registry as the sweep lists it (RegistryListing): versions created since a moment, a group's newest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.model_packages.cleanup import PAGE_SIZE, TICK
from chalicelib.release.ports import Listed
from chalicelib.shared.model_version import version_from_arn

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import ListModelPackagesInputTypeDef

MAX_PAGES = 50  # per run: 5,000 registrations; the rest is listed by the next run, from the cursor


class SageMakerListing:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def created_since(self, after: datetime, before: datetime) -> Iterator[list[Listed]]:
        request: ListModelPackagesInputTypeDef = {
            "ModelPackageType": "Versioned",  # without a group, the default lists unversioned packages only
            "CreationTimeAfter": after - TICK,  # the API's "after" is strict: the cursor's own instant again
            "CreationTimeBefore": before,
            "SortBy": "CreationTime",
            "SortOrder": "Ascending",
            "MaxResults": PAGE_SIZE,
        }
        for _ in range(MAX_PAGES):
            response = self._client.list_model_packages(**request)
            page = _page(response)
            if page:
                yield page
            if not response.get("NextToken"):
                return
            request["NextToken"] = response["NextToken"]

    def newest(self, group: str) -> list[Listed]:
        response = self._client.list_model_packages(
            ModelPackageGroupName=group, SortBy="CreationTime", SortOrder="Descending", MaxResults=PAGE_SIZE
        )
        return _page(response)


def _page(response: Mapping[str, Any]) -> list[Listed]:
    found = (_listed(item) for item in response.get("ModelPackageSummaryList", []))
    return [listed for listed in found if listed is not None]


def _listed(item: Mapping[str, Any]) -> Listed | None:
    """None for a package that is no group's version (never ours to hand on)."""
    arn = item["ModelPackageArn"]
    group, number = item.get("ModelPackageGroupName"), item.get("ModelPackageVersion")
    if group is None or number is None:
        try:
            group, number = version_from_arn(arn)
        except ValueError:
            return None
    return Listed(arn, group, int(number), item.get("ModelApprovalStatus", ""), item["CreationTime"])
