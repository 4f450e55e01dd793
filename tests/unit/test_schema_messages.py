"""A policy refused by its schema says what the key needs, not jsonschema's dump of the object and the schema:
a hook that is neither a Lambda function nor a signed URL, a metric check with nothing to judge by, a reserved
dimension, too many checks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.schema_messages import schema_message
from tests.support.policies import policies_with_release

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:fraud-pre-rollout"
LATENCY = {"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}


@pytest.mark.parametrize(
    ("release", "problem"),
    [
        (
            {"hooks": {"pre_rollout": {"url": "https://checks.example.com/pre"}}},
            "release/hooks/pre_rollout: needs exactly one of: lambda_arn, or url with secret (it has url)",
        ),
        (
            {"hooks": {"pre_rollout": {"lambda_arn": LAMBDA, "secret": "model-shepherd/prod/hooks"}}},
            "release/hooks/pre_rollout: needs exactly one of: lambda_arn, or url with secret "
            "(it has lambda_arn, secret)",
        ),
        (
            {"hooks": {"post_rollout": {}}},
            "release/hooks/post_rollout: needs exactly one of: lambda_arn, or url with secret (it has none of them)",
        ),
        (
            {"analysis": {"checks": [{"name": "p50", "metric": "ModelLatency", "statistic": "p50"}]}},
            "release/analysis/checks/0: needs at least one of: maximum, or minimum, or tolerance (it has none of them)",
        ),
        (
            {"analysis": {"checks": [{**LATENCY, "dimensions": {"VariantName": "Challenger"}}]}},
            "release/analysis/checks/0/dimensions: 'VariantName' is not allowed here "
            "(reserved: EndpointName, VariantName)",
        ),
        (
            {"analysis": {"checks": [{**LATENCY, "name": f"c{index}"} for index in range(11)]}},
            "release/analysis/checks: 11 item(s), at most 10 allowed",
        ),
        ({"analysis": {"checks": []}}, "release/analysis/checks: 0 item(s), at least 1 allowed"),
    ],
)
def test_a_refused_key_says_what_it_needs(tmp_path: Any, release: dict[str, Any], problem: str) -> None:
    directory = policies_with_release(tmp_path / "policies", **release)
    with pytest.raises(InvalidPolicyError, match=re.escape(problem)) as refused:
        FilePolicyRepository(directory).get("fraud-detection-models")
    assert "valid under" not in str(refused.value)


def test_any_other_error_keeps_jsonschemas_message() -> None:
    assert schema_message("maximum", 8, 30, "30 is greater than the maximum of 8") == (
        "30 is greater than the maximum of 8"
    )
    branches = [{"required": ["a"]}, {"type": "object"}]  # not a choice of keys: nothing better to say
    assert schema_message("anyOf", branches, {"b": 1}, "not valid under any") == "not valid under any"
