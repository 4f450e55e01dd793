"""Slack adapters against the fake Slack on loopback, and the signing secret from Secrets Manager / SSM (moto)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from chalicelib.adapters.secrets import signing_secret_loader, slack_credentials_loader
from chalicelib.adapters.slack_api import (
    ResponseUrlResponder,
    SlackCredentials,
    UserGroupDirectory,
    allowed_reply_prefixes,
)
from chalicelib.shared.errors import ConfigurationError
from devstack.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack import review_message


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(user_groups={"S0LEADS": ["U0LEAD", "U0BOB"]}).start()
    yield fake
    fake.stop()


def test_fake_slack_records_bot_messages_and_signs_clicks_as_slack_does(slack: FakeSlack) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    posted = client.chat_postMessage(channel="#ml", text="hello", blocks=review_message()["blocks"])
    assert slack.messages[0]["ts"] == posted["ts"]
    assert slack.messages[0]["blocks"][1]["type"] == "actions"
    body, headers = slack.signed_click(slack.messages[0], "shepherd_approve", "U0JANE")
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-wrong", base_url=slack.api_url).chat_postMessage(channel="#ml", text="x")


def test_replies_replace_the_message_through_its_response_url(slack: FakeSlack) -> None:
    WebClient(token=BOT_TOKEN, base_url=slack.api_url).chat_postMessage(
        channel="#ml", text="review", blocks=review_message()["blocks"]
    )
    payload = slack.click_payload(slack.messages[0], "shepherd_approve", "U0JANE")
    responder = ResponseUrlResponder(allowed_reply_prefixes(slack.api_url))
    responder.respond(payload["response_url"], {"replace_original": True, "text": "Approved", "blocks": []})
    responder.respond(payload["response_url"], {"response_type": "ephemeral", "text": "just you"})
    assert slack.messages[0]["text"] == "Approved"
    assert [reply.body["text"] for reply in slack.ephemerals()] == ["just you"]


def test_a_response_url_takes_five_posts_at_most(slack: FakeSlack) -> None:
    payload = slack.click_payload(review_message(), "shepherd_approve", "U0JANE")
    responder = ResponseUrlResponder(allowed_reply_prefixes(slack.api_url))
    for _ in range(5):
        responder.respond(payload["response_url"], {"text": "ok"})
    with pytest.raises(RuntimeError, match="404"):
        responder.respond(payload["response_url"], {"text": "sixth"})


def test_replies_go_only_to_slack_never_to_any_url(slack: FakeSlack) -> None:
    with pytest.raises(ValueError, match="not Slack's"):
        ResponseUrlResponder().respond(f"{slack.base_url}/response/R00001", {"text": "x"})
    with pytest.raises(ValueError, match="not Slack's"):
        ResponseUrlResponder().respond("https://hooks.slack.com.evil.example/x", {"text": "x"})
    assert slack.replies == []


def test_user_group_members_are_read_with_the_bot_token_and_cached(slack: FakeSlack) -> None:
    now = [0.0]
    directory = UserGroupDirectory(lambda: SlackCredentials(bot_token=BOT_TOKEN), slack.api_url, clock=lambda: now[0])
    assert directory.members("S0LEADS") == frozenset({"U0LEAD", "U0BOB"})
    directory.members("S0LEADS")
    assert [method for method, _ in slack.calls] == ["usergroups.users.list"]
    now[0] = 61.0
    directory.members("S0LEADS")
    assert len(slack.calls) == 2


def test_user_groups_need_a_bot_token(slack: FakeSlack) -> None:
    directory = UserGroupDirectory(lambda: SlackCredentials(webhook_url=slack.webhook_url), slack.api_url)
    with pytest.raises(ConfigurationError, match="bot token"):
        directory.members("S0LEADS")


def test_the_signing_secret_comes_from_secrets_manager(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(
        Name="model-shepherd/slack", SecretString=json.dumps({"bot_token": BOT_TOKEN, "signing_secret": "s3cr3t"})
    )
    assert signing_secret_loader("model-shepherd/slack", boto3.client)() == "s3cr3t"
    assert slack_credentials_loader("model-shepherd/slack", boto3.client)().bot_token == BOT_TOKEN


def test_the_signing_secret_comes_from_ssm(aws: None) -> None:
    boto3.client("ssm").put_parameter(
        Name="/model-shepherd/slack",
        Type="SecureString",
        Value=json.dumps({"webhook_url": "https://hooks.slack.com/x", "signing_secret": "from-ssm"}),
    )
    assert signing_secret_loader("ssm:/model-shepherd/slack", boto3.client)() == "from-ssm"


def test_a_secret_without_signing_secret_is_a_configuration_error_that_quotes_nothing(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(Name="no-signing", SecretString=json.dumps({"bot_token": "xoxb-abc"}))
    with pytest.raises(ConfigurationError, match="has no signing_secret") as raised:
        signing_secret_loader("no-signing", boto3.client)()
    assert "xoxb-abc" not in str(raised.value)


def test_users_info_gives_the_clickers_profile_email(slack: FakeSlack) -> None:
    from chalicelib.adapters.slack_users import SlackUserDirectory

    slack.users["U0JANE"] = "jane@example.com"
    users = SlackUserDirectory(lambda: SlackCredentials(bot_token=BOT_TOKEN), slack.api_url)
    assert users.email("U0JANE") == "jane@example.com"
    assert users.email("U0BOB") == "u0bob@fake-slack.example"
    assert slack.calls[-1] == ("users.info", {"user": "U0BOB"})


def test_users_info_refusing_raises_and_a_webhook_cannot_ask(slack: FakeSlack) -> None:
    from chalicelib.adapters.slack_users import SlackUserDirectory

    slack.users_info_error = "missing_scope"
    with pytest.raises(SlackApiError, match="missing_scope"):
        SlackUserDirectory(lambda: SlackCredentials(bot_token=BOT_TOKEN), slack.api_url).email("U0JANE")
    with pytest.raises(ConfigurationError, match="bot token"):
        SlackUserDirectory(lambda: SlackCredentials(webhook_url=slack.webhook_url), slack.api_url).email("U0JANE")
