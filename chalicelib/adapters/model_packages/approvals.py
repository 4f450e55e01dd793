"""A model package's approval as the release engine needs it (Packages): status, and who or what approved it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.model_packages.describe import describe_package, metrics_uri
from chalicelib.release.ports import PackageApproval
from chalicelib.shared.decision_record import DECIDED_BY_KEY, METRICS_KEY, OUTCOME_KEY, described_decider
from chalicelib.shared.model_version import version_from_arn

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

APPROVED_BY_KEY = "shepherd:approved-by"  # set by whoever approves through model-shepherd (Slack, CLI)


class SageMakerPackages:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def approval(self, arn: str) -> PackageApproval:
        package = describe_package(self._client, arn)
        group, version = version_from_arn(arn)
        return PackageApproval(
            arn,
            package.get("ModelPackageGroupName", group),
            int(package.get("ModelPackageVersion", version)),
            package.get("ModelApprovalStatus", ""),
            approved_by(package),
            (package.get("CustomerMetadataProperties") or {}).get(METRICS_KEY),
            metrics_uri(package),
        )


def approved_by(package: Mapping[str, Any]) -> str:
    metadata = package.get("CustomerMetadataProperties") or {}
    for key in (APPROVED_BY_KEY, DECIDED_BY_KEY):
        if metadata.get(key):
            return str(metadata[key])
    if described := described_decider(package.get("ApprovalDescription")):
        return described  # a person's decision on a package whose team keys left no room for ours
    if metadata.get(OUTCOME_KEY) == "approve":
        return "model-shepherd gate"
    modified = package.get("LastModifiedBy") or {}
    who = modified.get("UserProfileName") or (modified.get("IamIdentity") or {}).get("Arn")
    return str(who) if who else "unknown (console or API)"
