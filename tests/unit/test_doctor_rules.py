"""Which function a rule starts, and which rule is named for a handler, as the doctor reads them."""

from __future__ import annotations

import pytest

from shepherd_cli.doctor.event_sources import EventSource, event_sources, target_name
from shepherd_cli.doctor.rules import check_source, named_for

PREFIX = "model-shepherd-prod-"


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        ("arn:aws:lambda:eu-west-1:123456789012:function:model-shepherd-prod-gate", "model-shepherd-prod-gate"),
        ("arn:aws:lambda:eu-west-1:123456789012:function:model-shepherd-prod-gate:live", "model-shepherd-prod-gate"),
        ("arn:aws:sqs:us-east-1:123456789012:model-shepherd-local-gate", "model-shepherd-local-gate"),
        ("arn:aws:sns:us-east-1:123456789012:a-topic", "arn:aws:sns:us-east-1:123456789012:a-topic"),
    ],
)
def test_a_target_arn_names_its_function(arn: str, name: str) -> None:
    assert target_name(arn) == name


def test_a_cloudformation_named_rule_is_named_for_its_handler() -> None:
    rule = {"Name": f"{PREFIX}ReleaseReconcileReleaseReconcileEvent-1A2B3C4D"}
    assert named_for(rule, "release_reconcile", PREFIX)
    assert not named_for(rule, "release_decided", PREFIX)
    assert named_for({"Name": f"{PREFIX}gate"}, "gate", PREFIX)


def test_a_cloudformation_named_rule_targeting_its_function_passes() -> None:
    [gate] = [source for source in event_sources() if source.handler == "gate"]
    rule = {"Name": f"{PREFIX}GateGateEvent-9Z8Y", "State": "ENABLED", "EventPattern": gate.pattern}
    check = check_source(gate, PREFIX, [rule], {rule["Name"]: [f"{PREFIX}gate"]})
    assert (check.status, check.reason) == ("ok", f"rule {rule['Name']} is enabled and starts {PREFIX}gate")


def test_every_event_and_schedule_handler_of_the_app_is_a_source() -> None:
    sources = {source.handler: source for source in event_sources()}
    assert set(sources) == {
        "gate",
        "release_decided",
        "release_endpoint",
        "release_alarm",
        "release_reconcile",
        "cleanup",
    }
    assert sources["release_reconcile"] == EventSource("release_reconcile", schedule="rate(5 minutes)")
    assert sources["gate"].pattern.startswith("{")
