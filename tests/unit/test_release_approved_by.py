"""Who or what approved a version, as the history records it."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.model_packages.approvals import approved_by


@pytest.mark.parametrize(
    ("package", "expected"),
    [
        ({"CustomerMetadataProperties": {"shepherd:approved-by": "slack:U123 (alice)"}}, "slack:U123 (alice)"),
        ({"CustomerMetadataProperties": {"shepherd:outcome": "approve"}}, "model-shepherd gate"),
        # A version the gate sent to review, approved by a person in Slack (or the CLI): that person.
        (
            {
                "CustomerMetadataProperties": {
                    "shepherd:outcome": "review",
                    "shepherd:decided-by": "slack:U024BE7LH (ann)",
                }
            },
            "slack:U024BE7LH (ann)",
        ),
        ({"LastModifiedBy": {"UserProfileName": "bob"}}, "bob"),
        (
            {"LastModifiedBy": {"IamIdentity": {"Arn": "arn:aws:sts::1:assumed-role/ci/x"}}},
            "arn:aws:sts::1:assumed-role/ci/x",
        ),
        ({}, "unknown (console or API)"),
    ],
)
def test_approved_by_prefers_our_record_then_the_gate_then_sagemaker(package: dict[str, Any], expected: str) -> None:
    assert approved_by(package) == expected
