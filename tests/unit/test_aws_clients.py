"""A container's boto3 clients come from one session: a cold start sets botocore up once, not per service."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from chalicelib.adapters import aws
from chalicelib.bootstrap import Container


@pytest.fixture
def sessions_made(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    made: list[Any] = []
    real = boto3.session.Session

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(boto3.session, "Session", counted)
    return made


def test_a_containers_clients_share_one_session(sessions_made: list[Any]) -> None:
    container = Container()
    clients = [container.client(service) for service in ("sagemaker", "s3", "dynamodb", "sns")]
    assert len(sessions_made) == 1
    assert len({id(client) for client in clients}) == 4
    assert container.client("s3") is clients[1]


def test_each_container_makes_its_own_session(sessions_made: list[Any]) -> None:
    Container().client("s3")
    Container().client("s3")
    assert len(sessions_made) == 2  # none outlives its container: one made before moto would reach AWS


def test_clients_made_from_many_threads_at_once_share_the_session(sessions_made: list[Any]) -> None:
    factory = aws.SessionClients()
    errors: list[BaseException] = []
    services = ["sagemaker", "s3", "dynamodb", "sns", "sqs", "cloudwatch", "events", "secretsmanager"]

    def make(service: str) -> None:
        try:
            factory(service)
        except Exception as error:  # noqa: BLE001 - collected: the assertion says which failed
            errors.append(error)

    threads = [threading.Thread(target=make, args=(service,)) for service in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(sessions_made) == 1


def test_clients_keep_adaptive_retries() -> None:
    client = aws.SessionClients()("sagemaker")
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 11}  # 10 retries
