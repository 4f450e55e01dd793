"""Re-drive dead letters to the function that failed on them; delete only what succeeded.

A message is taken (made invisible) while it is handled and put back (visible again) at the end
unless its event was replayed: a replay that fails again leaves it where it was, with the alarm on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from shepherd_cli.dead_letters import DeadLetter, parse

REPLAYED, DUPLICATE, FAILED, KEPT, SKIPPED, WOULD_REPLAY = (
    "replayed",
    "duplicate",
    "failed",
    "kept",
    "skipped",
    "would replay",
)
DELETED = frozenset({REPLAYED, DUPLICATE})


class Invoker(Protocol):
    def invoke(self, function: str, payload: dict[str, Any]) -> str | None:
        """Run the function on the event and wait; None when it succeeded, else what went wrong."""


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    function: str | None = None  # only this function's dead letters
    limit: int = 100
    visibility_seconds: int = 300  # longer than a replay takes: no one else picks the message meanwhile
    wait_seconds: int = 1  # long polling: short polls may miss messages on some SQS hosts


@dataclass(frozen=True)
class Outcome:
    message_id: str
    function: str | None
    status: str
    detail: str


def redrive(sqs: Any, queue_url: str, invoker: Invoker, options: Options) -> list[Outcome]:
    outcomes: list[Outcome] = []
    held: list[DeadLetter] = []
    replayed: dict[str, str] = {}  # replay key -> the message whose replay succeeded (or would)
    try:
        for letter in _receive(sqs, queue_url, options):
            outcome = _handle(letter, invoker, options, replayed)
            outcomes.append(outcome)
            if outcome.status in DELETED:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=letter.receipt_handle)
            else:
                held.append(letter)
    finally:
        for letter in held:  # back in the queue now, not after the visibility timeout
            sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=letter.receipt_handle, VisibilityTimeout=0)
    return outcomes


def _handle(letter: DeadLetter, invoker: Invoker, options: Options, replayed: dict[str, str]) -> Outcome:
    def outcome(status: str, detail: str) -> Outcome:
        return Outcome(letter.message_id, letter.function, status, detail)

    if options.function and letter.function != options.function:
        return outcome(SKIPPED, f"for {letter.function}")
    if letter.problem or letter.function is None or letter.payload is None:
        return outcome(KEPT, letter.problem or "cannot be replayed")
    key = letter.replay_key
    if key in replayed:
        # Same event twice in the queue: once is enough (handlers are idempotent; this saves a call).
        return outcome(KEPT if options.dry_run else DUPLICATE, f"same event as message {replayed[key]}")
    if options.dry_run:
        replayed[key] = letter.message_id
        return outcome(WOULD_REPLAY, letter.reason)
    error = invoker.invoke(letter.function, letter.payload)
    if error is not None:
        return outcome(FAILED, error)
    replayed[key] = letter.message_id
    return outcome(REPLAYED, letter.reason)


def _receive(sqs: Any, queue_url: str, options: Options) -> Iterator[DeadLetter]:
    taken = 0
    while taken < options.limit:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(10, options.limit - taken),
            VisibilityTimeout=options.visibility_seconds,
            WaitTimeSeconds=options.wait_seconds,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            return
        for message in batch:
            taken += 1
            yield parse(message)


class LambdaInvoker:
    """Invokes the deployed function synchronously, so a failure is known before the message goes."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def invoke(self, function: str, payload: dict[str, Any]) -> str | None:
        from botocore.exceptions import ClientError

        from chalicelib.adapters.aws import error_code, error_message

        try:
            response = self._client.invoke(
                FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(payload).encode()
            )
        except ClientError as error:  # throttled past the client's retries, missing function, no permission
            return f"{error_code(error)}: {error_message(error)}"
        if response.get("FunctionError"):
            return f"{response['FunctionError']}: {_error_message(response['Payload'].read())}"
        return None


def _error_message(raw: bytes) -> str:
    try:
        body = json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")[:500]
    return str(body.get("errorMessage", body))[:500] if isinstance(body, dict) else str(body)[:500]
