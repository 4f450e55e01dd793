"""The relay: the app's own patterns as EventBridge rules, events to handlers, retries, schedules."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any

import boto3
import pytest
from chalice.app import Chalice, CloudWatchEvent, Rate

from app import app as shepherd_app
from chalicelib.adapters.aws import make_client
from devstack import seed
from devstack.moto_ext import install
from devstack.relay.dispatcher import QueueDispatcher
from devstack.relay.invoker import Invocation, LambdaInvoker
from devstack.relay.relay import Relay
from devstack.relay.schedule import Scheduler
from devstack.relay.wiring import MAX_RECEIVES, routes, wire

pytestmark = pytest.mark.usefixtures("aws")
APPROVED = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Model Package State Change"],
    "detail": {"ModelApprovalStatus": ["Approved"]},
}


def toy_app(seen: list[tuple[str, Any]]) -> Chalice:
    toy = Chalice(app_name="toy")

    @toy.on_cw_event(APPROVED, name="on_approved")
    def on_approved(event: CloudWatchEvent) -> str:
        seen.append((str(getattr(event.context, "function_name", "")), event.detail["ModelPackageArn"]))
        return "done"

    @toy.on_cw_event({"source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"]}, name="broken")
    def broken(event: CloudWatchEvent) -> None:
        raise RuntimeError("handler bug")

    @toy.schedule(Rate(1, unit=Rate.HOURS), name="hourly")
    def hourly(event: Any) -> None:
        seen.append(("hourly", event.to_dict()))

    return toy


def registered_and_approved() -> str:
    install()
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arn = seed.register_version(sagemaker, None, "v1")
    sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    return arn


def test_every_event_source_of_the_app_is_found() -> None:
    events, schedules = routes(toy_app([]))
    assert {route.handler: dict(route.pattern) for route in events}["on_approved"] == APPROVED
    assert [(s.handler, s.expression) for s in schedules] == [("hourly", "rate(1 hour)")]


def test_the_deployed_app_rules_carry_its_handler_patterns() -> None:
    wired = wire(boto3.client("events"), boto3.client("sqs"), "local", shepherd_app)
    patterns = {
        source.name: source.event_pattern for source in shepherd_app.event_sources if hasattr(source, "event_pattern")
    }  # schedules have none: they fire on their rates
    for name, pattern in patterns.items():
        rule = boto3.client("events").describe_rule(Name=f"local-{name}")
        assert json.loads(rule["EventPattern"]) == pattern
    schedules = {handler for handler in wired.schedule_rules}
    assert set(wired.queues) == set(patterns) | schedules  # every rule targets its handler's queue
    assert "gate" in patterns and "release_reconcile" in schedules


def test_every_rule_schedules_included_targets_its_handlers_queue_as_a_deployed_rule_its_function() -> None:
    events, sqs = boto3.client("events"), boto3.client("sqs")
    wired = wire(events, sqs, "local", shepherd_app)
    for handler, url in wired.queues.items():
        [target] = events.list_targets_by_rule(Rule=f"local-{handler}")["Targets"]
        assert (
            target["Arn"]
            == sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        )
    schedule = events.describe_rule(Name="local-release_reconcile")
    assert schedule["ScheduleExpression"] and schedule["Arn"] == wired.schedule_rules["release_reconcile"]


def test_matching_event_reaches_its_handler_with_a_lambda_context() -> None:
    seen: list[tuple[str, Any]] = []
    toy = toy_app(seen)
    wired = wire(boto3.client("events"), boto3.client("sqs"), "local", toy)
    dispatcher = QueueDispatcher(boto3.client("sqs"), wired.queues, LambdaInvoker(toy).invoke, wait_seconds=0)
    arn = registered_and_approved()
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 1  # Pending did not match
    assert seen == [("on_approved", arn)]
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 0  # delivered once, deleted


def test_the_duplicating_relay_delivers_every_event_twice_then_deletes_it() -> None:
    seen: list[tuple[str, Any]] = []
    toy = toy_app(seen)
    wired = wire(boto3.client("events"), boto3.client("sqs"), "local", toy)
    sqs = boto3.client("sqs")
    dispatcher = QueueDispatcher(sqs, wired.queues, LambdaInvoker(toy).invoke, wait_seconds=0, duplicate=True)
    arn = registered_and_approved()
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 1
    assert seen == [("on_approved", arn), ("on_approved", arn)]
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 0


def test_failing_handler_is_retried_then_dead_lettered() -> None:
    failures: list[Invocation] = []
    toy = toy_app([])
    sqs = boto3.client("sqs")
    wired = wire(boto3.client("events"), sqs, "local", toy)
    sqs.set_queue_attributes(QueueUrl=wired.queues["broken"], Attributes={"VisibilityTimeout": "0"})
    dispatcher = QueueDispatcher(sqs, wired.queues, LambdaInvoker(toy, observers=[failures.append]).invoke, 0)
    boto3.client("events").put_events(
        Entries=[{"Source": "aws.sagemaker", "DetailType": "SageMaker Endpoint State Change", "Detail": "{}"}]
    )
    for _ in range(MAX_RECEIVES + 1):
        dispatcher.poll_once("broken", wired.queues["broken"])
    assert len(failures) == MAX_RECEIVES
    assert "RuntimeError: handler bug" in (failures[0].error or "")
    kept = sqs.receive_message(QueueUrl=wired.dead_letters["broken"]).get("Messages", [])
    assert json.loads(kept[0]["Body"])["detail-type"] == "SageMaker Endpoint State Change"


def test_malformed_event_to_the_gate_is_a_failed_invocation(container: Any) -> None:
    calls: list[Invocation] = []
    event = {
        "version": "0",
        "id": "1",
        "source": "aws.sagemaker",
        "detail-type": "x",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"nonsense": True},
    }
    invocation = LambdaInvoker(shepherd_app, observers=[calls.append]).invoke("gate", event)
    assert "MalformedEventError" in (invocation.error or "")
    assert calls == [invocation]


def test_schedule_fires_on_its_rate_scaled_by_the_clock_speed() -> None:
    seen: list[tuple[str, Any]] = []
    toy = toy_app(seen)
    now = [1000.0]
    fired: list[tuple[str, Mapping[str, Any]]] = []

    def invoke(handler: str, event: Mapping[str, Any]) -> Invocation:
        fired.append((handler, event))
        return LambdaInvoker(toy).invoke(handler, event)

    scheduler = Scheduler(routes(toy)[1], {"hourly": "arn:rule"}, invoke, speed=3600, clock=lambda: now[0])
    assert scheduler.tick() == []
    now[0] += 1.0  # one hour at 3600x
    assert scheduler.tick() == ["hourly"]
    assert scheduler.tick() == []
    assert seen[0][0] == "hourly"
    assert fired[0][1]["detail-type"] == "Scheduled Event"
    assert fired[0][1]["resources"] == ["arn:rule"]


def test_relay_threads_deliver_without_being_asked() -> None:
    seen: list[tuple[str, Any]] = []
    relay = Relay(toy_app(seen), make_client, LambdaInvoker(toy_app(seen)), prefix="local")
    relay.start()
    try:
        arn = registered_and_approved()
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == [("on_approved", arn)]
        assert relay.alive()
    finally:
        relay.stop()


def test_a_due_schedule_reaches_its_handler_through_its_rules_target() -> None:
    seen: list[tuple[str, Any]] = []
    toy = toy_app(seen)
    relay = Relay(toy, make_client, LambdaInvoker(toy), prefix="local", speed=3600 * 10)  # hourly: every 0.1 s
    relay.start()
    try:
        deadline = time.monotonic() + 10
        while not any(name == "hourly" for name, _ in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        relay.stop()
    fired = [event for name, event in seen if name == "hourly"]
    assert fired and fired[0]["detail-type"] == "Scheduled Event"
    assert fired[0]["resources"] == [boto3.client("events").describe_rule(Name="local-hourly")["Arn"]]


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ({"detail": {"ModelPackageGroupName": [{"prefix": "fraud-"}]}}, True),
        ({"detail": {"ModelPackageVersion": [{"numeric": [">=", 1, "<", 2]}]}}, True),
        ({"detail": {"ModelApprovalStatus": [{"anything-but": ["Rejected"]}]}}, True),
        ({"detail": {"ApprovalDescription": [{"exists": False}]}}, True),
        ({"detail": {"ModelPackageGroupName": [{"equals-ignore-case": "FRAUD-DETECTION-MODELS"}]}}, True),
        ({"detail": {"ModelApprovalStatus": [{"anything-but": {"prefix": "Pending"}}]}}, False),
        ({"$or": [{"detail": {"ModelPackageVersion": [2]}}, {"source": ["aws.sagemaker"]}]}, True),
    ],
)
def test_moto_eventbridge_matches_the_pattern_features_a_handler_may_use(
    pattern: dict[str, Any], matches: bool
) -> None:
    """Checked so the relay needs no matcher of its own: moto applies these as EventBridge does."""
    events, sqs = boto3.client("events"), boto3.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["aws.sagemaker"], **pattern}))
    events.put_targets(Rule="r", Targets=[{"Id": "q", "Arn": arn}])
    install()
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    seed.register_version(sagemaker, None, "v1")
    assert bool(sqs.receive_message(QueueUrl=url).get("Messages")) is matches


def blocking_app(started: threading.Event, release: threading.Event, seen: list[str]) -> Chalice:
    toy = Chalice(app_name="toy")

    @toy.on_cw_event(APPROVED, name="on_approved")
    def on_approved(event: CloudWatchEvent) -> None:
        started.set()
        release.wait(10)
        seen.append(event.detail["ModelPackageArn"])

    return toy


def approve_three() -> list[str]:
    install()
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arns = [seed.register_version(sagemaker, None, f"v{n}") for n in range(3)]
    for arn in arns:
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    return arns


def test_stop_finishes_the_event_in_hand_and_gives_the_others_back_to_the_queue() -> None:
    started, release, seen = threading.Event(), threading.Event(), list[str]()
    toy = blocking_app(started, release, seen)
    sqs = boto3.client("sqs")
    wired = wire(boto3.client("events"), sqs, "local", toy)
    dispatcher = QueueDispatcher(sqs, wired.queues, LambdaInvoker(toy).invoke, wait_seconds=0, workers=1)
    arns = approve_three()
    dispatcher.start()
    assert started.wait(10)
    stopping = threading.Thread(target=dispatcher.stop)
    stopping.start()
    time.sleep(0.2)
    release.set()
    stopping.join(10)
    assert seen == arns[:1]  # one group: the first in hand finished, the others waited behind it
    back = sqs.receive_message(QueueUrl=wired.queues["on_approved"], MaxNumberOfMessages=10)["Messages"]
    assert sorted(json.loads(m["Body"])["detail"]["ModelPackageArn"] for m in back) == sorted(arns[1:])


def test_events_waiting_for_a_worker_stay_invisible_and_out_of_the_dead_letters() -> None:
    started, release, seen = threading.Event(), threading.Event(), list[str]()
    toy = blocking_app(started, release, seen)
    sqs = boto3.client("sqs")
    wired = wire(boto3.client("events"), sqs, "local", toy)
    sqs.set_queue_attributes(QueueUrl=wired.queues["on_approved"], Attributes={"VisibilityTimeout": "0"})
    dispatcher = QueueDispatcher(sqs, wired.queues, LambdaInvoker(toy).invoke, wait_seconds=0, workers=1)
    arns = approve_three()
    dispatcher.start()
    try:
        assert started.wait(10)
        time.sleep(0.5)  # many polls meanwhile, with a queue timeout of 0: nothing is received twice
        release.set()
        deadline = time.monotonic() + 10
        while len(seen) < len(arns) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        dispatcher.stop()
    assert seen == arns
    assert sqs.receive_message(QueueUrl=wired.dead_letters["on_approved"]).get("Messages", []) == []


def test_an_observer_that_fails_leaves_the_event_to_be_retried_and_the_relay_alive() -> None:
    seen: list[tuple[str, Any]] = []
    toy = toy_app(seen)
    sqs = boto3.client("sqs")
    wired = wire(boto3.client("events"), sqs, "local", toy)
    sqs.set_queue_attributes(QueueUrl=wired.queues["on_approved"], Attributes={"VisibilityTimeout": "0"})
    calls: list[Invocation] = []

    def flaky(invocation: Invocation) -> None:
        calls.append(invocation)
        if len(calls) == 1:
            raise OSError("the terminal went away")

    dispatcher = QueueDispatcher(sqs, wired.queues, LambdaInvoker(toy, observers=[flaky]).invoke, wait_seconds=0)
    arn = registered_and_approved()
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 1  # the observer failed
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 1  # so it came back
    assert dispatcher.poll_once("on_approved", wired.queues["on_approved"]) == 0  # handled, deleted
    assert seen == [("on_approved", arn), ("on_approved", arn)]
    dispatcher.stop()
