"""The click service with in-memory fakes: verified, authorised, once only, and never a 500.

`World.post` goes through the route's handler (status and body); `World.click` calls the service itself.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import parse_qs

import pytest
from botocore.exceptions import ClientError

from chalicelib import handlers
from chalicelib.bootstrap import Container, use_container
from chalicelib.release.messages import retry_button
from chalicelib.shared.errors import (
    ConfigurationError,
    InvalidSignatureError,
    MalformedActionError,
    RecoveryRefusedError,
    RollbackError,
)
from chalicelib.shared.model_version import APPROVED, REJECTED
from chalicelib.shared.observability import logger
from chalicelib.shared.policy import Policy
from chalicelib.slack.auth import Workspace
from chalicelib.slack.claim import Claim, decision_key
from chalicelib.slack.deps import SlackActionDeps
from chalicelib.slack.modal import CLOSE
from chalicelib.slack.replies import rollback_button
from chalicelib.slack.result import IGNORED, ClickOutcome, ClickResult
from chalicelib.slack.service import handle_action
from chalicelib.slack.signature import signature
from tests.fakes.gate import FakeRegistry
from tests.fakes.policies import FakePolicies
from tests.fakes.slack import (
    APP,
    ARN,
    GROUP,
    NOW,
    SECRET,
    TEAM,
    FakeLocks,
    FakePauses,
    FakePromotions,
    FakeRegates,
    FakeResponder,
    FakeRetries,
    FakeRollbacks,
    FakeTallies,
    FakeUserGroups,
    FakeUsers,
    FakeViews,
    click_body,
    pending_version,
    submission_body,
)

POLICY = {
    "group": GROUP,
    "floors": {},
    "approval": {},
    "slack": {"approvers": ["U0JANE", "U0BOB"], "approver_groups": ["S0LEADS"]},
}


class Answer(NamedTuple):
    status: int
    body: dict[str, Any]


@dataclass
class World:
    registry: FakeRegistry = field(default_factory=FakeRegistry)
    locks: FakeLocks = field(default_factory=FakeLocks)
    responder: FakeResponder = field(default_factory=FakeResponder)
    groups: FakeUserGroups = field(default_factory=lambda: FakeUserGroups({"S0LEADS": frozenset({"U0LEAD"})}))
    rollbacks: FakeRollbacks = field(default_factory=FakeRollbacks)
    retries: FakeRetries = field(default_factory=FakeRetries)
    promotions: FakePromotions = field(default_factory=FakePromotions)
    pauses: FakePauses = field(default_factory=FakePauses)
    regates: FakeRegates = field(default_factory=FakeRegates)
    views: FakeViews = field(default_factory=FakeViews)
    tallies: FakeTallies = field(default_factory=FakeTallies)
    users: FakeUsers = field(default_factory=FakeUsers)
    now: datetime = NOW
    secret: Any = SECRET

    def deps(self) -> SlackActionDeps:
        ids = itertools.count(1)
        return SlackActionDeps(
            signing_secret=self.secret if callable(self.secret) else lambda: self.secret,
            workspace=Workspace(TEAM, APP),
            registry=self.registry,
            policies=FakePolicies({GROUP: Policy.from_document(POLICY)}),
            locks=self.locks,
            responder=self.responder,
            user_groups=self.groups,
            rollbacks=self.rollbacks,
            retries=self.retries,
            promotions=self.promotions,
            pauses=self.pauses,
            regates=self.regates,
            views=self.views,
            tallies=self.tallies,
            users=self.users,
            clock=lambda: self.now,
            new_id=lambda: f"claim-{next(ids)}",
        )

    def signed(self, body: bytes) -> dict[str, str]:
        stamp = str(int(self.now.timestamp()))
        return {"x-slack-request-timestamp": stamp, "x-slack-signature": signature(SECRET, stamp, body)}

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> Answer:
        """The route's answer, with this world installed as the app's container."""
        use_container(Container(slack_actions_deps=self.deps()))
        return Answer(*handlers.on_slack_action(body, self.signed(body) if headers is None else headers))

    def click(self, body: bytes) -> ClickResult:
        return handle_action(body, self.signed(body), self.deps())

    def with_reason(self, body: bytes, reason: str | None = "looks wrong", user: str | None = None) -> Answer:
        """Click (a button that asks why), then submit the modal it opened with `reason`, as `user`."""
        assert self.post(body) == Answer(200, {})
        _, view = self.views.opened[-1]
        who = user or json.loads(parse_qs(body.decode())["payload"][0])["user"]["id"]
        return self.post(submission_body(view, who, reason))

    def ask(self, body: bytes) -> bytes:
        """Click a button that asks why; the submission of the modal it opened, to send later."""
        assert self.click(body).outcome is ClickOutcome.ASKED
        _, view = self.views.opened[-1]
        return submission_body(view, json.loads(parse_qs(body.decode())["payload"][0])["user"]["id"], "looks wrong")

    def reasoned(self, body: bytes, reason: str = "looks wrong") -> ClickResult:
        """What the modal's submission came to (the click itself only asks why)."""
        assert self.click(body).outcome is ClickOutcome.ASKED
        _, view = self.views.opened[-1]
        user = json.loads(parse_qs(body.decode())["payload"][0])["user"]["id"]
        return self.click(submission_body(view, user, reason))

    def status(self) -> str:
        return self.registry.versions[ARN].status


