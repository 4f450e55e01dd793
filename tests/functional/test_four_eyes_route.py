"""Four eyes through POST /slack/actions (chalice.test.Client, signed as Slack signs): a review needs two
distinct approvers, the registrant's own approval does not count, one Reject ends it. moto's SageMaker and
state table, the fake Slack (users.info included)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from devstack import seed
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from devstack.slack_local import create_slack_secret, slack_environment
from tests.fakes.slack import review_message
from tests.support.policies import policies_with_slack

APPROVER, OTHER_APPROVER, LEAD, STRANGER = "U024BE7LH", "U0G9QF9C6", "U0LEAD01", "U0EVE001"  # the example policy
LEADS = "S0614TZR7"
REGISTRANT = "jane.doe@example.com"  # APPROVER's Slack profile e-mail


@pytest.fixture
def bot(resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    slack = FakeSlack(user_groups={LEADS: [LEAD]}, users={APPROVER: REGISTRANT}).start()
    create_slack_secret(boto3.client("secretsmanager"), slack)
    policies = policies_with_slack(tmp_path / "policies", required_approvals=2)
    settings = {**resources.environment(), **slack_environment(slack), "SHEPHERD_POLICY_DIR": str(policies)}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    use_container(Container(settings=load_settings()))
    yield slack
    slack.stop()


def pending(registered_by: str | None = None) -> tuple[str, dict[str, Any]]:
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arn = seed.register_version(sagemaker, None, "borderline", registered_by=registered_by)
    return arn, review_message(arn)


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


def approve(slack: FakeSlack, message: dict[str, Any], user: str, name: str | None = None) -> Any:
    return post(*slack.signed_click(message, "shepherd_approve", user, user_name=name))


def package(arn: str) -> dict[str, Any]:
    return dict(boto3.client("sagemaker").describe_model_package(ModelPackageName=arn))


def status(arn: str) -> str:
    return str(package(arn)["ModelApprovalStatus"])


def decided_replies(slack: FakeSlack) -> list[str]:
    return [reply.body["text"] for reply in slack.replies if str(reply.body.get("text", "")).startswith("Approved v")]


def test_two_distinct_approvers_approve_it_once_and_the_message_shows_who_approved_so_far(bot: FakeSlack) -> None:
    arn, message = pending()
    assert approve(bot, message, APPROVER, "jane").status_code == 200
    assert status(arn) == "PendingManualApproval"
    progress = bot.replies[-1].body
    assert progress["replace_original"] is True
    assert "Approved so far (1 of 2): jane (U024BE7LH). 1 more approval needed." in str(progress["blocks"])
    assert any(block["type"] == "actions" for block in progress["blocks"])  # the buttons stay for the next one
    approve(bot, message, OTHER_APPROVER, "bob")
    described = package(arn)
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"].startswith(
        "Approved by bob (U0G9QF9C6) in Slack: 2 approvals: bob (U0G9QF9C6), jane (U024BE7LH). The gate said:"
    )
    assert len(decided_replies(bot)) == 1


def test_the_same_approver_twice_is_still_waiting(bot: FakeSlack) -> None:
    arn, message = pending()
    approve(bot, message, APPROVER, "jane")
    approve(bot, message, APPROVER, "jane")
    assert status(arn) == "PendingManualApproval"
    assert "You have approved already. Approved so far (1 of 2)" in bot.ephemerals()[-1].body["text"]


def test_the_registrants_approval_is_not_counted_and_they_are_told_why(bot: FakeSlack) -> None:
    arn, message = pending(registered_by=REGISTRANT)
    approve(bot, message, APPROVER, "jane")
    assert "you (jane.doe@example.com) registered this version" in bot.ephemerals()[-1].body["text"]
    approve(bot, message, OTHER_APPROVER, "bob")
    assert status(arn) == "PendingManualApproval"  # jane's click counted for nothing: one of two
    approve(bot, message, LEAD, "lee")
    assert status(arn) == "Approved"
    assert ("users.info", {"user": APPROVER}) in bot.calls


def test_users_info_failing_fails_closed_and_says_so(bot: FakeSlack) -> None:
    arn, message = pending(registered_by=REGISTRANT)
    bot.users_info_error = "ratelimited"
    approve(bot, message, OTHER_APPROVER, "bob")
    approve(bot, message, LEAD, "lee")
    assert status(arn) == "PendingManualApproval"
    assert "users.info failed (ratelimited)" in bot.ephemerals()[-1].body["text"]
    bot.users_info_error = None
    approve(bot, message, OTHER_APPROVER, "bob")
    approve(bot, message, LEAD, "lee")
    assert status(arn) == "Approved"


def test_a_reject_after_one_approval_ends_it(bot: FakeSlack) -> None:
    arn, message = pending()
    approve(bot, message, APPROVER, "jane")
    post(*bot.signed_click(message, "shepherd_reject", OTHER_APPROVER, user_name="bob"))
    post(*bot.signed_submission("leaks the label", user_name="bob"))
    assert status(arn) == "Rejected"
    approve(bot, message, LEAD, "lee")
    assert status(arn) == "Rejected"
    assert "was already rejected by bob (U0G9QF9C6)" in bot.ephemerals()[-1].body["text"]


def test_a_stranger_or_a_forged_click_counts_for_nothing(bot: FakeSlack) -> None:
    arn, message = pending()
    approve(bot, message, STRANGER)
    body, _ = bot.signed_click(message, "shepherd_approve", OTHER_APPROVER)
    assert post(body, bot.sign(body, secret="guessed")).status_code == 401
    approve(bot, message, APPROVER)
    assert status(arn) == "PendingManualApproval"  # only APPROVER counted


def test_a_reject_modal_forged_or_submitted_by_a_stranger_is_refused_and_the_approvals_stand(bot: FakeSlack) -> None:
    arn, message = pending()
    approve(bot, message, APPROVER)
    post(*bot.signed_click(message, "shepherd_reject", OTHER_APPROVER))
    forged, _ = bot.signed_submission("no")
    assert post(forged, bot.sign(forged, secret="guessed")).status_code == 401
    answer = post(*bot.signed_submission("no", user_id=STRANGER))
    assert answer.json_body["response_action"] == "errors"
    assert status(arn) == "PendingManualApproval"
    approve(bot, message, LEAD)
    assert status(arn) == "Approved"


def test_concurrent_approvals_apply_the_decision_exactly_once(bot: FakeSlack) -> None:
    arn, message = pending()
    clicks = [bot.signed_click(message, "shepherd_approve", user) for user in (APPROVER, OTHER_APPROVER, LEAD) * 2]
    start = threading.Barrier(len(clicks))
    statuses: list[int] = []
    # Chalice's test client replaces os.environ with a patched copy around each request: concurrent requests
    # can leave a copy installed (with this test's settings in it, which monkeypatch cannot undo there), so the
    # process's own environment object is put back (the role check, and every later test, read it).
    environment = os.environ
    with Client(app) as client:

        def click(body: bytes, headers: dict[str, str]) -> None:
            start.wait()
            statuses.append(client.http.post("/slack/actions", headers=headers, body=body).status_code)

        threads = [threading.Thread(target=click, args=signed) for signed in clicks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    os.environ = environment  # noqa: B003 - the object Chalice's test client replaced, not a new mapping
    assert statuses == [200] * len(clicks)
    assert status(arn) == "Approved"
    assert len(decided_replies(bot)) == 1
