"""SageMaker's refusals turned into the release engine's errors, shared by the endpoint and variant adapters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code, error_message
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError

THROTTLED = ("ThrottlingException", "Throttling", "RequestLimitExceeded")


@contextmanager
def repeatable(operation: str, endpoint: str = "") -> Iterator[None]:
    """A repeated step (a retry, a repair) finds the resource its first try made: that is success."""
    try:
        yield
    except ClientError as error:
        if "already exist" not in error_message(error):
            raise_step_error(error, operation, endpoint)


def raise_step_error(error: ClientError, operation: str, endpoint: str) -> NoReturn:
    message = error_message(error)
    if error_code(error) in THROTTLED:
        raise error  # retries ran out: the event is retried later, nothing is failed for it
    if "in-progress" in message or "in progress" in message:
        raise ProductionBusyError(f"{operation} {endpoint}: {message}") from None
    raise ReleaseStepError(f"{operation}: {error_code(error)}: {message}") from None


def missing_endpoint(error: ClientError) -> bool:
    """DescribeEndpoint's (or an update's) answer for an endpoint that does not exist, not for a missing config."""
    message = error_message(error)
    return (
        error_code(error) == "ValidationException"
        and "Could not find endpoint" in message
        and "configuration" not in message
    )
