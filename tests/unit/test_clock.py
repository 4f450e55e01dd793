"""How long an invocation has left: the Lambda's own clock, else 15 minutes from the start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.shared.clock import LAMBDA_TIME_LIMIT_MS, remaining_time

START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class LambdaContext:
    def get_remaining_time_in_millis(self) -> int:
        return 4_000


def test_inside_lambda_the_time_left_is_the_contexts() -> None:
    assert remaining_time(LambdaContext(), lambda: START)() == 4_000


def test_outside_lambda_a_run_gets_as_long_as_the_longest_lambda() -> None:
    now = [START]
    left = remaining_time(None, lambda: now[0])
    assert left() == LAMBDA_TIME_LIMIT_MS
    now[0] = START + timedelta(minutes=14)
    assert left() == 60_000
