"""The gate under duplicates, concurrency, malformed events and broken channels, through the real wiring."""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
import pytest
from chalice.local import LambdaContext
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container, use_container
from chalicelib.gate.once import DUPLICATE_IN_PROGRESS
from chalicelib.gate.result import GateResult
from chalicelib.shared.errors import ConfigurationError, DecisionInProgressError, MalformedEventError
from chalicelib.shared.notification import Notification
from chalicelib.shared.settings import load_settings
from devstack import seed
from devstack.resources import LocalResources
from tests.support.gate_events import register, send, state_change
from tests.support.sns_inbox import inbox


@pytest.fixture
def sagemaker(container: Container) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def test_a_malformed_event_is_raised_so_it_reaches_the_dead_letter_queue(container: Container) -> None:
    with Client(app) as client:
        event = client.events.generate_cw_event(
            source="aws.sagemaker", detail_type="SageMaker Model Package State Change", resources=[], detail={}
        )
        with pytest.raises(MalformedEventError, match="no ModelPackageArn"):
            client.lambda_.invoke("gate", event)


def test_an_approved_event_is_not_the_gates_business(sagemaker: Any, resources: LocalResources) -> None:
    arn = register(sagemaker, "good", seed.GOOD)
    result = send(state_change(arn, status="Approved")).payload
    assert "is not the gate's" in result["skipped"]
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_an_event_for_a_deleted_version_is_a_safe_no_op(sagemaker: Any, resources: LocalResources) -> None:
    missing = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/42"
    assert send(state_change(missing)).payload["skipped"] == "the version no longer exists"
    assert inbox(resources) == []


class SlowNotifier:
    """Holds the first decision inside its notification until the test lets it go."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.entered.set()
        self.release.wait(timeout=10)
        self.sent.append(notification)


def lambda_context(max_runtime_ms: int = 60_000) -> LambdaContext:
    return LambdaContext("gate", memory_size=128, max_runtime_ms=max_runtime_ms)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    monkeypatch.setattr("chalicelib.gate.once.count", lambda name, **dimensions: names.append(name))
    return names


def test_concurrent_duplicates_give_one_decision(sagemaker: Any, resources: LocalResources, counted: list[str]) -> None:
    notifier = SlowNotifier()
    gate = Container(settings=load_settings(), notifier=notifier)
    use_container(gate)
    arn = register(sagemaker, "good", seed.GOOD)
    results: list[GateResult] = []
    decide = gate.gate_once.decide
    first = threading.Thread(target=lambda: results.append(decide(arn, "PendingManualApproval", lambda_context())))
    first.start()
    assert notifier.entered.wait(timeout=10)
    # A duplicate while the first decides: a no-op, not a function error (that would trip the errors alarm).
    duplicate = decide(arn, "PendingManualApproval", lambda_context())
    assert duplicate == GateResult.skip(arn, DUPLICATE_IN_PROGRESS)
    assert counted == ["DuplicateInProgress"]
    notifier.release.set()
    first.join()
    retried = decide(arn, "PendingManualApproval", lambda_context())
    assert retried == results[0] and retried.outcome == "approve"
    assert len(notifier.sent) == 1


DYING_RUNTIME_MS = 8_000  # the dying first's time left: long enough for the duplicate on a busy machine


class Killed(BaseException):
    """The runtime ending an invocation (timeout, out of memory): no `except Exception` sees it."""


class DyingMetrics:
    """Reads metrics from S3, except that the first read kills its invocation."""

    def __init__(self, reader: Any) -> None:
        self.reader, self.died = reader, False

    def read(self, uri: str) -> bytes:
        if not self.died:
            self.died = True
            raise Killed
        data: bytes = self.reader.read(uri)
        return data


def test_a_first_delivery_that_dies_still_gets_its_decision(
    sagemaker: Any, resources: LocalResources, counted: list[str]
) -> None:
    notifier = SlowNotifier()
    notifier.release.set()
    metrics = DyingMetrics(Container(settings=load_settings()).metrics_reader)
    gate = Container(settings=load_settings(), notifier=notifier, metrics_reader=metrics)
    arn = register(sagemaker, "good", seed.GOOD)
    once = gate.gate_once
    dying = lambda_context(max_runtime_ms=DYING_RUNTIME_MS)
    deadline = time.monotonic() + DYING_RUNTIME_MS / 1000
    with pytest.raises(Killed):  # dies mid-decision: its lock stays, until its deadline
        once.decide(arn, "PendingManualApproval", dying)
    duplicate = gate.gate_once.decide(arn, "PendingManualApproval", lambda_context())
    assert duplicate.skipped == DUPLICATE_IN_PROGRESS and counted == ["DuplicateInProgress"]
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"
    # Lambda retries the first's own event only after its deadline (a minute after it died, in AWS).
    time.sleep(max(0.0, deadline - time.monotonic()) + 0.2)
    retried = gate.gate_once.decide(arn, "PendingManualApproval", lambda_context())
    assert retried.outcome == "approve" and retried.applied
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Approved"
    assert len(notifier.sent) == 1


def test_without_a_lambda_context_a_duplicate_in_progress_is_a_retryable_error(
    sagemaker: Any, resources: LocalResources
) -> None:
    notifier = SlowNotifier()
    gate = Container(settings=load_settings(), notifier=notifier)
    arn = register(sagemaker, "good", seed.GOOD)
    once = gate.gate_once  # built here: on a busy machine its clients take seconds
    first = threading.Thread(target=lambda: once.decide(arn, "PendingManualApproval"))
    first.start()
    assert notifier.entered.wait(timeout=30)
    with pytest.raises(DecisionInProgressError):  # no deadline frees the lock: nothing may be dropped
        once.decide(arn, "PendingManualApproval")
    notifier.release.set()
    first.join()
    assert len(notifier.sent) == 1


def test_slack_down_does_not_block_the_decision(
    sagemaker: Any, resources: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("secretsmanager").create_secret(Name="slack", SecretString='{"webhook_url": "http://127.0.0.1:9/x"}')
    monkeypatch.setenv("SHEPHERD_SLACK_SECRET", "slack")
    use_container(Container(settings=load_settings()))
    arn = register(sagemaker, "good", seed.GOOD)
    assert send(state_change(arn)).payload["outcome"] == "approve"
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Approved"
    assert [m["outcome"] for m in inbox(resources)] == ["approve"]  # SNS still told


def test_without_an_idempotency_table_the_gate_says_which_setting(
    sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHEPHERD_IDEMPOTENCY_TABLE")
    use_container(Container(settings=load_settings()))
    arn = register(sagemaker, "good", seed.GOOD)
    with pytest.raises(ConfigurationError, match="SHEPHERD_IDEMPOTENCY_TABLE"):
        send(state_change(arn))
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"
