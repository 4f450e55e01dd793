"""Customers at a steady rate for a window: what a progressive release or a shadow test is judged on.

    python -m devstack.variant_traffic ENDPOINT [--per-second 20] [--seconds 30] [--workers 4]

`window(runtime, endpoint, per_second, seconds)` sends `per_second * seconds` requests, the i-th due at
i / per_second seconds after the start (a few workers, so a slow variant holds up only its own calls;
behind schedule, the next due call goes at once), and tells which variant answered how many
(`InvokedProductionVariant`) and how many failed. The endpoint routes each by its variants' weights and
counts each per variant in CloudWatch (devstack.moto_ext.endpoint_runtime). Reads the stack `make local`
runs (its build/local-stack.env), or whatever AWS_ENDPOINT_URL points at; prints the counts as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from devstack.traffic import SAMPLE


@dataclass(frozen=True)
class Served:
    answered: Mapping[str, int]  # per variant that answered
    failed: int  # refused calls (a ModelError, the endpoint not serving)
    seconds: float  # how long the window really took
    errors: Mapping[str, int] = field(default_factory=dict)  # the failures' error codes

    @property
    def sent(self) -> int:
        return sum(self.answered.values()) + self.failed


def window(
    runtime: Any,
    endpoint: str,
    per_second: float,
    seconds: float,
    body: bytes = SAMPLE,
    workers: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> Served:
    if per_second <= 0 or seconds <= 0 or workers < 1:
        raise ValueError("per_second, seconds and workers must be positive")
    total, started = int(per_second * seconds), time.monotonic()
    numbers, lock = itertools.count(), threading.Lock()
    answered: Counter[str] = Counter()
    errors: Counter[str] = Counter()

    def customer() -> None:
        while (number := next(numbers)) < total:  # itertools.count is atomic under the GIL
            due = started + number / per_second - time.monotonic()
            if due > 0:
                sleep(due)
            outcome = _call(runtime, endpoint, body)
            with lock:
                (answered if outcome[0] else errors)[outcome[1]] += 1

    threads = [threading.Thread(target=customer, name=f"window-{endpoint}-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Served(dict(answered), sum(errors.values()), time.monotonic() - started, dict(errors))


def _call(runtime: Any, endpoint: str, body: bytes) -> tuple[bool, str]:
    """(True, the variant that answered) or (False, the error code)."""
    try:
        answer = runtime.invoke_endpoint(EndpointName=endpoint, Body=body, ContentType="text/csv")
    except ClientError as error:
        return False, str(error.response.get("Error", {}).get("Code", "Unknown"))
    answer["Body"].read()
    return True, str(answer.get("InvokedProductionVariant", ""))


def main(argv: Sequence[str] | None = None) -> int:
    from devstack.environment import aws_client_factory
    from shepherd_cli import local_stack

    parser = argparse.ArgumentParser(prog="python -m devstack.variant_traffic", description=__doc__.split("\n")[0])
    parser.add_argument("endpoint", help="the endpoint the customers call, e.g. fraud-detection-prod")
    parser.add_argument("--per-second", type=float, default=20.0, help="requests a second (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long (default 30)")
    parser.add_argument("--workers", type=int, default=4, help="customers calling at once (default 4)")
    args = parser.parse_args(argv)
    if args.per_second <= 0 or args.seconds <= 0 or args.workers < 1:
        parser.error("--per-second, --seconds and --workers must be positive")
    try:
        local_stack.apply(os.environ, required=not os.environ.get("AWS_ENDPOINT_URL"))
    except local_stack.LocalStackNotFoundError as error:
        print(f"variant_traffic: {error}", file=sys.stderr)
        return 4
    runtime = aws_client_factory(os.environ["AWS_ENDPOINT_URL"])("sagemaker-runtime")
    served = window(runtime, args.endpoint, args.per_second, args.seconds, workers=args.workers)
    print(json.dumps({"answered": served.answered, "failed": served.errors, "seconds": round(served.seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
