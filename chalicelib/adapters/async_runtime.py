"""Smoke tests of an asynchronous endpoint: the request put in S3, InvokeEndpointAsync, then the answer (or
the failure) read from where SageMaker writes it, within the test's latency budget."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.adapters.runtime import failed_invocation
from chalicelib.release.endpoint_spec import AsyncSpec
from chalicelib.release.policy import SmokeTest
from chalicelib.release.smoke import Invocation

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sagemaker_runtime.type_defs import InvokeEndpointAsyncInputTypeDef

DEFAULT_BUDGET_MS = 60_000.0  # a test without max_latency_ms: an async answer may take this long
POLL_SECONDS = (0.2, 0.5, 1.0, 2.0)  # between looks at S3; the last repeats
MAX_ANSWER_BYTES = 1024 * 1024  # a smoke answer is small: a larger object is judged on its first megabyte
MISSING = ("NoSuchKey", "404", "NoSuchBucket")


class AsyncRuntimeInvoker:
    def __init__(
        self,
        runtime: SageMakerRuntimeClient,
        s3: S3Client,
        timer: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._runtime = runtime
        self._s3 = s3
        self._timer = timer
        self._sleep = sleep

    def invoke(self, endpoint: str, test: SmokeTest, asynchronous: AsyncSpec) -> Invocation:
        budget_ms = test.max_latency_ms or DEFAULT_BUDGET_MS
        try:
            request = self._request(endpoint, test, asynchronous, budget_ms)
        except ClientError as error:
            return failed_invocation(error, 0.0)
        started = self._timer()
        try:
            answer = self._runtime.invoke_endpoint_async(**request)
            return self._await(answer["OutputLocation"], answer.get("FailureLocation"), started, budget_ms)
        except ClientError as error:  # refused, throttled, or the answer cannot be read: the test says which
            return failed_invocation(error, _ms(self._timer() - started))

    def _request(
        self, endpoint: str, test: SmokeTest, asynchronous: AsyncSpec, budget_ms: float
    ) -> InvokeEndpointAsyncInputTypeDef:
        # One object per call: a retried or concurrent smoke test never reads another's request.
        location = f"{asynchronous.smoke_input_path.rstrip('/')}/{endpoint}/{uuid.uuid4().hex}/{test.name[:100]}"
        bucket, key = _split(location)
        self._s3.put_object(Bucket=bucket, Key=key, Body=test.body.encode(), ContentType=test.content_type)
        request: InvokeEndpointAsyncInputTypeDef = {
            "EndpointName": endpoint,
            "InputLocation": location,
            "ContentType": test.content_type,
            "InvocationTimeoutSeconds": max(1, min(3600, int(budget_ms // 1000) or 1)),
        }
        if test.accept:
            request["Accept"] = test.accept
        return request

    def _await(self, output: str, failure: str | None, started: float, budget_ms: float) -> Invocation:
        waits = list(POLL_SECONDS)
        while True:
            found = self._read(output)
            if found is not None:
                return Invocation(200, found[0], found[1], _ms(self._timer() - started))
            failed = self._read(failure) if failure else None
            elapsed = _ms(self._timer() - started)
            if failed is not None:
                reason = failed[0][:300].decode("utf-8", errors="replace")
                return Invocation(0, b"", "", elapsed, f"the asynchronous inference failed ({failure}): {reason}")
            if elapsed >= budget_ms:
                return Invocation(0, b"", "", elapsed, f"no answer at {output} within {budget_ms:g} ms")
            pause = waits.pop(0) if len(waits) > 1 else waits[0]
            self._sleep(min(pause, (budget_ms - elapsed) / 1000))  # never past the budget

    def _read(self, uri: str) -> tuple[bytes, str] | None:
        bucket, key = _split(uri)
        try:
            found = self._s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{MAX_ANSWER_BYTES - 1}")
        except ClientError as error:
            if error_code(error) in MISSING:
                return None
            raise
        return found["Body"].read(), found.get("ContentType", "")


def _split(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def _ms(seconds: float) -> float:
    return seconds * 1000
