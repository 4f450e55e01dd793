"""The registry as the sweep searches it (RegistryListing): every version registered or changed since a moment.

One SageMaker `Search` over the account's model packages finds both what ListModelPackages can (versions
created since) and what it cannot (a version approved or rejected since: its LastModifiedTime moves).
Both times are asked for (`Or`): whether a version never changed has a LastModifiedTime is not documented.
Sorted by LastModifiedTime, ascending, 100 a page: a quiet account costs one call a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.model_packages.cleanup import PAGE_SIZE
from chalicelib.release.ports import Listed
from chalicelib.shared.model_version import version_from_arn

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.type_defs import SearchRequestTypeDef

MAX_PAGES = 50  # per run: 5,000 changes; the rest is found by the next run, from the cursor


class RegistrySearch:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        request = search_request(since)
        for _ in range(MAX_PAGES):
            response = self._client.search(**request)
            page = _page(response)
            if page:
                yield page
            if not response.get("NextToken"):
                return
            request["NextToken"] = response["NextToken"]


def search_request(since: datetime) -> SearchRequestTypeDef:
    moment = timestamp_value(since)
    return {
        "Resource": "ModelPackage",
        "SearchExpression": {
            "Filters": [
                {"Name": "LastModifiedTime", "Operator": "GreaterThanOrEqualTo", "Value": moment},
                {"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo", "Value": moment},
            ],
            "Operator": "Or",
        },
        "SortBy": "LastModifiedTime",
        "SortOrder": "Ascending",
        "MaxResults": PAGE_SIZE,
    }


def timestamp_value(moment: datetime) -> str:
    """A Search filter's timestamp: ISO 8601 in UTC, to the millisecond (the registry's resolution)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _page(response: Mapping[str, Any]) -> list[Listed]:
    found = (_listed(record.get("ModelPackage") or {}) for record in response.get("Results", []))
    return [listed for listed in found if listed is not None]


def _listed(item: Mapping[str, Any]) -> Listed | None:
    """None for a package that is no group's version (never ours to hand on), or that says too little to be
    one: a record the sweep cannot read must not stop it at the same place every run."""
    arn, changed = item.get("ModelPackageArn"), item.get("LastModifiedTime") or item.get("CreationTime")
    if arn is None or changed is None:
        return None
    group, number = item.get("ModelPackageGroupName"), item.get("ModelPackageVersion")
    try:
        if group is None or number is None:
            group, number = version_from_arn(arn)
        return Listed(arn, group, int(number), item.get("ModelApprovalStatus", ""), changed)
    except (TypeError, ValueError):
        return None
