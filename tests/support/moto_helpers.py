"""Helpers for tests against moto: age versions, throttle an operation a few times, a client of moto's server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

ACCOUNT, REGION = "123456789012", "us-east-1"


def age_versions(arns: Sequence[str], days: float) -> None:
    """Make versions older by `days`: moto stamps creation at registration and has no API to change it."""
    from moto.sagemaker.models import sagemaker_backends

    packages = sagemaker_backends[ACCOUNT][REGION].model_packages
    for arn in arns:
        packages[arn].creation_time -= timedelta(days=days)


@dataclass
class Throttle:
    """moto answers the first `times` calls of an operation with a ThrottlingException (and does nothing)."""

    times: int
    throttled: int = 0
    waits: list[float] = field(default_factory=list)  # what botocore wanted to wait: backoff + rate limiter


def throttle(operation: str, times: int, monkeypatch: pytest.MonkeyPatch) -> Throttle:
    """Throttle a SageMaker operation, e.g. "list_model_packages", in moto (in-process or server).

    The client's retries keep their real logic (standard backoff and the adaptive rate limiter);
    only the waiting is recorded instead of slept, so the test is fast and can show it backed off.
    """
    from botocore.retries.bucket import TokenBucket
    from botocore.retries.standard import ExponentialBackoff
    from moto.sagemaker.exceptions import SagemakerClientError
    from moto.sagemaker.responses import SageMakerResponse

    class Throttled(SagemakerClientError):
        code = "ThrottlingException"

    state = Throttle(times)
    original = getattr(SageMakerResponse, operation)

    def throttled(self: Any) -> Any:
        if state.throttled < state.times:
            state.throttled += 1
            raise Throttled("Rate exceeded")
        return original(self)

    backoff, bucket = ExponentialBackoff.delay_amount, TokenBucket._sleep_amount  # type: ignore[attr-defined]
    monkeypatch.setattr(SageMakerResponse, operation, throttled)
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, ctx: _record(state, backoff(self, ctx)))
    monkeypatch.setattr(TokenBucket, "_sleep_amount", lambda self, amount: _record(state, bucket(self, amount)))
    return state


def _record(state: Throttle, wait: float) -> float:
    if wait > 0:
        state.waits.append(wait)
    return 0


@contextmanager
def moto_server_sagemaker() -> Iterator[Any]:
    """A SageMaker client of a moto server on a free port, with our extension installed, stopped after the block."""
    import boto3
    from moto.server import ThreadedMotoServer

    from devstack.moto_ext import install

    install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield boto3.client("sagemaker", endpoint_url=f"http://{host}:{port}")
    finally:
        server.stop()


@contextmanager
def docker_free_function(name: str) -> Iterator[str]:
    """A Lambda function in moto's Lambda without docker (it runs no code: it answers what was queued through
    moto's API, else echoes the event), inside its own mock; yields the function's ARN."""
    import io
    import zipfile

    import boto3
    from moto import mock_aws

    with mock_aws(config={"lambda": {"use_docker": False}}):
        role = boto3.client("iam").create_role(RoleName="lambda", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("app.py", "def handler(event, context):\n    return {}\n")
        created = boto3.client("lambda").create_function(
            FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": code.getvalue()}
        )
        yield created["FunctionArn"]
