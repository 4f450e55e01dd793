"""A model package version as the rest of the app sees it, whatever API it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

PENDING = "PendingManualApproval"
APPROVED = "Approved"
REJECTED = "Rejected"
APPROVAL_STATUSES = (PENDING, APPROVED, REJECTED)
MAX_VERSION = 2**31 - 1  # ModelPackageVersion is an Integer in SageMaker's API


@dataclass(frozen=True)
class PackageRef:
    """What an event says about a package: enough to look it up, never trusted beyond that."""

    arn: str
    group: str
    version: int
    status: str


@dataclass(frozen=True)
class ModelVersion:
    arn: str
    group: str
    version: int
    status: str
    metrics_uri: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    created: datetime | None = None
    description: str | None = None
    approval_description: str | None = None
    lifecycle: str = ""  # its ModelLifeCycle as "Stage/StageStatus" (chalicelib.release.lifecycle); "" when none

    @property
    def label(self) -> str:
        return f"v{self.version}"


def version_from_arn(arn: str) -> tuple[str, int]:
    """``arn:aws:sagemaker:r:a:model-package/group/7`` -> ("group", 7); ValueError otherwise."""
    resource = arn.split(":", 5)[-1]
    kind, _, rest = resource.partition("/")
    group, _, number = rest.rpartition("/")
    if kind != "model-package" or not group or not number.isdigit():
        raise ValueError(f"not a versioned model package ARN: {arn!r}")
    return group, int(number)
