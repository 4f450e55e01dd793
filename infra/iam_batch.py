"""The grants a batch target needs, only for the groups whose release policy has one: the smoke transform
jobs (named after the group's prefix, as chalicelib.release.names names them), their output under the
policy's output_path, and the group's production parameter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.release.names import name_prefix
from chalicelib.release.production_parameter import parameter_name

Statement = dict[str, Any]


def batch_outputs(release: dict[str, Any]) -> str | None:
    """`bucket/prefix` of a batch target's smoke output; None for another target."""
    spec = release.get("batch_transform") or {}
    if release.get("target") != "batch" or not spec:
        return None
    return str(spec["output_path"]).removeprefix("s3://").rstrip("/")


def batch_statements(
    arn: Callable[[str, str], str], groups: tuple[str, ...], outputs: tuple[str, ...]
) -> list[Statement]:
    if not groups:
        return []
    jobs = [arn("sagemaker", f"transform-job/{name_prefix(group)}-v*") for group in groups]
    parameters = [arn("ssm", f"parameter{parameter_name(group)}") for group in groups]
    buckets = sorted({f"arn:aws:s3:::{output.partition('/')[0]}" for output in outputs})
    return [
        _allow("StartSmokeTransformJobs", ["sagemaker:CreateTransformJob"], jobs),
        _allow("WatchSmokeTransformJobs", ["sagemaker:DescribeTransformJob"], jobs),
        _allow("ListSmokeTransformOutput", ["s3:ListBucket"], buckets),
        _allow("ReadSmokeTransformOutput", ["s3:GetObject"], [f"arn:aws:s3:::{output}/*" for output in outputs]),
        _allow("ReadBatchProduction", ["ssm:GetParameter"], parameters),
        _allow("PublishBatchProduction", ["ssm:PutParameter"], parameters),
    ]


def _allow(sid: str, actions: list[str], resources: list[str]) -> Statement:
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
