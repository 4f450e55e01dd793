"""The policy schema's `release.hooks`: what it accepts stays inside Lambda's Invoke limits and https."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from jsonschema import Draft202012Validator

SCHEMA: dict[str, Any] = json.loads((Path(__file__).parents[2] / "chalicelib/shared/policy_schema.json").read_text())
ARN = "arn:aws:lambda:us-east-1:123456789012:function:fraud-pre-rollout"


def hook_errors(hook: dict[str, Any]) -> list[str]:
    schema = {**SCHEMA, "$ref": "#/$defs/hook"}
    schema.pop("properties")
    schema.pop("required")
    schema.pop("additionalProperties")
    schema.pop("type")
    return [error.message for error in Draft202012Validator(schema).iter_errors(hook)]


@pytest.mark.parametrize(
    "hook",
    [
        {"lambda_arn": ARN},
        {"lambda_arn": ARN + ":live", "timeout_seconds": 8, "retries": 2},
        {"lambda_arn": "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:$LATEST"},
        {"url": "https://checks.example.com/shepherd?x=1", "secret": "model-shepherd/prod/hooks"},
        {"url": "https://checks.example.com", "secret": "ssm:/model-shepherd/prod/hooks", "timeout_seconds": 1},
    ],
)
def test_accepts_a_function_arn_or_an_https_url_with_its_secret(hook: dict[str, Any]) -> None:
    assert hook_errors(hook) == []


@pytest.mark.parametrize(
    "hook",
    [
        {},
        {"lambda_arn": "fraud-pre-rollout"},  # a bare name: IAM is granted on ARNs
        {"lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:" + "f" * 250},
        {"url": "http://checks.example.com", "secret": "s"},
        {"url": "https://user:pw@checks.example.com", "secret": "s"},
        {"url": "https://checks.example.com"},  # unsigned
        {"url": "https://" + "a" * 2050, "secret": "s"},
        {"lambda_arn": ARN, "url": "https://checks.example.com", "secret": "s"},
        {"lambda_arn": ARN, "secret": "s"},
        {"lambda_arn": ARN, "timeout_seconds": 9},
        {"lambda_arn": ARN, "timeout_seconds": 0},
        {"lambda_arn": ARN, "retries": 3},
        {"url": "https://checks.example.com", "secret": "has spaces"},
        {"lambda_arn": ARN, "headers": {}},
    ],
)
def test_refuses_anything_else(hook: dict[str, Any]) -> None:
    assert hook_errors(hook) != []


def test_every_arn_the_schema_accepts_is_a_function_name_lambda_invoke_accepts() -> None:
    shape = botocore.session.get_session().get_service_model("lambda").operation_model("Invoke").input_shape
    assert shape is not None
    rules = shape.members["FunctionName"].metadata
    ours = SCHEMA["$defs"]["hook"]["properties"]["lambda_arn"]
    assert ours["maxLength"] <= rules["max"]
    china = "arn:aws-cn:lambda:cn-north-1:123456789012:function:a.b"
    for arn in (ARN, ARN + ":live", ARN + ":$LATEST", ARN + ":7", china):
        assert re.fullmatch(ours["pattern"].strip("^$"), arn)
        assert re.fullmatch(rules["pattern"], arn), arn