@pytest.fixture
def world() -> World:
    built = World()
    built.registry.add(pending_version())
    return built


def test_approve_updates_the_package_and_the_message(world: World) -> None:
    assert world.post(click_body("shepherd_approve", user="U0JANE")) == Answer(200, {})
    version = world.registry.versions[ARN]
    assert version.status == APPROVED
    assert version.approval_description == (
        "Approved by u0jane (U0JANE) in Slack: model-shepherd review: not clearly better: people decide"
    )
    assert version.metadata["training_job"] == "fraud-xgb-3"  # the team's metadata is kept
    assert version.metadata["shepherd:decided-by"] == "slack:u0jane U0JANE"
    [(url, message)] = world.responder.posts
    assert url == "https://hooks.slack.com/actions/T0TEAM/1/abc"
    assert message["replace_original"] is True
    assert all(block["type"] != "actions" for block in message["blocks"])
    assert "Approved v3" in message["text"]


def test_reject_rejects(world: World) -> None:
    world.with_reason(click_body("shepherd_reject", user="U0BOB"))
    assert world.status() == REJECTED
    assert (world.registry.versions[ARN].approval_description or "").startswith("Rejected by u0bob (U0BOB) in Slack: ")


def test_a_double_click_decides_once_and_tells_who_decided(world: World) -> None:
    world.post(click_body("shepherd_approve", user="U0JANE"))
    world.post(click_body("shepherd_approve", user="U0JANE"))
    assert world.registry.calls.count("record_decision") == 1
    assert "was already approved by u0jane (U0JANE)" in world.responder.texts[-1]
    assert world.responder.posts[-1][1]["response_type"] == "ephemeral"


def test_reject_racing_an_approve_loses_and_changes_nothing(world: World) -> None:
    rejected = world.ask(click_body("shepherd_reject", user="U0BOB"))  # bob types his reason...
    world.post(click_body("shepherd_approve", user="U0JANE"))  # ...while jane approves
    world.post(rejected)
    assert world.status() == APPROVED
    assert world.registry.calls.count("record_decision") == 1
    assert "already approved by u0jane (U0JANE)" in world.responder.texts[-1]


def test_a_version_decided_elsewhere_is_left_alone_and_the_clicker_told_by_whom(world: World) -> None:
    rejected = world.ask(click_body("shepherd_reject", user="U0BOB"))
    world.registry.add(pending_version(status=APPROVED, approval_description="model-shepherd approve: all checks ok"))
    world.post(rejected)
    assert world.status() == APPROVED
    assert "record_decision" not in world.registry.calls
    assert "already Approved: model-shepherd approve: all checks ok" in world.responder.texts[-1]
    assert world.locks.items == {}  # the lock is freed: it decided nothing


