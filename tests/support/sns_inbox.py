"""What SNS delivered to the test subscription."""

from __future__ import annotations

import json
from typing import Any

from devstack.resources import LocalResources


def inbox(resources: LocalResources) -> list[dict[str, Any]]:
    """Every message SNS delivered to the test subscription, as parsed JSON."""
    import boto3

    sqs = boto3.client("sqs")
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=resources.inbox_queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=resources.inbox_queue_url, ReceiptHandle=message["ReceiptHandle"])
