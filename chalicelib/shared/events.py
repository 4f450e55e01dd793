"""Raw EventBridge events become typed values here, or a MalformedEventError that names the field.

"SageMaker Model Package State Change" (on creation and on every update): only the ARN and the approval
status are read; the package itself is re-read before anything is decided (events may be stale).
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.event_fields import choice_field, event_object, shown, text_field
from chalicelib.shared.model_version import APPROVAL_STATUSES, MAX_VERSION, PackageRef, version_from_arn

MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"
ARN_LIMIT = 2048  # ModelPackageArn in botocore's sagemaker service-2.json
GROUP_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")  # EntityName, 1 to 63 characters


def model_package_ref(detail: Any) -> PackageRef:
    detail = event_object(detail)
    arn = text_field(detail, "ModelPackageArn", ARN_LIMIT)
    status = choice_field(detail, "ModelApprovalStatus", APPROVAL_STATUSES)
    group, version = _versioned(arn)
    return PackageRef(arn=arn, group=group, version=version, status=status)


def _versioned(arn: str) -> tuple[str, int]:
    try:
        if not arn.isascii():  # SageMaker's ARNs are; str.isdigit() alone would read "٣" as a version
            raise ValueError(arn)
        group, version = version_from_arn(arn)
    except ValueError:
        raise MalformedEventError(
            f"event detail ModelPackageArn is not a versioned model package ARN: {shown(arn)}"
        ) from None
    if len(group) > 63 or not GROUP_NAME.fullmatch(group):
        raise MalformedEventError(f"event detail ModelPackageArn names no valid model package group: {shown(arn)}")
    if not 1 <= version <= MAX_VERSION:
        raise MalformedEventError(f"event detail ModelPackageArn has version {shown(version)}, not 1 to {MAX_VERSION}")
    return group, version