def test_a_deleted_version_changes_nothing(world: World) -> None:
    del world.registry.versions[ARN]
    assert world.post(click_body("shepherd_approve")).status == 200
    assert "no longer exists" in world.responder.texts[-1]
    assert world.locks.items == {}


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """The JSON lines the Powertools logger would write for the captured records."""
    return "\n".join(logger.registered_formatter.format(record) for record in caplog.records)


def test_a_stranger_gets_an_ephemeral_refusal_and_nothing_changes(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    assert world.post(click_body("shepherd_approve", user="U0EVE")).status == 200
    assert world.status() == "PendingManualApproval"
    assert world.registry.calls == []  # not even read
    [(_, message)] = world.responder.posts
    assert message["response_type"] == "ephemeral"
    assert "U0EVE is not an approver" in message["text"]
    assert "slack click refused" in logged(caplog)  # the attempt is logged, with who and why
    assert "U0EVE is not an approver" in logged(caplog)


def test_a_member_of_an_approver_group_may_decide(world: World) -> None:
    world.post(click_body("shepherd_approve", user="U0LEAD"))
    assert world.status() == APPROVED


def test_when_the_group_cannot_be_read_its_members_are_refused(world: World) -> None:
    world.groups.groups.clear()
    world.post(click_body("shepherd_approve", user="U0LEAD"))
    assert world.status() == "PendingManualApproval"
    assert "not an approver" in world.responder.texts[-1]


def test_a_group_without_a_policy_lets_nobody_decide(world: World) -> None:
    other = ARN.replace(GROUP, "churn-models")
    world.registry.add(pending_version(arn=other, group="churn-models"))
    world.post(click_body("shepherd_approve", value=other, user="U0JANE"))
    assert world.registry.versions[other].status == "PendingManualApproval"
    assert "no usable policy" in world.responder.texts[-1]


def throttled(*_: Any) -> None:
    raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "UpdateModelPackage")


def test_throttling_frees_the_lock_says_try_again_and_a_later_click_decides(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(world.registry, "record_decision", throttled)
        assert world.post(click_body("shepherd_approve")).status == 200
    assert world.status() == "PendingManualApproval"
    assert "nothing changed, try again" in world.responder.texts[-1]
    assert world.locks.items == {}
    world.post(click_body("shepherd_approve"))
    assert world.status() == APPROVED


def test_a_claim_left_by_a_crashed_click_is_taken_over_once_stale(world: World) -> None:
    # A click took the lock and its Lambda died before updating the package.
    key = decision_key(ARN)
    world.locks.items[key] = Claim(key, "crashed", "u0jane (U0JANE)", "Approved", world.now.timestamp())
    world.with_reason(click_body("shepherd_reject", user="U0BOB"))
    assert world.status() == "PendingManualApproval"  # still fresh: held
    world.now += timedelta(seconds=61)
    world.with_reason(click_body("shepherd_reject", user="U0BOB"))
    assert world.status() == REJECTED


def test_a_lost_reply_does_not_undo_the_decision(world: World) -> None:
    world.responder.fail = True
    assert world.post(click_body("shepherd_approve")).status == 200
    assert world.status() == APPROVED


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-slack-request-timestamp": "1"},
        {"x-slack-signature": "v0=00"},
        {"x-slack-request-timestamp": "abc", "x-slack-signature": "v0=00"},
    ],
    ids=["none", "no-signature", "no-timestamp", "non-numeric"],
)
def test_unsigned_requests_get_401_and_touch_nothing(world: World, headers: dict[str, str]) -> None:
    assert world.post(click_body(), headers).status == 401
    assert world.registry.calls == []
    assert world.responder.posts == []


def test_tampered_stale_and_future_requests_get_401(world: World) -> None:
    body = click_body(user="U0JANE")
    stamp = str(int(world.now.timestamp()))
    good = {"x-slack-request-timestamp": stamp, "x-slack-signature": signature(SECRET, stamp, body)}
    assert world.post(body.replace(b"U0JANE", b"U0EVE0"), good).status == 401
    for skew in (-301, 301):
        when = str(int(world.now.timestamp()) + skew)
        headers = {"x-slack-request-timestamp": when, "x-slack-signature": signature(SECRET, when, body)}
        assert world.post(body, headers).status == 401
    assert world.registry.calls == []


