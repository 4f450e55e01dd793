"""Raw EventBridge events become typed values here, or a MalformedEventError that says why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.model_version import APPROVAL_STATUSES, PackageRef, version_from_arn

MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"


def model_package_ref(detail: Any) -> PackageRef:
    if not isinstance(detail, Mapping):
        raise MalformedEventError("event detail is not an object")
    arn = detail.get("ModelPackageArn")
    status = detail.get("ModelApprovalStatus")
    if not isinstance(arn, str):
        raise MalformedEventError("event detail has no ModelPackageArn")
    if status not in APPROVAL_STATUSES:
        raise MalformedEventError(f"event detail has no valid ModelApprovalStatus: {status!r}")
    try:
        group, version = version_from_arn(arn)
    except ValueError as error:
        raise MalformedEventError(str(error)) from None
    return PackageRef(arn=arn, group=group, version=version, status=status)
