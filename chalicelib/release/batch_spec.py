"""What a batch release runs: no endpoint, a smoke transform job on the policy's sample input in S3, its
output judged by the smoke checks; production is the approved model's name published in an SSM parameter.

A job's name is its release's staging name, the model name with `-stg`: unique per attempt (names.py) and at most 63
characters, as TransformJobName allows. Each job writes under its own prefix of the output path, so a
retried or replayed job never reads another attempt's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.release.names import STAGING_SUFFIX

BATCH = "batch"


@dataclass(frozen=True)
class BatchSpec:
    """SageMaker's TransformInput / TransformOutput / TransformResources for the smoke job."""

    input_path: str  # S3 URI of the sample input (a prefix, or one object)
    output_path: str  # S3 URI under which each job gets its own prefix
    instance_type: str
    content_type: str
    instance_count: int = 1
    split_type: str = "None"  # None, Line, RecordIO or TFRecord
    accept: str | None = None  # the output's MIME type, when the container needs to be told


def batch_spec(release: Mapping[str, Any]) -> BatchSpec | None:
    """The release section's transform settings, when its target is batch."""
    spec = release.get("batch_transform")
    if release.get("target") != BATCH or not isinstance(spec, Mapping):
        return None
    return BatchSpec(
        input_path=spec["input_path"],
        output_path=spec["output_path"],
        instance_type=spec["instance_type"],
        content_type=spec["content_type"],
        instance_count=int(spec.get("instance_count", 1)),
        split_type=spec.get("split_type", "None"),
        accept=spec.get("accept"),
    )


def smoke_job_name(model: str) -> str:
    return f"{model}{STAGING_SUFFIX}"


def job_output_path(spec: BatchSpec, job: str) -> str:
    return f"{spec.output_path.rstrip('/')}/{job}/"
