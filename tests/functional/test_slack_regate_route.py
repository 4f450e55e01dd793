"""Decide again through POST /slack/actions: signed clicks and modal submissions, the gate on moto."""

from __future__ import annotations

import boto3
import pytest

from devstack import seed
from devstack.fake_slack import FakeSlack
from shepherd_cli.main import main
from tests.functional.test_slack_actions_route import (  # noqa: F401 - fixtures
    APPROVER,
    OTHER_APPROVER,
    STRANGER,
    bot,
    described,
    post,
    review,
    slack,
)

REGATE = "shepherd_regate"
FIXED = {"auc": 0.97, "precision": 0.93, "recall": 0.88, "f1": 0.9, "latency_p99_ms": 40}


def test_decide_again_after_a_metrics_fix_approves_and_says_so(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    seed.upload_metrics(boto3.client("s3"), "my-bucket", "borderline", FIXED)  # the team fixed the evaluation
    post(*bot.signed_click(message, REGATE, APPROVER, user_name="jane"))  # opens the modal
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"
    answer = post(*bot.signed_submission("evaluation re-run on the full set", user_name="jane"))
    assert (answer.status_code, answer.json_body) == (200, {"response_action": "clear"})
    package = described(arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["CustomerMetadataProperties"]["shepherd:regated-by"].startswith("slack:jane")
    replaced = [reply.body for reply in bot.replies if reply.body.get("replace_original")][-1]
    assert "Decided again fraud-detection-models v2: approved" in replaced["text"]


def test_decide_again_with_nothing_fixed_stays_in_review_with_the_reasons(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    posted = len(bot.messages)
    post(*bot.signed_click(message, REGATE, APPROVER, user_name="jane"))
    post(*bot.signed_submission("second look", user_name="jane"))
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"
    replaced = [reply.body for reply in bot.replies if reply.body.get("replace_original")][-1]
    assert "still in review: not clearly better" in replaced["text"]
    assert len(bot.messages) == posted + 1  # a fresh review message, with its buttons


def test_a_stranger_cannot_decide_again(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    assert post(*bot.signed_click(message, REGATE, STRANGER)).status_code == 200
    assert [view for view in bot.views.opened if view.open] == []
    assert "You may not do this" in bot.ephemerals()[-1].body["text"]
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_a_bad_signature_is_refused(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    body, headers = bot.signed_click(message, REGATE, APPROVER)
    assert post(body, {**headers, "X-Slack-Signature": "v0=" + "0" * 64}).status_code == 401
    assert [view for view in bot.views.opened if view.open] == []
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"


def test_decide_again_twice_decides_once(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    seed.upload_metrics(boto3.client("s3"), "my-bucket", "borderline", FIXED)
    for user in (APPROVER, OTHER_APPROVER):  # two modals opened before either is submitted
        post(*bot.signed_click(message, REGATE, user))
    modals = [view.id for view in bot.views.opened if view.open]
    for view_id in modals:
        post(*bot.signed_submission("fixed", view_id))
    assert described(arn)["ModelApprovalStatus"] == "Approved"
    assert "already decided again by" in bot.ephemerals()[-1].body["text"]


def test_a_version_decided_meanwhile_is_refused_with_who_decided(bot: FakeSlack) -> None:  # noqa: F811
    arn, message = review(bot)
    post(*bot.signed_click(message, REGATE, APPROVER, user_name="jane"))  # the modal is open...
    post(*bot.signed_click(message, "shepherd_approve", OTHER_APPROVER, user_name="bob"))  # ...bob approves
    post(*bot.signed_submission("fixed", bot.views.opened[0].id, user_name="jane"))
    assert described(arn)["ModelApprovalStatus"] == "Approved"
    assert "already approved by bob (U0G9QF9C6)" in bot.ephemerals()[-1].body["text"]


@pytest.mark.parametrize("action", ["shepherd_reject", REGATE])
def test_after_a_cli_approve_the_review_buttons_are_refused_before_any_modal(
    bot: FakeSlack,  # noqa: F811
    action: str,
) -> None:
    arn, message = review(bot)
    assert main(["approve", seed.GROUP, arn.rsplit("/", 1)[1], "--reason", "checked by hand", "--by", "root"]) == 0
    assert post(*bot.signed_click(message, action, OTHER_APPROVER, user_name="bob")).status_code == 200
    assert bot.views.opened == []  # nobody is asked for a reason that cannot be used
    assert "is already Approved: cli:root" in bot.ephemerals()[-1].body["text"]
    assert described(arn)["ModelApprovalStatus"] == "Approved"
