"""Hooks that are Lambda functions: Invoke, RequestResponse, the payload as the event, one attempt.

The client is made per hook timeout (botocore's read timeout is a client's, not a call's) with botocore's
own retries off: the runner retries, within the hook's budget, only what may pass on a second try.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError, ConnectionError, ConnectTimeoutError, ReadTimeoutError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.hooks.answer import MAX_ANSWER_BYTES, HookResult, clipped, read_answer
from chalicelib.hooks.policy import HookTarget
from chalicelib.hooks.record import ERROR, HALT

# Lambda was busy or failed on its side, not the function: a second attempt may pass.
RETRYABLE_CODES = frozenset(
    {"TooManyRequestsException", "ServiceException", "EC2ThrottledException", "ResourceNotReadyException"}
)


class LambdaHooks:
    def __init__(self, clients: Callable[[int], Any]) -> None:
        """`clients(seconds)`: a Lambda client whose calls give up after that long, without retrying."""
        self._clients = clients

    def call(self, target: HookTarget, body: bytes) -> HookResult:
        assert target.lambda_arn is not None
        client = self._clients(target.timeout_seconds)
        try:
            answer = client.invoke(FunctionName=target.lambda_arn, InvocationType="RequestResponse", Payload=body)
        except ClientError as error:
            code = error_code(error)
            return HookResult(ERROR, clipped(f"{code}: {error_message(error)}"), code in RETRYABLE_CODES)
        except (ReadTimeoutError, ConnectTimeoutError):
            return HookResult(ERROR, f"no answer within {target.timeout_seconds} s", retryable=True)
        except ConnectionError as error:
            return HookResult(ERROR, clipped(f"cannot reach Lambda: {error}"))
        payload = answer["Payload"].read(MAX_ANSWER_BYTES + 1)
        if answer.get("FunctionError"):
            return HookResult(HALT, f"the function failed ({answer['FunctionError']}): {_failure(payload)}")
        return read_answer(payload)


def _failure(payload: bytes) -> str:
    """Lambda's error document's message (`errorMessage`), else what little can be said."""
    try:
        message = json.loads(payload).get("errorMessage")
    except (ValueError, RecursionError, AttributeError):
        message = None
    return clipped(message) if isinstance(message, str) else "no error message"
