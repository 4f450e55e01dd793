"""Smoke-test invocations of the staging endpoint (sagemaker-runtime InvokeEndpoint), timed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.release.policy import SmokeTest
from chalicelib.release.smoke import Invocation

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
            # ModelError carries the container's own HTTP status; anything else never reached the model.
            status = int(str(error.response.get("OriginalStatusCode", 0) or 0))
            return Invocation(
                status, b"", "", _ms(self._timer() - started), f"{error_code(error)}: {error_message(error)}"
            )
        body = answer["Body"].read()
        return Invocation(200, body, answer.get("ContentType", ""), _ms(self._timer() - started))


def _ms(seconds: float) -> float:
    return seconds * 1000
