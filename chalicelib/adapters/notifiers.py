"""Where notifications go: one SNS topic, Slack, or both. A failed send never fails the caller."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chalicelib.shared.notification import Notification
from chalicelib.shared.observability import count, logger
from chalicelib.shared.ports import Notifier

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

SNS_SUBJECT_LIMIT = 100
SUBJECT_FALLBACK = "model-shepherd"


class SnsNotifier:
    def __init__(self, client: SNSClient, topic_arn: str) -> None:
        self._client = client
        self._topic_arn = topic_arn

    def send(self, notification: Notification) -> None:
        self._client.publish(
            TopicArn=self._topic_arn,
            Subject=sns_subject(notification.text),
            Message=json.dumps(notification.body, default=str),
            MessageAttributes={
                key: {"DataType": "String", "StringValue": value} for key, value in notification.attributes.items()
            },
        )


# Every rollback (a person's, from Slack or the CLI, and the release engine's own: a watch-window alarm,
# SageMaker's guardrail, a rejection while live) is announced with one kind. Counted here, on the way
# out, every kind of rollback reaches the rollbacks alarm as one metric, whichever path made it.
COUNTED_KINDS = {"release.rolled_back": "Rollback"}


class FanOutNotifier:
    """Sends to every channel; a failure is logged and counted, and the others still get it."""

    def __init__(self, channels: Sequence[tuple[str, Notifier]]) -> None:
        self._channels = channels

    def send(self, notification: Notification) -> None:
        if notification.kind in COUNTED_KINDS:
            count(COUNTED_KINDS[notification.kind])
        for name, channel in self._channels:
            try:
                channel.send(notification)
            except Exception as error:  # noqa: BLE001 - a notification must never undo a decision
                logger.warning(
                    "notification failed", extra={"channel": name, "kind": notification.kind, "error": repr(error)}
                )
                count("NotificationFailed", channel=name)


def sns_subject(text: str) -> str:
    """SNS refuses a subject that is not ASCII, holds a line break or control character, starts with anything
    but a letter, number or punctuation mark, or runs past 100 characters: the text made into one it takes."""
    printable = "".join(char if " " <= char < "\x7f" else " " for char in text.encode("ascii", "replace").decode())
    kept = " ".join(printable.split()) or SUBJECT_FALLBACK
    return kept[: SNS_SUBJECT_LIMIT - 3] + "..." if len(kept) > SNS_SUBJECT_LIMIT else kept
