"""Text from outside the app reaches Slack escaped once, through the notifier, on the fake Slack: a reason can
neither ping nor link, and the app's own console links and buttons still work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.adapters.slack_api import SlackCredentials, SlackNotifier
from chalicelib.cleanup.messages import cleanup_notification
from chalicelib.cleanup.report import Failure, GroupReport
from chalicelib.gate.decision import evaluate
from chalicelib.gate.messages import gate_notification
from chalicelib.release.forwarding import forwarding_notification
from chalicelib.release.messages import policy_invalid_notification, release_notification, rollback_notification
from chalicelib.release.pause_messages import continued_notification, paused_notification
from chalicelib.release.state import Deployed, GroupState, Release, Review, Rollout, Stage
from chalicelib.review.messages import review_notification
from chalicelib.review.rules import Step
from chalicelib.shared.model_version import PENDING, ModelVersion
from chalicelib.shared.notification import Notification
from devstack.fake_slack import BOT_TOKEN, FakeSlack
from tests.support.paused import paused_state
from tests.support.policies import example_policy
from tests.support.slack_text import ESCAPED, HOSTILE, assert_escaped_once, mrkdwn_texts, shown

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/3"
CONSOLE = "<https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/model-registry|"
LIVE = Deployed(2, ARN.replace("/3", "/2"), f"{GROUP}-v2-prod", "model-shepherd gate", NOW - timedelta(days=1))


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def posted(slack: FakeSlack, notification: Notification) -> dict[str, Any]:
    SlackNotifier(lambda: SlackCredentials(bot_token=BOT_TOKEN), "#ml", api_url=slack.api_url).send(notification)
    return slack.messages[-1]


def release(**changes: Any) -> Release:
    """v3, FAILED unless `changes` say otherwise, with v2 live before it."""
    made = paused_state(GroupState(GROUP, live=LIVE), 3, NOW).release
    assert made is not None
    return replace(made, **{"stage": Stage.FAILED, "rollout": Rollout(), **changes})


def test_a_gate_message_escapes_the_metrics_documents_names_and_keeps_its_console_link(slack: FakeSlack) -> None:
    version = ModelVersion(ARN.replace(GROUP, HOSTILE), HOSTILE, 3, PENDING)
    metrics = {"auc": 0.85, "precision": 0.9, "recall": 0.8, "latency_p99_ms": 40, HOSTILE: 1.0}
    message = posted(slack, gate_notification(version, evaluate(example_policy(), metrics, None), "p@1", False))
    joined = assert_escaped_once(message)
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in message["blocks"][-3]["text"]["text"]  # the metrics table
    assert CONSOLE in joined  # the app's own link, its label the (escaped) ARN
    assert [button["action_id"] for button in message["blocks"][-1]["elements"]][:2] == [
        "shepherd_approve",
        "shepherd_reject",
    ]


def test_a_failed_release_escapes_a_hook_answers_reason_and_keeps_its_buttons(slack: FakeSlack) -> None:
    halted = release(reason=f"pre_rollout hook halted: {HOSTILE}", approved_by=f"slack:{HOSTILE}")
    message = posted(slack, release_notification("release.failed", halted, LIVE))
    assert_escaped_once(message)
    actions = next(block for block in message["blocks"] if block["type"] == "actions")["elements"]
    assert [button["action_id"] for button in actions] == ["shepherd_rollback", "shepherd_retry"]


def test_a_rollback_escapes_the_reason_given_on_the_cli(slack: FakeSlack) -> None:
    message = posted(slack, rollback_notification(GROUP, 3, LIVE, "cli:root", HOSTILE, None))
    assert_escaped_once(message)
    assert shown(message["text"]).endswith(f"rolled back to v2 by cli:root: {HOSTILE}")


def test_an_invalid_policy_escapes_the_problem(slack: FakeSlack) -> None:
    assert_escaped_once(posted(slack, policy_invalid_notification(GROUP, HOSTILE)))


def test_a_suspicion_that_events_do_not_arrive_escapes_the_group(slack: FakeSlack) -> None:
    assert_escaped_once(posted(slack, forwarding_notification("111122223333", HOSTILE, "production")))


@pytest.mark.parametrize("kind", ["release.stopped", "release.awaiting_promotion", "release.promoted"])
def test_promotion_messages_escape_reasons_and_who_promoted(slack: FakeSlack, kind: str) -> None:
    stage = Stage.AWAITING_PROMOTION if kind == "release.awaiting_promotion" else Stage.STOPPED
    waiting = release(stage=stage, reason=HOSTILE, approved_by=HOSTILE, promoted_by=HOSTILE)
    assert_escaped_once(posted(slack, release_notification(kind, waiting, LIVE)))


def test_a_paused_message_escapes_the_judgements_and_a_continue_its_reason(slack: FakeSlack) -> None:
    judged = release(stage=Stage.PAUSED, rollout=Rollout(step=1, inconclusive=3, results=(HOSTILE,)))
    paused = posted(slack, paused_notification(judged, None))
    assert_escaped_once(paused)
    assert [button["action_id"] for button in paused["blocks"][-1]["elements"]] == [
        "shepherd_continue",
        "shepherd_paused_rollback",
    ]
    assert_escaped_once(posted(slack, continued_notification(judged, "slack:jane (U0JANE)", HOSTILE)))


def test_a_review_reminder_escapes_the_group_and_keeps_its_console_link(slack: FakeSlack) -> None:
    review = Review(3, ARN, NOW - timedelta(days=4), NOW + timedelta(days=3), NOW)
    message = posted(slack, review_notification(HOSTILE, review, Step.REMIND))
    assert CONSOLE in assert_escaped_once(message)


def test_a_cleanup_summary_escapes_the_errors_it_reports(slack: FakeSlack) -> None:
    report = GroupReport(GROUP, False, failures=(Failure(4, HOSTILE),), failure_count=1, complete=True)
    message = posted(slack, cleanup_notification(report))
    assert ESCAPED in message["blocks"][-1]["text"]["text"]
    assert "<!channel>" not in str(message)


@settings(max_examples=60, deadline=None)
@given(reason=st.text(max_size=300) | st.text(alphabet="<>&!@|#;ampltg U1:/*_~`", max_size=80))
def test_whatever_a_reason_holds_slack_shows_it_as_typed(slack: FakeSlack, reason: str) -> None:
    notification = rollback_notification(GROUP, 3, LIVE, "cli:root", reason, None)
    message = posted(slack, notification)
    assert shown(message["text"]) == notification.text  # the fallback: plain text, escaped once on its way
    assert shown(mrkdwn_texts(message)[1]) == notification.text  # the section: the same words
    assert not {"<", ">"} & set(message["text"])  # nothing of the reason can open a control sequence
