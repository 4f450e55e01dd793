"""Time as the app sees it: the wall clock in UTC, and how long an invocation has left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

LAMBDA_TIME_LIMIT_MS = 15 * 60 * 1000  # outside Lambda (the CLI) a run gets as long as the longest Lambda


@runtime_checkable
class LambdaTimer(Protocol):
    """The part of a Lambda context that tells the time left."""

    def get_remaining_time_in_millis(self) -> int: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def remaining_time(lambda_context: object, clock: Callable[[], datetime]) -> Callable[[], float]:
    """The Lambda context's clock when there is one, else 15 minutes from now."""
    if isinstance(lambda_context, LambdaTimer):
        timer = lambda_context
        return lambda: float(timer.get_remaining_time_in_millis())
    started = clock()
    return lambda: LAMBDA_TIME_LIMIT_MS - (clock() - started).total_seconds() * 1000
