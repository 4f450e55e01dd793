"""Manual promotion end to end in process: moto's SageMaker, the fake Slack, clicks through POST /slack/actions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.test import Client

from app import app
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from tests.support import release as r
from tests.support.policies import MANUAL_PROMOTION, policies_with_release, policies_with_slack
from tests.support.slack_app import app_with_slack

APPROVER, OTHER_APPROVER, STRANGER = "U024BE7LH", "U0G9QF9C6", "U0EVE001"
FOUR_EYES = pytest.mark.parametrize("world", [{"required_approvals": 2}], indirect=True)


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Any:
    """`request.param` (indirect): changes to the example policy's slack section."""
    policies = policies_with_release(tmp_path / "policies", promotion=MANUAL_PROMOTION)
    policies_with_slack(policies, **getattr(request, "param", {}))
    slack = FakeSlack().start()
    container = app_with_slack(resources, slack, policies, monkeypatch)
    clock = r.release_world(container)
    yield slack, clock, container
    slack.stop()


def awaiting_promotion(slack: FakeSlack, clock: r.Clock) -> tuple[str, dict[str, Any]]:
    arn = r.register_approved("v1")
    r.decided(arn, "Approved")
    clock.advance(minutes=8)
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["stage"] == "AWAITING_PROMOTION"
    message = next(m for m in slack.messages if "awaits promotion" in m.get("text", ""))
    return arn, copy.deepcopy(message)


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


def production_exists() -> bool:
    names = [e["EndpointName"] for e in boto3.client("sagemaker").list_endpoints()["Endpoints"]]
    return r.PRODUCTION in names


def test_promote_from_slack_sends_the_release_to_production_and_the_history_says_who(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    assert not production_exists()
    clock.advance(hours=2)
    assert post(*slack.signed_click(message, "shepherd_promote", APPROVER, user_name="jane")).status_code == 200
    assert production_exists()
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "PROMOTED"] == [
        "by slack:jane (U024BE7LH): Promote clicked in Slack by jane (U024BE7LH)"
    ]
    replaced = next(m for m in slack.messages if m["ts"] == message["ts"])  # the click's reply replaced it
    assert "*Promoted fraud-detection-models v1* by <@U024BE7LH> (jane)" in str(replaced["blocks"])
    assert all(block["type"] != "actions" for block in replaced["blocks"])


def test_stop_from_slack_ends_it_and_production_is_never_created(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    post(*slack.signed_click(message, "shepherd_stop", APPROVER, user_name="jane"))
    assert container.release_store.load(r.GROUP).release.stage.value == "AWAITING_PROMOTION"  # asked why
    post(*slack.signed_submission("", user_name="jane"))  # an empty reason: refused in the modal
    assert container.release_store.load(r.GROUP).release.stage.value == "AWAITING_PROMOTION"
    post(*slack.signed_submission("trained on the wrong window", user_name="jane"))
    assert container.release_store.load(r.GROUP).release.stage.value == "STOPPED"
    assert not production_exists()
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "STOPPED"] == [
        "stopped by slack:jane (U024BE7LH): trained on the wrong window"
    ]


def test_a_stranger_cannot_promote(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    post(*slack.signed_click(message, "shepherd_promote", STRANGER))
    assert container.release_store.load(r.GROUP).release.stage.value == "AWAITING_PROMOTION"
    assert "is not an approver" in slack.ephemerals()[-1].body["text"]


def test_promotion_after_the_candidate_was_rejected_is_refused(world: Any) -> None:
    slack, clock, container = world
    arn, message = awaiting_promotion(slack, clock)
    r.set_status(arn, "Rejected")
    r.decided(arn, "Rejected")
    post(*slack.signed_click(message, "shepherd_promote", APPROVER))
    assert "Not promoted" in slack.ephemerals()[-1].body["text"]
    assert container.release_store.load(r.GROUP).release.stage.value == "FAILED"
    assert not production_exists()


def test_the_reconciler_reminds_then_expires_and_a_late_click_is_refused(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    clock.advance(hours=25)
    r.reconcile()
    assert "Reminder" in slack.messages[-1]["text"]
    clock.advance(hours=48)
    r.reconcile()
    assert container.release_store.load(r.GROUP).release.stage.value == "EXPIRED"
    post(*slack.signed_click(message, "shepherd_promote", APPROVER))
    assert "Not promoted" in slack.ephemerals()[-1].body["text"]
    assert not production_exists()


def promote(slack: FakeSlack, message: dict[str, Any], user: str, name: str) -> Any:
    return post(*slack.signed_click(message, "shepherd_promote", user, user_name=name))


@FOUR_EYES
def test_a_promotion_needing_two_waits_for_the_second_distinct_approver(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    promote(slack, message, APPROVER, "jane")
    promote(slack, message, APPROVER, "jane")  # the same person again: still one
    assert container.release_store.load(r.GROUP).release.stage.value == "AWAITING_PROMOTION"
    assert not production_exists()
    shown = next(m for m in slack.messages if m["ts"] == message["ts"])
    assert "Promoted so far (1 of 2): jane (U024BE7LH). 1 more promotion needed." in str(shown["blocks"])
    promote(slack, message, OTHER_APPROVER, "bob")
    assert production_exists()
    rows = container.release_store.history(r.GROUP)
    assert [row.reason for row in rows if row.outcome == "PROMOTED"] == [
        "by slack:bob (U0G9QF9C6): 2 approvals: bob (U0G9QF9C6), jane (U024BE7LH)"
    ]


@FOUR_EYES
def test_the_candidate_rejected_between_two_approvals_is_never_promoted(world: Any) -> None:
    slack, clock, container = world
    arn, message = awaiting_promotion(slack, clock)
    promote(slack, message, APPROVER, "jane")
    r.set_status(arn, "Rejected")  # in the console, while the second approver is on the way (its event not yet in)
    promote(slack, message, OTHER_APPROVER, "bob")
    assert "Not promoted" in slack.ephemerals()[-1].body["text"]
    assert container.release_store.load(r.GROUP).release.stage.value == "FAILED"
    assert not production_exists()


@FOUR_EYES
def test_a_promotion_expired_between_two_approvals_is_refused(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    promote(slack, message, APPROVER, "jane")
    clock.advance(hours=73)  # past expires_hours, before the reconciler has looked
    promote(slack, message, OTHER_APPROVER, "bob")
    assert "Not promoted" in slack.ephemerals()[-1].body["text"]
    assert container.release_store.load(r.GROUP).release.stage.value == "EXPIRED"
    assert not production_exists()


@FOUR_EYES
def test_one_stop_after_an_approval_ends_the_promotion(world: Any) -> None:
    slack, clock, container = world
    _, message = awaiting_promotion(slack, clock)
    promote(slack, message, APPROVER, "jane")
    post(*slack.signed_click(message, "shepherd_stop", OTHER_APPROVER, user_name="bob"))
    post(*slack.signed_submission("wrong training window", user_name="bob"))
    assert container.release_store.load(r.GROUP).release.stage.value == "STOPPED"
    promote(slack, message, STRANGER, "eve")
    promote(slack, message, OTHER_APPROVER, "bob")
    assert not production_exists()
