"""What a message in the dead-letter queue says: which function failed, on what event, and why.

Two shapes arrive there (infra/template.py sets up both):
- a Lambda on-failure destination record (the function failed after its retries): JSON with
  requestContext.functionArn, requestPayload (the full event) and responsePayload (the error);
- an EventBridge dead letter (the rule could not deliver at all): the event itself as the body,
  with TARGET_ARN / ERROR_CODE / ERROR_MESSAGE message attributes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DeadLetter:
    message_id: str
    receipt_handle: str
    function: str | None  # the function name (no qualifier): where the event goes back to
    payload: dict[str, Any] | None  # the event, exactly as the function first received it
    reason: str  # why it landed here
    problem: str | None = None  # why it cannot be replayed; None: it can

    @property
    def replay_key(self) -> str:
        """The same event for the same function, whichever copy: replayed once per run."""
        event_id = (self.payload or {}).get("id")
        identity = event_id if isinstance(event_id, str) else json.dumps(self.payload, sort_keys=True)
        return hashlib.sha256(f"{self.function}\n{identity}".encode()).hexdigest()


def parse(message: dict[str, Any]) -> DeadLetter:
    message_id, receipt = str(message.get("MessageId", "")), str(message.get("ReceiptHandle", ""))
    try:
        body = json.loads(message.get("Body", ""))
    except ValueError:
        return DeadLetter(message_id, receipt, None, None, "unknown", "the body is not JSON")
    if not isinstance(body, dict):
        return DeadLetter(message_id, receipt, None, None, "unknown", "the body is not a JSON object")
    attributes = message.get("MessageAttributes", {})
    if isinstance(body.get("requestContext"), dict) and "requestPayload" in body:
        return _from_destination_record(message_id, receipt, body)
    if "TARGET_ARN" in attributes:
        return _from_eventbridge(message_id, receipt, body, attributes)
    return DeadLetter(
        message_id, receipt, None, body, "unknown", "neither a Lambda failure record nor an EventBridge dead letter"
    )


def function_name(arn: str) -> str | None:
    """arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>] -> name."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "lambda" or parts[5] != "function" or not parts[6]:
        return None
    return parts[6]


def _from_destination_record(message_id: str, receipt: str, body: dict[str, Any]) -> DeadLetter:
    context = body["requestContext"]
    function = function_name(str(context.get("functionArn", "")))
    payload = body.get("requestPayload")
    response = body.get("responsePayload")
    error = response.get("errorMessage") if isinstance(response, dict) else response
    reason = f"{context.get('condition', 'failed')}: {error}" if error else str(context.get("condition", "failed"))
    return DeadLetter(
        message_id,
        receipt,
        function,
        payload if isinstance(payload, dict) else None,
        reason,
        _problem(function, payload),
    )


def _from_eventbridge(message_id: str, receipt: str, body: dict[str, Any], attributes: dict[str, Any]) -> DeadLetter:
    def text(name: str) -> str:
        return str(attributes.get(name, {}).get("StringValue", ""))

    function = function_name(text("TARGET_ARN"))
    reason = f"not delivered: {text('ERROR_CODE')} {text('ERROR_MESSAGE')}".strip()
    return DeadLetter(message_id, receipt, function, body, reason, _problem(function, body))


def _problem(function: str | None, payload: Any) -> str | None:
    if function is None:
        return "the failed function is not a Lambda function ARN"
    if not isinstance(payload, dict):
        return "the event is missing or not a JSON object"
    return None
