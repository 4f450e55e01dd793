"""Reading dead-letter messages: which function, which event, why; and what cannot be replayed."""

from __future__ import annotations

import json

from shepherd_cli.dead_letters import function_name, parse
from tests.support.dead_letters import destination_record, eventbridge_attributes, state_change


def message(body: str, attributes: dict[str, object] | None = None) -> dict[str, object]:
    return {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body, "MessageAttributes": attributes or {}}


def test_reads_the_function_and_full_event_from_a_lambda_failure_record() -> None:
    letter = parse(message(destination_record(state_change())))
    assert letter.function == "model-shepherd-prod-gate"
    assert letter.payload == state_change()
    assert letter.reason == "RetriesExhausted: Rate exceeded"
    assert letter.problem is None


def test_reads_the_target_and_event_from_an_eventbridge_dead_letter() -> None:
    letter = parse(message(json.dumps(state_change()), eventbridge_attributes("model-shepherd-prod-reconcile")))
    assert letter.function == "model-shepherd-prod-reconcile"
    assert letter.payload == state_change()
    assert "Lambda.TooManyRequestsException" in letter.reason
    assert letter.problem is None


def test_a_body_that_is_not_json_is_kept_with_a_reason() -> None:
    letter = parse(message("{truncated"))
    assert letter.problem == "the body is not JSON"
    assert letter.function is None


def test_an_unknown_shape_is_kept_with_a_reason() -> None:
    assert parse(message(json.dumps({"hello": "world"}))).problem is not None
    assert parse(message(json.dumps([1, 2]))).problem == "the body is not a JSON object"


def test_a_record_whose_event_is_not_an_object_cannot_be_replayed() -> None:
    body = json.loads(destination_record(state_change()))
    body["requestPayload"] = "not an event"
    assert parse(message(json.dumps(body))).problem == "the event is missing or not a JSON object"


def test_a_target_that_is_not_a_lambda_function_cannot_be_replayed() -> None:
    attributes = eventbridge_attributes()
    attributes["TARGET_ARN"] = {"DataType": "String", "StringValue": "arn:aws:sqs:us-east-1:123456789012:q"}
    assert parse(message(json.dumps(state_change()), attributes)).problem is not None


def test_function_names_drop_the_qualifier() -> None:
    assert function_name("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST") == "f"
    assert function_name("arn:aws:lambda:us-east-1:123456789012:function:f") == "f"
    assert function_name("arn:aws:sqs:us-east-1:123456789012:f") is None
    assert function_name("") is None


def test_copies_of_one_event_share_a_replay_key_and_other_events_do_not() -> None:
    first = parse(message(destination_record(state_change("evt-1"))))
    copy = parse(message(json.dumps(state_change("evt-1")), eventbridge_attributes()))
    other = parse(message(destination_record(state_change("evt-2"))))
    elsewhere = parse(message(destination_record(state_change("evt-1"), function="model-shepherd-prod-other")))
    assert first.replay_key == copy.replay_key
    assert len({first.replay_key, other.replay_key, elsewhere.replay_key}) == 3
