"""`shepherd replay` against a dead-letter queue in moto: what is replayed goes, what fails again stays."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from shepherd_cli import exit_codes
from shepherd_cli.main import main
from shepherd_cli.redrive import LambdaInvoker, Options, redrive
from tests.support.dead_letters import destination_record, eventbridge_attributes, state_change
from tests.support.moto_helpers import docker_free_function

NO_WAIT = Options(wait_seconds=0)


@dataclass
class RecordingInvoker:
    fail_for: set[str] = field(default_factory=set)  # event ids whose replay fails again
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def invoke(self, function: str, payload: dict[str, Any]) -> str | None:
        self.calls.append((function, payload))
        return "Unhandled: still broken" if payload.get("id") in self.fail_for else None


@pytest.fixture
def sqs(aws: None) -> Any:
    return boto3.client("sqs")


@pytest.fixture
def dlq(sqs: Any) -> str:
    return str(sqs.create_queue(QueueName="model-shepherd-prod-dlq")["QueueUrl"])


def put(sqs: Any, queue: str, body: str, attributes: dict[str, Any] | None = None) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody=body, MessageAttributes=attributes or {})


def remaining(sqs: Any, queue: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def test_replays_each_event_to_the_function_that_failed_and_empties_the_queue(sqs: Any, dlq: str) -> None:
    put(sqs, dlq, destination_record(state_change("evt-1")))
    put(sqs, dlq, json.dumps(state_change("evt-2")), eventbridge_attributes("model-shepherd-prod-reconcile"))
    invoker = RecordingInvoker()
    outcomes = redrive(sqs, dlq, invoker, NO_WAIT)
    assert sorted(invoker.calls, key=lambda call: call[0]) == [
        ("model-shepherd-prod-gate", state_change("evt-1")),
        ("model-shepherd-prod-reconcile", state_change("evt-2")),
    ]
    assert {outcome.status for outcome in outcomes} == {"replayed"}
    assert remaining(sqs, dlq) == 0


def test_an_event_that_fails_again_stays_in_the_queue_visible(sqs: Any, dlq: str) -> None:
    put(sqs, dlq, destination_record(state_change("evt-bad")))
    put(sqs, dlq, destination_record(state_change("evt-ok")))
    outcomes = redrive(sqs, dlq, RecordingInvoker(fail_for={"evt-bad"}), NO_WAIT)
    assert sorted(outcome.status for outcome in outcomes) == ["failed", "replayed"]
    assert remaining(sqs, dlq) == 1  # visible at once: the next replay (and the alarm) see it


def test_copies_of_one_event_are_replayed_once_and_all_removed(sqs: Any, dlq: str) -> None:
    put(sqs, dlq, destination_record(state_change("evt-1")))
    put(sqs, dlq, destination_record(state_change("evt-1")))
    invoker = RecordingInvoker()
    outcomes = redrive(sqs, dlq, invoker, NO_WAIT)
    assert len(invoker.calls) == 1
    assert sorted(outcome.status for outcome in outcomes) == ["duplicate", "replayed"]
    assert remaining(sqs, dlq) == 0


def test_a_malformed_message_is_kept_and_reported_never_invoked(sqs: Any, dlq: str) -> None:
    put(sqs, dlq, "{not json")
    invoker = RecordingInvoker()
    (outcome,) = redrive(sqs, dlq, invoker, NO_WAIT)
    assert (outcome.status, outcome.detail) == ("kept", "the body is not JSON")
    assert invoker.calls == []
    assert remaining(sqs, dlq) == 1


def test_dry_run_and_function_filter_change_nothing(sqs: Any, dlq: str) -> None:
    put(sqs, dlq, destination_record(state_change("evt-1")))
    put(sqs, dlq, destination_record(state_change("evt-2"), function="model-shepherd-prod-reconcile"))
    invoker = RecordingInvoker()
    outcomes = redrive(sqs, dlq, invoker, Options(dry_run=True, wait_seconds=0))
    assert sorted(o.status for o in outcomes) == ["would replay", "would replay"]
    only_gate = Options(function="model-shepherd-prod-gate", wait_seconds=0)
    assert sorted(o.status for o in redrive(sqs, dlq, invoker, only_gate)) == ["replayed", "skipped"]
    assert invoker.calls == [("model-shepherd-prod-gate", state_change("evt-1"))]
    assert remaining(sqs, dlq) == 1


@pytest.fixture
def lambda_stub() -> Iterator[Any]:
    with docker_free_function("model-shepherd-prod-gate"):
        yield boto3.client("lambda")


def test_the_command_invokes_the_deployed_function_by_queue_name(lambda_stub: Any, capsys: Any) -> None:
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="model-shepherd-prod-dlq")["QueueUrl"]
    put(sqs, queue, destination_record(state_change("evt-1")))
    code = main(["replay", "--queue", "model-shepherd-prod-dlq", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == exit_codes.OK
    (message,) = report["messages"]
    assert (message["function"], message["status"]) == ("model-shepherd-prod-gate", "replayed")
    assert remaining(sqs, queue) == 0


def test_a_missing_function_or_throttling_past_retries_is_reported_not_raised() -> None:
    from botocore.exceptions import ClientError

    class Client:
        def invoke(self, **kwargs: Any) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}}, "Invoke")

    assert LambdaInvoker(Client()).invoke("f", {}) == "TooManyRequestsException: Rate exceeded"


def test_a_function_error_is_reported_with_its_message() -> None:
    class Client:
        def invoke(self, **kwargs: Any) -> dict[str, Any]:
            body = json.dumps({"errorMessage": "policy schema invalid", "errorType": "InvalidPolicyError"})
            return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": io.BytesIO(body.encode())}

    assert LambdaInvoker(Client()).invoke("f", {}) == "Unhandled: policy schema invalid"


def test_without_a_queue_the_command_names_the_setting(aws: None, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.delenv("SHEPHERD_DLQ_URL", raising=False)
    assert main(["replay"]) == exit_codes.ENVIRONMENT
    assert "SHEPHERD_DLQ_URL" in capsys.readouterr().err


def test_an_unknown_queue_is_a_clear_error(aws: None, capsys: Any) -> None:
    assert main(["replay", "--queue", "no-such-queue"]) == exit_codes.ENVIRONMENT
    assert "no-such-queue" in capsys.readouterr().err


def test_the_command_exits_failed_and_says_what_is_left(sqs: Any, dlq: str, capsys: Any) -> None:
    from shepherd_cli.commands.replay import run
    from shepherd_cli.main import build_parser

    put(sqs, dlq, destination_record(state_change("evt-bad")))
    args = build_parser().parse_args(["replay", "--queue", dlq])
    assert run(args, sqs=sqs, invoker=RecordingInvoker(fail_for={"evt-bad"})) == exit_codes.FAILED
    out = capsys.readouterr().out
    assert "Unhandled: still broken" in out
    assert "1 left in the queue, 0 removed" in out
