"""Review expiry end to end in process: the gate sends a version to review, the reconciler's clock runs out.

moto's SageMaker and DynamoDB, the fake Slack, clicks through POST /slack/actions, ticks through the
scheduled reconciler's handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container
from chalicelib.shared.model_version import ModelVersion
from chalicelib.slack.claim import Claim, decision_key
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from tests.functional.test_slack_actions_route import review
from tests.support import release as r
from tests.support.policies import policies_with_slack
from tests.support.slack_app import app_with_slack

APPROVER = "U024BE7LH"


@dataclass
class World:
    slack: FakeSlack
    clock: r.Clock
    container: Container

    def status(self, arn: str) -> str:
        found: str = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"]
        return found

    def description(self, arn: str) -> str:
        package = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)
        return str(package.get("ApprovalDescription", ""))

    def rows(self, outcome: str) -> list[str]:
        return [row.reason for row in self.container.release_store.history(r.GROUP) if row.outcome == outcome]

    def texts(self) -> list[str]:
        return [str(message.get("text", "")) for message in self.slack.messages]


def make_world(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **slack: Any) -> World:
    fake = FakeSlack().start()
    container = app_with_slack(resources, fake, policies_with_slack(tmp_path / "policies", **slack), monkeypatch)
    clock = r.Clock(datetime.now(UTC))
    container.release_deps.clock = clock
    container.gate_deps.clock = clock
    return World(fake, clock, container)


@pytest.fixture
def world(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    made = make_world(resources, tmp_path, monkeypatch, review_expires_days=2)
    yield made
    made.slack.stop()


def in_review(world: World) -> tuple[str, dict[str, Any]]:
    """A champion the gate approves, then a borderline version it sends to people: (arn, the review message)."""
    arn, message = review(world.slack)
    assert world.status(arn) == "PendingManualApproval"
    return arn, message


def reviews(result: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = result.get("groups", {}).get(r.GROUP, {}).get("reviews", [])
    return found


def test_a_reminder_once_at_half_time_then_rejected_at_expiry(world: World) -> None:
    arn, _ = in_review(world)
    world.clock.advance(hours=23)
    assert reviews(r.reconcile()) == []  # not yet half-time: the group is not even looked at
    world.clock.advance(hours=2)
    assert reviews(r.reconcile()) == [{"version": 2, "step": "remind", "outcome": "done"}]
    assert reviews(r.reconcile()) == []  # a replayed tick: reminded once
    assert sum("Reminder" in text for text in world.texts()) == 1
    world.clock.advance(hours=24)
    assert reviews(r.reconcile()) == [{"version": 2, "step": "expire", "outcome": "done"}]
    assert world.status(arn) == "Rejected"
    assert "review expired: nobody decided within 2 days" in world.description(arn)
    assert reviews(r.reconcile()) == []  # replayed: rejected once
    assert world.rows("REVIEW_REMINDED") == ["half-time reminder"]
    assert world.rows("REVIEW_EXPIRED") == ["review expired: nobody decided within 2 days"]
    assert sum("review expired" in text for text in world.texts()) == 1


def test_a_late_click_after_the_expiry_is_told_who_decided(world: World) -> None:
    arn, message = in_review(world)
    world.clock.advance(days=3)
    r.reconcile()
    with Client(app) as client:
        client.http.post("/slack/actions", **_request(*world.slack.signed_click(message, "shepherd_approve", APPROVER)))
    assert world.status(arn) == "Rejected"
    assert "already rejected by model-shepherd (review expired)" in world.slack.ephemerals()[-1].body["text"]


def test_a_click_that_lands_first_wins(world: World) -> None:
    arn, message = in_review(world)
    world.clock.advance(hours=30)
    with Client(app) as client:
        client.http.post("/slack/actions", **_request(*world.slack.signed_click(message, "shepherd_approve", APPROVER)))
    assert world.status(arn) == "Approved"
    assert reviews(r.reconcile()) == [{"version": 2, "step": "remind", "outcome": "decided"}]
    world.clock.advance(days=3)
    assert reviews(r.reconcile()) == []  # the review was dropped: nothing left to expire
    assert world.status(arn) == "Approved"
    assert not any("Reminder" in text or "review expired" in text for text in world.texts())


@pytest.mark.parametrize("status", ["Approved", "Rejected"])
def test_a_decided_version_stops_waiting_at_its_event_not_at_half_time(
    world: World, status: Literal["Approved", "Rejected"]
) -> None:
    arn, _ = in_review(world)
    boto3.client("sagemaker").update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)  # the console
    assert [review.arn for review in world.container.release_store.load(r.GROUP).reviews] == [arn]
    r.decided(arn, status)  # its state-change event
    assert world.container.release_store.load(r.GROUP).reviews == ()  # /shepherd pending no longer lists it
    r.decided(arn, status)  # a duplicate event: nothing left to drop, no error


def test_an_expiry_meeting_a_click_in_flight_leaves_the_click_to_decide(world: World) -> None:
    arn, _ = in_review(world)
    world.clock.advance(days=3)
    in_flight = Claim(decision_key(arn), "click-1", "jane (U024BE7LH)", "Approved", world.clock.now.timestamp())
    assert world.container.decision_locks.claim(in_flight) is None  # the click holds the lock, not done yet
    assert reviews(r.reconcile()) == [{"version": 2, "step": "expire", "outcome": "deciding"}]
    assert world.status(arn) == "PendingManualApproval"
    r.set_status(arn, "Approved")  # the click finishes
    world.container.decision_locks.confirm(in_flight)
    assert reviews(r.reconcile()) == [{"version": 2, "step": "expire", "outcome": "decided"}]
    assert world.status(arn) == "Approved"
    assert world.rows("REVIEW_EXPIRED") == []


class DecidedMeanwhile:
    """The registry as the expiry sees it when a click decides between its first look and its lock."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._reads = 0

    def get_version(self, arn: str) -> ModelVersion:
        self._reads += 1
        if self._reads == 2:
            r.set_status(arn, "Approved")
        version: ModelVersion = self._inner.get_version(arn)
        return version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_click_deciding_between_the_expirys_look_and_its_lock_wins(world: World) -> None:
    arn, _ = in_review(world)
    world.clock.advance(days=3)
    world.container.review_deps.registry = DecidedMeanwhile(world.container.registry)
    assert reviews(r.reconcile()) == [{"version": 2, "step": "expire", "outcome": "decided"}]
    assert world.status(arn) == "Approved"
    free = Claim(decision_key(arn), "click-2", "jane (U024BE7LH)", "Approved", world.clock.now.timestamp())
    assert world.container.decision_locks.claim(free) is None  # the expiry let its lock go


def test_kept_on_expiry_it_stays_pending_with_a_last_reminder(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(resources, tmp_path, monkeypatch, review_expires_days=2, on_expiry="keep")
    try:
        arn, _ = in_review(world)
        world.clock.advance(days=1, minutes=1)
        r.reconcile()
        world.clock.advance(days=1)
        assert reviews(r.reconcile()) == [{"version": 2, "step": "last_reminder", "outcome": "done"}]
        assert reviews(r.reconcile()) == []
        assert world.status(arn) == "PendingManualApproval"
        assert sum("Last reminder" in text for text in world.texts()) == 1
        assert world.rows("REVIEW_KEPT") == ["expired, kept Pending: last reminder"]
        world.clock.advance(days=1)
        assert reviews(r.reconcile()) == [{"version": 2, "step": "recheck", "outcome": "done"}]  # quietly
        assert sum("Last reminder" in text for text in world.texts()) == 1
    finally:
        world.slack.stop()


def _request(body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    return {"body": body, "headers": headers}
