"""`shepherd replay`: send the events in the dead-letter queue back to the functions that failed on them."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from dataclasses import asdict
from typing import Any

from chalicelib.shared.errors import ConfigurationError
from shepherd_cli import exit_codes
from shepherd_cli.output import emit_json, table
from shepherd_cli.redrive import DELETED, FAILED, KEPT, Invoker, LambdaInvoker, Options, redrive

QUEUE_SETTING = "SHEPHERD_DLQ_URL"


def register(subparsers: Any) -> None:
    replay = subparsers.add_parser(
        "replay",
        help="re-drive dead-lettered events to their handlers",
        description="Each message names the function that failed and carries the full event. Replayed "
        "messages are deleted; any that fail again stay in the queue (and the alarm stays on).",
    )
    replay.add_argument("--queue", help=f"dead-letter queue URL or name (default: ${QUEUE_SETTING})")
    replay.add_argument("--function", help="only dead letters of this function (e.g. model-shepherd-prod-gate)")
    replay.add_argument("--max", type=int, default=100, help="at most this many messages (default 100)")
    replay.add_argument("--dry-run", action="store_true", help="show what would be replayed, change nothing")
    replay.add_argument("--json", action="store_true", help="machine-readable output")
    replay.set_defaults(handler=run)


def run(args: argparse.Namespace, sqs: Any = None, invoker: Invoker | None = None) -> int:
    from chalicelib.adapters.aws import make_client

    sqs = sqs or make_client("sqs")
    queue_url = resolve_queue(sqs, args.queue or os.environ.get(QUEUE_SETTING, ""))
    options = Options(dry_run=args.dry_run, function=args.function, limit=args.max)
    outcomes = redrive(sqs, queue_url, invoker or LambdaInvoker(make_client("lambda")), options)
    totals = Counter(outcome.status for outcome in outcomes)
    if args.json:
        emit_json({"queue": queue_url, "totals": totals, "messages": [asdict(o) for o in outcomes]})
    else:
        rows = [(o.message_id, o.function, o.status, o.detail) for o in outcomes]
        print(table(["message", "function", "status", "detail"], rows) if rows else "the dead-letter queue is empty")
        print(", ".join(f"{count} {status}" for status, count in sorted(totals.items())) or "nothing to do")
    left = totals[FAILED] + totals[KEPT]
    if left and not args.json:
        print(f"{left} left in the queue, {sum(totals[s] for s in DELETED)} removed: fix the cause, then replay again")
    return exit_codes.FAILED if left else exit_codes.OK


def resolve_queue(sqs: Any, queue: str) -> str:
    queue = queue.strip()
    if not queue:
        raise ConfigurationError(f"{QUEUE_SETTING} is not set: pass --queue (the stack output DeadLetterQueueUrl)")
    if "://" in queue:
        return queue
    from botocore.exceptions import ClientError

    try:
        return str(sqs.get_queue_url(QueueName=queue)["QueueUrl"])
    except ClientError as error:
        raise ConfigurationError(f"dead-letter queue {queue!r} not found ({error.response['Error']['Code']})") from None
