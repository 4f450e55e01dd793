"""What a batch release needs around it, locally: the example group's release made batch, the team's sample in
S3, and the production parameter the release publishes. Shared by `make demo-batch` and the tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from devstack import demo_setup, seed

BUCKET = "my-bucket"
BATCH_RELEASE: dict[str, Any] = {
    "target": "batch",
    "batch_transform": {
        "input_path": f"s3://{BUCKET}/batch/sample/",
        "output_path": f"s3://{BUCKET}/batch/smoke",
        "instance_type": "ml.m5.large",
        "content_type": "text/csv",
    },
    "deployment": {"type": "ALL_AT_ONCE"},
}
NOT_BATCH = ("staging", "production", "alarms")  # a batch target has no endpoint, nor its alarms


def batch_release(release: dict[str, Any]) -> dict[str, Any]:
    """A release section made batch: its endpoints and their alarms gone, the batch settings in."""
    kept = {key: value for key, value in release.items() if key not in NOT_BATCH}
    return {**kept, **copy.deepcopy(BATCH_RELEASE)}


def batch_policies(directory: Path, group: str = seed.GROUP) -> dict[str, Any]:
    """The demo's policies in `directory`, the group's release made batch; the group's release section."""
    path = demo_setup.demo_policies(directory) / f"{group}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["release"] = batch_release(document["release"])
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    release: dict[str, Any] = document["release"]
    return release


def upload_sample(s3: Any, release: dict[str, Any]) -> list[str]:
    """The team's sample: one object per smoke test, where the smoke transform job reads its input."""
    keys = [f"batch/sample/{test['name']}" for test in release["smoke_tests"]]
    for key, test in zip(keys, release["smoke_tests"], strict=True):
        s3.put_object(Bucket=BUCKET, Key=key, Body=test["body"].encode())
    return keys


def published(ssm: Any, group: str = seed.GROUP) -> dict[str, Any] | None:
    """A batch target's production parameter, as its JSON value; None before the group's first release."""
    try:
        value = ssm.get_parameter(Name=parameter_name(group))["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        return None
    found: dict[str, Any] = json.loads(value)
    return found


def parameter_name(group: str = seed.GROUP) -> str:
    return f"/model-shepherd/{group}/production"


def scored(client: Any, model_name: str, test_name: str) -> str:
    """What the smoke transform job of `model_name` wrote for one sample object."""
    job = client("sagemaker").describe_transform_job(TransformJobName=f"{model_name}-stg")
    output = job["TransformOutput"]["S3OutputPath"].removeprefix(f"s3://{BUCKET}/")
    body: bytes = client("s3").get_object(Bucket=BUCKET, Key=f"{output}{test_name}.out")["Body"].read()
    return body.decode()
