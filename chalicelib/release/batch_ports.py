"""What a batch release depends on besides the release engine's ports: its smoke transform job, the job's
output objects, and the SSM parameter production is published in. Adapters implement them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from chalicelib.release.batch_spec import BatchSpec


@dataclass(frozen=True)
class TransformJobView:
    status: str  # InProgress, Completed, Failed, Stopping, Stopped
    output_path: str
    failure_reason: str | None = None


@dataclass(frozen=True)
class OutputObject:
    key: str
    body: bytes  # at most the reader's limit: a huge output is judged on its beginning


class TransformJobs(Protocol):
    def start(self, job: str, spec: BatchSpec, model: str) -> None:
        """CreateTransformJob; a replayed start (the job exists) is not an error."""
        ...

    def describe(self, job: str) -> TransformJobView | None: ...


class JobOutputs(Protocol):
    def read(self, prefix_uri: str) -> tuple[OutputObject, ...]:
        """The objects under an S3 prefix (a bounded number, each bounded in size), by key."""
        ...


class ProductionParameter(Protocol):
    def read(self, group: str) -> str | None: ...

    def publish(self, group: str, value: str) -> None:
        """Overwrite the value whole; ReleaseStepError if SSM refuses (the old value stays)."""
        ...


@dataclass(frozen=True)
class BatchPorts:
    jobs: TransformJobs
    outputs: JobOutputs
    parameter: ProductionParameter
