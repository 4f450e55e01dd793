"""Decide again from Slack: the review's third button asks why, then the gate decides the version once more."""

from __future__ import annotations

from botocore.exceptions import ClientError

from chalicelib.gate.verdict import Outcome
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.model_version import APPROVED
from chalicelib.slack.claim import decision_key
from chalicelib.slack.modal import CLOSE
from chalicelib.slack.result import ClickOutcome
from tests.fakes.slack import ARN, click_body, pending_version
from tests.support.slack_text import shown
from tests.unit.test_slack_actions_service import Answer, World, world  # noqa: F401 - the fixture

REGATE = "shepherd_regate"


def test_decide_again_opens_the_reason_modal_and_changes_nothing(world: World) -> None:  # noqa: F811
    assert world.click(click_body(REGATE, user="U0JANE")).outcome is ClickOutcome.ASKED
    [(trigger, view)] = world.views.opened
    assert trigger == "1.trigger"
    assert view["submit"]["text"] == "Decide again"
    assert world.regates.calls == []


def test_decide_again_regates_with_the_clicker_and_reason_and_says_what_the_gate_decided(world: World) -> None:  # noqa: F811
    world.regates.outcome, world.regates.reasons = Outcome.APPROVE, ("all checks ok",)
    assert world.with_reason(click_body(REGATE, user="U0JANE"), "metrics fixed") == Answer(200, CLOSE)
    assert world.regates.calls == [(ARN, "slack:u0jane (U0JANE)", "metrics fixed")]
    message = world.responder.posts[-1][1]
    assert message["replace_original"] is True
    assert "Decided again fraud-detection-models v3: approved: all checks ok" in message["text"]
    assert world.locks.items[decision_key(ARN)].state == "applied"  # a late Approve/Reject is told who decided


def test_a_version_still_in_review_says_why_and_stays_open_to_people(world: World) -> None:  # noqa: F811
    world.with_reason(click_body(REGATE, user="U0JANE"), "policy fixed")
    assert "still in review: auc 0.81 < 0.85" in shown(world.responder.posts[-1][1]["text"])
    assert world.locks.items == {}  # Approve and Reject still decide it
    world.post(click_body("shepherd_approve", user="U0BOB"))
    assert world.status() == APPROVED


def test_a_stranger_may_not_decide_again(world: World) -> None:  # noqa: F811
    assert world.click(click_body(REGATE, user="U0EVE")).outcome is ClickOutcome.REFUSED
    assert world.views.opened == [] and world.regates.calls == []


def test_a_submission_by_a_stranger_is_refused(world: World) -> None:  # noqa: F811
    answer = world.with_reason(click_body(REGATE, user="U0JANE"), "fixed", user="U0EVE")
    assert answer.body["response_action"] == "errors"
    assert world.regates.calls == []


def test_decide_again_twice_regates_once_when_the_first_decided(world: World) -> None:  # noqa: F811
    world.regates.outcome = Outcome.REJECT
    world.with_reason(click_body(REGATE, user="U0JANE"), "fixed")
    world.with_reason(click_body(REGATE, user="U0BOB"), "fixed too")
    assert len(world.regates.calls) == 1
    assert "already decided again by u0jane (U0JANE)" in world.responder.texts[-1]


def test_a_version_decided_meanwhile_is_refused_with_who_decided(world: World) -> None:  # noqa: F811
    assert world.click(click_body(REGATE, user="U0JANE")).outcome is ClickOutcome.ASKED
    world.registry.add(pending_version(status=APPROVED, approval_description="Approved by cli:root"))
    _, view = world.views.opened[-1]
    from tests.fakes.slack import submission_body

    assert world.click(submission_body(view, "U0JANE", "fixed")).outcome is ClickOutcome.CHANGED_NOTHING
    assert world.regates.calls == []
    assert "is already Approved: Approved by cli:root" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_an_invalid_policy_refuses_and_frees_the_lock(world: World) -> None:  # noqa: F811
    world.regates.error = InvalidPolicyError("floors.auc is not a number")
    assert world.reasoned(click_body(REGATE, user="U0JANE")).outcome is ClickOutcome.CHANGED_NOTHING
    assert "Not decided again" in world.responder.texts[-1]
    assert world.locks.items == {}


def test_aws_failing_frees_the_lock_and_says_try_again(world: World) -> None:  # noqa: F811
    world.regates.error = ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}}, "GetObject")
    assert world.reasoned(click_body(REGATE, user="U0JANE")).outcome is ClickOutcome.FAILED
    assert world.locks.items == {}
