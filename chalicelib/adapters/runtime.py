"""Smoke-test invocations of the staging endpoint (sagemaker-runtime InvokeEndpoint), timed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.policy import SmokeTest
from chalicelib.release.smoke import Invocation

# Throttled, or SageMaker's side failed before the model answered (botocore's own retries ran out first).
TRANSIENT_CODES = frozenset(
    {
        "ThrottlingException",
        "ModelNotReadyException",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalDependencyException",
    }
)

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sagemaker_runtime.type_defs import InvokeEndpointInputTypeDef


class RuntimeInvoker:
    def __init__(self, client: SageMakerRuntimeClient, timer: Callable[[], float] = time.perf_counter) -> None:
        self._client = client
        self._timer = timer

    def invoke(self, endpoint: str, test: SmokeTest) -> Invocation:
        request: InvokeEndpointInputTypeDef = {
            "EndpointName": endpoint,
            "Body": test.body.encode(),
            "ContentType": test.content_type,
        }
        if test.accept:
            request["Accept"] = test.accept
        started = self._timer()
        try:
            answer = self._client.invoke_endpoint(**request)
        except ClientError as error:
            return failed_invocation(error, _ms(self._timer() - started))
        body = answer["Body"].read()
        return Invocation(200, body, answer.get("ContentType", ""), _ms(self._timer() - started))


def failed_invocation(error: ClientError, latency_ms: float) -> Invocation:
    """ModelError carries the container's own HTTP status; anything else never reached the model."""
    status = int(str(error.response.get("OriginalStatusCode", 0) or 0))
    code = error_code(error)
    http = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    transient = code in TRANSIENT_CODES or (http >= 500 and code != "ModelError")
    return Invocation(status, b"", "", latency_ms, f"{code}: {error_message(error)}", transient)


def _ms(seconds: float) -> float:
    return seconds * 1000