def test_failures_never_log_the_secret_or_the_body(world: World, caplog: pytest.LogCaptureFixture) -> None:
    body = click_body(user="U0JANE")
    world.post(body, {"x-slack-request-timestamp": "1", "x-slack-signature": signature(SECRET, "1", body)})
    world.post(b"payload=%7Bbroken")
    out = logged(caplog)
    assert "slack request refused" in out
    assert SECRET not in out
    assert "U0JANE" not in out
    assert "broken" not in out


def test_a_signed_but_unreadable_click_gets_400(world: World) -> None:
    answer = world.post(b"payload=%7Bbroken")
    assert answer.status == 400
    assert "not a form with a JSON payload" in answer.body["error"]


def test_a_click_on_someone_elses_button_is_a_no_op(world: World) -> None:
    assert world.post(click_body("another_apps_button")) == Answer(200, {})
    assert world.responder.posts == []


def test_without_a_signing_secret_the_route_answers_503(world: World) -> None:
    def missing() -> str:
        raise ConfigurationError("SHEPHERD_SLACK_SECRET is not set")

    world.secret = missing
    assert world.post(click_body()).status == 503
    assert world.registry.calls == []


def test_roll_back_calls_the_release_engine_once_per_button(world: World) -> None:
    value = rollback_button(GROUP, 2)["value"]
    world.with_reason(click_body("shepherd_rollback", value=value, user="U0JANE"))
    world.with_reason(click_body("shepherd_rollback", value=value, user="U0BOB"))
    assert world.rollbacks.calls == [(GROUP, 2, "slack:u0jane (U0JANE)", "looks wrong")]
    assert "Rolled back fraud-detection-models to v2" in world.responder.texts[0]
    assert "already rolled back from this message by u0jane (U0JANE)" in world.responder.texts[1]


def test_roll_back_by_a_stranger_is_refused_without_asking_why(world: World) -> None:
    world.post(click_body("shepherd_rollback", value=rollback_button(GROUP, 2)["value"], user="U0EVE"))
    assert (world.rollbacks.calls, world.views.opened) == ([], [])
    assert "You may not do this" in world.responder.texts[-1]


def test_a_refused_roll_back_says_why_and_can_be_retried(world: World) -> None:
    world.rollbacks.error = RollbackError("no earlier good version to roll back to")
    world.with_reason(click_body("shepherd_rollback", value=rollback_button(GROUP, None)["value"]))
    assert "Not rolled back: no earlier good version" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_roll_back_failing_unexpectedly_frees_the_button(world: World) -> None:
    world.rollbacks.error = TimeoutError("endpoint busy")
    world.with_reason(click_body("shepherd_rollback", value=rollback_button(GROUP, 2)["value"]))
    assert "nothing changed, try again" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_a_failing_lock_table_changes_nothing_and_still_answers(world: World) -> None:
    world.locks.failing["claim"] = ClientError(
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem"
    )
    assert world.post(click_body("shepherd_approve")).status == 200
    assert world.status() == "PendingManualApproval"
    assert "record_decision" not in world.registry.calls
    assert "nothing changed, try again" in world.responder.texts[-1]


def test_an_unconfirmed_lock_still_shows_the_decision(world: World) -> None:
    world.locks.failing["confirm"] = ClientError(
        {"Error": {"Code": "InternalServerError", "Message": "oops"}}, "UpdateItem"
    )
    assert world.post(click_body("shepherd_approve")).status == 200
    assert world.status() == APPROVED
    assert world.responder.posts[-1][1]["replace_original"] is True
    world.now += timedelta(seconds=120)  # the unconfirmed claim is stale: a late click re-reads and changes nothing
    world.post(click_body("shepherd_reject", user="U0BOB"))
    assert world.views.opened == []  # refused before it asks why
    assert world.status() == APPROVED
    assert "already Approved" in world.responder.texts[-1]


