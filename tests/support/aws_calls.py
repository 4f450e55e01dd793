"""Every AWS call a handler makes, recorded as (function, service, operation, params) while it runs.

A botocore `before-parameter-build` hook on every client (the composition root's included) sees each
call's own parameters; the handler entry points of chalicelib.handlers, wrapped once, say which Lambda
function is running. Calls made outside a handler (a test's own setup and assertions) are not recorded.
"""

from __future__ import annotations

import contextvars
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# The Lambda function (Chalice's name, as in .chalice/config.json) behind each handler entry point.
FUNCTION_OF_HANDLER = {
    "on_model_package_pending": "gate",
    "on_slack_action": "api_handler",
    "on_slack_command": "api_handler",  # the same function: one REST API
    "on_model_package_decided": "release_decided",
    "on_endpoint_state_change": "release_endpoint",
    "on_transform_job_state_change": "release_endpoint",  # the same rule: SageMaker state changes
    "on_alarm_state_change": "release_alarm",
    "on_reconcile_schedule": "release_reconcile",
    "on_cleanup_schedule": "cleanup",
}


@dataclass(frozen=True)
class AwsCall:
    function: str
    service: str  # botocore's service name: sagemaker, sagemaker-runtime, dynamodb, ...
    operation: str  # botocore's operation name: DescribeModelPackage
    params: dict[str, Any]
    region: str


_running: contextvars.ContextVar[str | None] = contextvars.ContextVar("shepherd_running_function", default=None)
_calls: list[AwsCall] = []
_lock = threading.Lock()
_installed = False


def install() -> None:
    """Hook every botocore session made from now on, and wrap the handler entry points; safe to call again."""
    global _installed
    if _installed:
        return
    import boto3
    from botocore import handlers as botocore_handlers

    from chalicelib import handlers

    botocore_handlers.BUILTIN_HANDLERS.append(("before-parameter-build", _record, botocore_handlers.REGISTER_LAST))
    boto3.DEFAULT_SESSION = None
    for name, function in FUNCTION_OF_HANDLER.items():
        setattr(handlers, name, _attributed(function, getattr(handlers, name)))
    _installed = True


def take() -> list[AwsCall]:
    """The calls recorded since the last take, oldest first."""
    with _lock:
        taken = list(_calls)
        _calls.clear()
    return taken


@contextmanager
def running(function: str) -> Iterator[None]:
    token = _running.set(function)
    try:
        yield
    finally:
        _running.reset(token)


def _attributed(function: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with running(function):
            return handler(*args, **kwargs)

    return wrapper


def _record(params: Any, model: Any, context: Any = None, **_: Any) -> None:
    function = _running.get()
    if function is None:
        return
    region = (context or {}).get("client_region") or "us-east-1"
    call = AwsCall(function, model.service_model.service_name, model.name, dict(params), region)
    with _lock:
        _calls.append(call)
