"""The registry sweep's search adapter reads what SageMaker returns, and passes over what it cannot read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.model_packages.listing import RegistrySearch

CREATED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CHANGED = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"


class OnePage:
    def __init__(self, *records: Mapping[str, Any]) -> None:
        self.records = records
        self.requests: list[dict[str, Any]] = []

    def search(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return {"Results": [{"ModelPackage": record} for record in self.records]}


def found(*records: Mapping[str, Any]) -> list[tuple[str, str, int, str, datetime]]:
    client = OnePage(*records)
    pages = list(RegistrySearch(client).changed_since(CREATED))  # type: ignore[arg-type]
    assert len(client.requests) == 1
    return [(v.arn, v.group, v.version, v.status, v.changed) for page in pages for v in page]


def test_a_version_changes_when_it_was_last_modified_else_when_it_was_created() -> None:
    modified = {"ModelPackageArn": ARN, "ModelApprovalStatus": "Rejected", "CreationTime": CREATED}
    assert found({**modified, "LastModifiedTime": CHANGED}) == [(ARN, "fraud-detection-models", 3, "Rejected", CHANGED)]
    assert found(modified)[0][4] == CREATED


def test_records_it_cannot_read_are_passed_over_not_raised() -> None:
    good = {"ModelPackageArn": ARN, "CreationTime": CREATED, "ModelApprovalStatus": "Approved"}
    unreadable: list[Mapping[str, Any]] = [
        {"CreationTime": CREATED},  # no ARN
        {"ModelPackageArn": ARN},  # no time
        {"ModelPackageArn": "arn:aws:sagemaker:us-east-1:1:model-package/unversioned", "CreationTime": CREATED},
        {**good, "ModelPackageGroupName": "g", "ModelPackageVersion": "three"},
    ]
    assert found(*unreadable, good) == [(ARN, "fraud-detection-models", 3, "Approved", CREATED)]
