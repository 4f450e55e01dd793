"""Schedule expressions as the local scheduler reads them."""

from __future__ import annotations

import pytest

from devstack.relay.schedule import Scheduler, period_seconds


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("cron(* * * * ? *)", 60),
        ("cron(15 * * * ? *)", 3600),
        ("cron(0 3 * * ? *)", 86400),
        ("cron(0 3 ? * MON *)", 604800),
    ],
)
def test_period_of_each_expression(expression: str, seconds: float) -> None:
    assert period_seconds(expression) == seconds


@pytest.mark.parametrize("expression", ["rate(5 fortnights)", "every day", "cron(0 3 * *)", ""])
def test_unknown_expressions_are_refused(expression: str) -> None:
    with pytest.raises(ValueError, match="not a schedule expression"):
        period_seconds(expression)


def test_clock_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Scheduler([], {}, lambda handler, event: None, speed=0)
