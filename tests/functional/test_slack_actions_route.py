"""POST /slack/actions end to end: the gate posts a review to the fake Slack, people click, SageMaker (moto) changes.

Through chalice.test.Client and through a real local HTTP server (Chalice's local gateway on loopback).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.config import Config
from chalice.local import create_local_server
from chalice.test import Client

from app import app
from chalicelib.bootstrap import Container, use_container
from chalicelib.shared.settings import load_settings
from chalicelib.slack.replies import rollback_button
from devstack import seed
from devstack.fake_slack import FakeSlack
from devstack.resources import LocalResources
from devstack.slack_local import create_slack_secret, slack_environment
from tests.fakes.slack import review_message

APPROVER, OTHER_APPROVER, LEAD, STRANGER = "U024BE7LH", "U0G9QF9C6", "U0LEAD01", "U0EVE001"  # see the example policy
LEADS = "S0614TZR7"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(user_groups={LEADS: [LEAD]}).start()
    yield fake
    fake.stop()


def install(resources: LocalResources, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, webhook: bool) -> None:
    create_slack_secret(boto3.client("secretsmanager"), slack, webhook=webhook)
    for name, value in {**resources.environment(), **slack_environment(slack)}.items():
        monkeypatch.setenv(name, value)
    use_container(Container(settings=load_settings()))


@pytest.fixture
def bot(resources: LocalResources, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    install(resources, slack, monkeypatch, webhook=False)
    return slack


def review(slack: FakeSlack) -> tuple[str, dict[str, Any]]:
    """A champion approved by the gate, then a borderline version it sends to people: (arn, Slack message)."""
    sagemaker, s3 = boto3.client("sagemaker"), boto3.client("s3")
    seed.create_group(sagemaker)
    arns = [
        seed.register_version(sagemaker, seed.upload_metrics(s3, "my-bucket", name, metrics), name)
        for name, metrics in (("good", seed.GOOD), ("borderline", seed.BORDERLINE))
    ]
    with Client(app) as client:
        for arn in arns:
            detail = {"ModelPackageArn": arn, "ModelApprovalStatus": "PendingManualApproval"}
            client.lambda_.invoke(
                "gate",
                client.events.generate_cw_event(
                    source="aws.sagemaker",
                    detail_type="SageMaker Model Package State Change",
                    resources=[arn],
                    detail=detail,
                ),
            )
    return arns[1], copy.deepcopy(slack.messages[-1])  # as people saw it, before any click replaced it


def pending() -> tuple[str, dict[str, Any]]:
    """Cheaper than review(): a pending version and a message with its buttons, without running the gate."""
    sagemaker = boto3.client("sagemaker")
    seed.create_group(sagemaker)
    arn = seed.register_version(sagemaker, None, "borderline")
    return arn, review_message(arn)


def post(body: bytes, headers: dict[str, str]) -> Any:
    with Client(app) as client:
        return client.http.post("/slack/actions", headers=headers, body=body)


def described(arn: str) -> dict[str, Any]:
    return dict(boto3.client("sagemaker").describe_model_package(ModelPackageName=arn))


def test_approve_from_the_review_message(bot: FakeSlack) -> None:
    arn, message = review(bot)
    assert [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]] == [
        "shepherd_approve",
        "shepherd_reject",
        "shepherd_regate",
    ]
    response = post(*bot.signed_click(message, "shepherd_approve", APPROVER, user_name="jane"))
    assert response.status_code == 200
    package = described(arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["ApprovalDescription"].startswith("Approved by jane (U024BE7LH) in Slack: model-shepherd review")
    assert package["CustomerMetadataProperties"]["training_samples"] == "1500000"
    updated = bot.messages[-1]
    assert all(block["type"] != "actions" for block in updated["blocks"])  # buttons gone
    assert "<@U024BE7LH> (jane)" in str(updated["blocks"][-1])


def test_reject_then_a_late_approve_changes_nothing_and_says_who(bot: FakeSlack) -> None:
    arn, message = review(bot)
    post(*bot.signed_click(message, "shepherd_reject", OTHER_APPROVER, user_name="bob"))  # opens the modal
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"
    answer = post(*bot.signed_submission("precision drops on new merchants", user_name="bob"))
    assert (answer.status_code, answer.json_body) == (200, {"response_action": "clear"})
    post(*bot.signed_click(message, "shepherd_approve", APPROVER, user_name="jane"))
    package = described(arn)
    assert package["ModelApprovalStatus"] == "Rejected"
    assert package["ApprovalDescription"].startswith(
        "Rejected by bob (U0G9QF9C6) in Slack: precision drops on new merchants. The gate said: model-shepherd"
    )
    assert "already rejected by bob (U0G9QF9C6)" in bot.ephemerals()[-1].body["text"]


def test_a_stranger_is_refused_privately(bot: FakeSlack) -> None:
    arn, message = pending()
    assert post(*bot.signed_click(message, "shepherd_approve", STRANGER)).status_code == 200
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"
    assert "is not an approver" in bot.ephemerals()[-1].body["text"]
    assert not [reply for reply in bot.replies if reply.body.get("replace_original")]  # the message is untouched


def test_a_member_of_an_approver_group_may_approve(bot: FakeSlack) -> None:
    arn, message = pending()
    post(*bot.signed_click(message, "shepherd_approve", LEAD))
    assert described(arn)["ModelApprovalStatus"] == "Approved"


def test_clicks_from_another_workspace_are_refused(bot: FakeSlack) -> None:
    arn, message = pending()
    post(*bot.signed_click(message, "shepherd_approve", APPROVER, team_id="T0ELSEWHERE"))
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"


@pytest.mark.parametrize("forgery", ["tampered", "wrong-secret", "stale", "future", "unsigned"])
def test_forged_requests_get_401_and_change_nothing(
    bot: FakeSlack, forgery: str, caplog: pytest.LogCaptureFixture
) -> None:
    arn, message = pending()
    body, headers = bot.signed_click(message, "shepherd_approve", APPROVER)
    now = int(headers["X-Slack-Request-Timestamp"])
    if forgery == "tampered":
        body = body.replace(b"U024BE7LH", b"U0G9QF9C6")
    elif forgery == "wrong-secret":
        headers = bot.sign(body, secret="guessed")
    elif forgery in ("stale", "future"):
        # Well past the window: the exact 300 s boundary is unit-tested with an injected clock.
        headers = bot.sign(body, timestamp=now - 400 if forgery == "stale" else now + 400)
    else:
        headers = {"Content-Type": headers["Content-Type"]}
    assert post(body, headers).status_code == 401
    assert described(arn)["ModelApprovalStatus"] == "PendingManualApproval"
    assert bot.replies == []
    logged = caplog.text + " ".join(str(vars(record)) for record in caplog.records)
    assert bot.signing_secret not in logged
    assert "payload" not in logged


def test_the_route_refuses_other_content_types(bot: FakeSlack) -> None:
    _, message = pending()
    body, headers = bot.signed_click(message, "shepherd_approve", APPROVER)
    assert post(body, {**headers, "Content-Type": "application/json"}).status_code == 415


def test_webhook_mode_posts_the_review_and_takes_clicks(
    resources: LocalResources, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(resources, slack, monkeypatch, webhook=True)
    arn, message = review(slack)
    assert message["channel"] == "webhook"
    post(*slack.signed_click(message, "shepherd_approve", APPROVER))
    assert described(arn)["ModelApprovalStatus"] == "Approved"
    post(*slack.signed_click(message, "shepherd_approve", LEAD))  # groups need a bot token: refused, fail closed
    assert "is not an approver" in slack.ephemerals()[-1].body["text"]


@pytest.fixture
def local_url(bot: FakeSlack) -> Iterator[str]:
    """The app behind Chalice's local gateway on a free loopback port, as `chalice local` serves it."""
    original = app.__class__
    server = create_local_server(app, Config.create(chalice_stage="dev", lambda_timeout=60), "127.0.0.1", 0)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server.server_address[1]}/slack/actions"
    server.shutdown()
    server.server.server_close()
    app.__class__ = original  # create_local_server swaps the app's class: give it back