def test_each_click_says_what_it_came_to(world: World) -> None:
    rejected = world.ask(click_body("shepherd_reject", user="U0BOB"))
    assert world.click(click_body("another_apps_button")) == IGNORED
    refused = world.click(click_body("shepherd_approve", user="U0EVE"))
    assert refused == ClickResult(ClickOutcome.REFUSED, "U0EVE is not an approver for this group")
    assert world.click(click_body("shepherd_approve", user="U0JANE")) == ClickResult(ClickOutcome.DONE, "Approved v3")
    late = world.click(rejected)
    already = f"{GROUP} v3 was already approved by u0jane (U0JANE)"
    assert late == ClickResult(ClickOutcome.CHANGED_NOTHING, already, response=CLOSE)
    stale = world.click(click_body("shepherd_reject", user="U0BOB"))
    assert stale == ClickResult(ClickOutcome.CHANGED_NOTHING, f"{GROUP} v3 is already Approved: slack:u0jane U0JANE")


def test_a_click_that_fails_says_so_in_its_result(world: World) -> None:
    world.locks.failing["claim"] = TimeoutError("lock table unreachable")
    assert world.click(click_body("shepherd_approve")) == ClickResult(ClickOutcome.FAILED, "TimeoutError")


def test_a_rollback_says_where_production_went(world: World) -> None:
    result = world.reasoned(click_body("shepherd_rollback", value=rollback_button(GROUP, 2)["value"], user="U0JANE"))
    assert result == ClickResult(ClickOutcome.DONE, f"Rolled back {GROUP} to v2", response=CLOSE)


def test_the_service_raises_what_the_route_answers_and_changes_nothing(world: World) -> None:
    with pytest.raises(InvalidSignatureError):
        handle_action(click_body(), {}, world.deps())
    with pytest.raises(MalformedActionError, match="not a form with a JSON payload"):
        world.click(b"payload=%7Bbroken")

    def missing() -> str:
        raise ConfigurationError("SHEPHERD_SLACK_SECRET is not set")

    world.secret = missing
    with pytest.raises(ConfigurationError):
        world.click(click_body())
    assert world.registry.calls == []
    assert world.responder.posts == []


def test_a_lock_that_cannot_be_freed_goes_stale_and_the_clicker_is_still_told(world: World) -> None:
    rejected = world.ask(click_body("shepherd_reject", user="U0BOB"))
    world.registry.add(pending_version(status=APPROVED, approval_description="model-shepherd approve: all checks ok"))
    world.locks.failing["release"] = ClientError(
        {"Error": {"Code": "InternalServerError", "Message": "oops"}}, "Delete"
    )
    assert world.post(rejected) == Answer(200, CLOSE)
    assert "already Approved" in world.responder.texts[-1]
    del world.locks.failing["release"]
    world.now += timedelta(seconds=61)  # the claim left behind is stale: the next submission takes it over
    assert world.click(rejected).outcome == ClickOutcome.CHANGED_NOTHING
    assert world.locks.items == {}


def test_retry_calls_the_release_engine_once_per_button(world: World) -> None:
    value = retry_button(GROUP, 2)["value"]
    world.post(click_body("shepherd_retry", value=value, user="U0JANE"))
    world.post(click_body("shepherd_retry", value=value, user="U0BOB"))
    reason = "Retry clicked in Slack by u0jane (U0JANE)"
    assert world.retries.calls == [(GROUP, 2, "slack:u0jane (U0JANE)", reason)]
    assert "Retried fraud-detection-models v2" in world.responder.texts[0]
    assert "already retried by u0jane (U0JANE)" in world.responder.texts[1]


def test_retry_by_a_stranger_is_refused(world: World) -> None:
    world.post(click_body("shepherd_retry", value=retry_button(GROUP, 2)["value"], user="U0EVE"))
    assert world.retries.calls == []
    assert "You may not do this" in world.responder.texts[-1]


def test_a_refused_retry_says_why_and_frees_the_button(world: World) -> None:
    world.retries.error = RecoveryRefusedError("v2's last release ended LIVE, not FAILED: nothing to retry")
    world.post(click_body("shepherd_retry", value=retry_button(GROUP, 2)["value"]))
    assert "Not retried: v2's last release ended LIVE" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_a_retry_button_naming_no_version_is_malformed(world: World) -> None:
    assert world.post(click_body("shepherd_retry", value=json.dumps({"group": GROUP}))).status == 400
    assert world.retries.calls == []
