"""SageMaker transform jobs for a batch release's smoke test: started once per attempt, described when their
event (or the reconciler) says they may have finished."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.adapters.transform_requests import create_transform_job_request
from chalicelib.release.batch_ports import TransformJobView
from chalicelib.release.batch_spec import BatchSpec
from chalicelib.shared.errors import ReleaseStepError

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

_THROTTLED = ("ThrottlingException", "Throttling", "RequestLimitExceeded")


class SageMakerTransformJobs:
    def __init__(self, client: SageMakerClient) -> None:
        self._client = client

    def start(self, job: str, spec: BatchSpec, model: str) -> None:
        try:
            self._client.create_transform_job(**create_transform_job_request(spec, job, model))
        except ClientError as error:
            # A replayed start finds the job its first try made: the one job goes on, nothing is started twice.
            if "already exist" not in error_message(error) and error_code(error) != "ResourceInUse":
                _raise(error, "create_transform_job")

    def describe(self, job: str) -> TransformJobView | None:
        try:
            found = self._client.describe_transform_job(TransformJobName=job)
        except ClientError as error:
            if error_code(error) in ("ValidationException", "ResourceNotFound") and _not_found(error):
                return None
            _raise(error, "describe_transform_job")
        return TransformJobView(
            found["TransformJobStatus"], found["TransformOutput"]["S3OutputPath"], found.get("FailureReason")
        )


def _not_found(error: ClientError) -> bool:
    message = error_message(error).lower()
    return "could not find" in message or "not found" in message or "does not exist" in message


def _raise(error: ClientError, operation: str) -> None:
    if error_code(error) in _THROTTLED:
        raise error  # retries ran out: the event is retried later, nothing is failed for it
    raise ReleaseStepError(f"{operation}: {error_code(error)}: {error_message(error)}") from None
