"""Stacks that start and stop cleanly in one process: benchmarks and the demo run several one after another."""

from __future__ import annotations

import http.client
import os
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

from devstack import seed
from devstack.errors import PortInUseError
from devstack.resources import STATE_TABLE
from devstack.servers import answers_on, free_port
from devstack.stack import Ready, Stack, StackConfig

pytestmark = pytest.mark.e2e


@pytest.fixture
def ports() -> Iterator[StackConfig]:
    saved = dict(os.environ)  # a stack exports its environment into the process: give the next test its own
    yield StackConfig(aws_port=free_port(), app_port=free_port(), creating_seconds=0.0, updating_seconds=0.0)
    os.environ.clear()
    os.environ.update(saved)


def sagemaker(ready: Ready) -> Any:
    once = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=5)
    return boto3.client("sagemaker", endpoint_url=ready.aws_url, region_name="us-east-1", config=once)


def test_a_stack_stopped_then_started_on_the_same_ports_starts_afresh(ports: StackConfig) -> None:
    first = Stack(ports)
    ready = first.start()
    seed.create_group(sagemaker(ready))
    first.stop()
    second = Stack(ports)
    try:
        again = second.start()  # creates the same tables, queues and rules: none is left from the first
        groups = boto3.client("sagemaker", endpoint_url=again.aws_url, region_name="us-east-1")
        assert groups.list_model_package_groups()["ModelPackageGroupSummaryList"] == []
        dynamodb = boto3.client("dynamodb", endpoint_url=again.aws_url, region_name="us-east-1")
        assert STATE_TABLE in dynamodb.list_tables()["TableNames"]
    finally:
        second.stop()


def test_stop_returns_with_both_ports_closed(ports: StackConfig) -> None:
    stack = Stack(ports)
    ready = stack.start()
    aws = sagemaker(ready)
    seed.create_group(aws)  # its connection stays open in the client's pool (HTTP/1.1)
    app = http.client.HTTPConnection(ports.host, ports.app_port, timeout=5)
    app.request("GET", "/")
    app.getresponse().read()  # kept alive: the app's server would serve it again
    stack.stop()
    assert not answers_on(ports.host, ports.aws_port)
    assert not answers_on(ports.host, ports.app_port)
    with pytest.raises((EndpointConnectionError, ConnectionClosedError)):  # not served by the stopped stack
        aws.list_model_package_groups()
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        answer_on(app)


def answer_on(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/")
    return connection.getresponse().status


def test_a_start_refuses_a_port_something_answers_on(ports: StackConfig) -> None:
    with socket.socket() as squatter:
        squatter.bind((ports.host, ports.app_port))
        squatter.listen()
        with pytest.raises(PortInUseError, match=rf"port {ports.app_port} is in use \(something already answers"):
            Stack(ports).start()
    assert not answers_on(ports.host, ports.aws_port)  # what had started was stopped


def test_a_stopped_stack_leaves_the_process_moto_instant_endpoints(ports: StackConfig) -> None:
    # Its bake (3 s) outlived it: a later in-process test in the same worker found production Updating.
    from devstack.moto_ext import endpoint_lifecycle

    stack = Stack(ports)
    stack.start()
    assert endpoint_lifecycle.LIFECYCLE.bake_seconds == ports.bake_seconds > 0
    stack.stop()
    assert endpoint_lifecycle.Lifecycle() == endpoint_lifecycle.LIFECYCLE