@pytest.mark.slow
def test_over_http_approve_racing_reject_exactly_one_wins(bot: FakeSlack, local_url: str) -> None:
    arn, message = review(bot)
    statuses: list[int] = []
    start = threading.Barrier(4)

    def click(action: str, user: str) -> None:
        start.wait()
        statuses.append(bot.click(local_url, message, action, user)[0])

    for _ in range(2):  # Reject asks why first: two modals, submitted in the race
        assert bot.click(local_url, message, "shepherd_reject", OTHER_APPROVER)[0] == 200
    modals = [view.id for view in bot.views.opened if view.open]

    def submit(view_id: str) -> None:
        start.wait()
        statuses.append(bot.submit(local_url, "drift", view_id)[0])

    threads = [threading.Thread(target=click, args=("shepherd_approve", APPROVER)) for _ in range(2)]
    threads += [threading.Thread(target=submit, args=(view_id,)) for view_id in modals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200, 200]
    package = described(arn)
    decided = package["ModelApprovalStatus"]
    assert decided in ("Approved", "Rejected")
    replaced = [reply for reply in bot.replies if reply.body.get("replace_original")]
    assert len(replaced) == 1  # one decision shown; the three others were told privately
    assert len(bot.ephemerals()) == 3
    assert decided.lower()[:-2] in replaced[0].body["text"].lower()


@pytest.mark.slow
def test_over_http_forged_click_gets_401(bot: FakeSlack, local_url: str) -> None:
    _, message = pending()
    status, body = bot.click(local_url, message, "shepherd_approve", APPROVER, signing_secret="guessed")
    assert status == 401
    assert "invalid" in body


def test_roll_back_with_nothing_to_roll_back_to_says_why(bot: FakeSlack) -> None:
    message = {
        "ts": "1700000001.000100",
        "channel": "C0RELEASE",
        "blocks": [{"type": "actions", "elements": [rollback_button("fraud-detection-models", 1)]}],
    }
    assert post(*bot.signed_click(message, "shepherd_rollback", APPROVER)).status_code == 200
    assert post(*bot.signed_submission("canary looked wrong")).status_code == 200
    assert "Not rolled back" in bot.ephemerals()[-1].body["text"]
