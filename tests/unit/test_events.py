"""Raw EventBridge details become typed references, or a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.shared.errors import MalformedEventError
from chalicelib.shared.events import model_package_ref

FIXTURE = Path(__file__).parents[1] / "fixtures" / "aws-docs-model-package-state-change.json"


def test_aws_docs_sample_event() -> None:
    ref = model_package_ref(json.loads(FIXTURE.read_text())["detail"])
    assert (ref.group, ref.version, ref.status) == ("churn-models", 2, "PendingManualApproval")


@pytest.mark.parametrize(
    ("detail", "why"),
    [
        (None, "not an object"),
        ([], "not an object"),
        ({}, "no ModelPackageArn"),
        ({"ModelPackageArn": 7, "ModelApprovalStatus": "Approved"}, "ModelPackageArn must be a string, not int"),
        ({"ModelPackageArn": "arn:aws:sagemaker:r:1:model-package/g/1"}, "has no ModelApprovalStatus"),
        ({"ModelPackageArn": "arn:aws:sagemaker:r:1:model-package/g/1", "ModelApprovalStatus": "Maybe"}, "Maybe"),
        ({"ModelPackageArn": "arn:aws:sagemaker:r:1:model-package/g", "ModelApprovalStatus": "Approved"}, "versioned"),
        ({"ModelPackageArn": "arn:aws:sagemaker:r:1:endpoint/g/1", "ModelApprovalStatus": "Approved"}, "versioned"),
    ],
)
def test_malformed_details_say_why(detail: object, why: str) -> None:
    with pytest.raises(MalformedEventError, match=why):
        model_package_ref(detail)
