"""Schedule expressions (EventBridge `rate(...)` / `cron(...)`), checked before Chalice packages them."""

from __future__ import annotations

import re

from chalicelib.shared.errors import ConfigurationError

DEFAULT_CLEANUP_SCHEDULE = "rate(1 day)"
_RATE = re.compile(r"^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$")
_CRON = re.compile(r"^cron\(\S+( \S+){5}\)$")  # six fields: minutes hours day-of-month month day-of-week year


def schedule_expression(value: str | None, default: str = DEFAULT_CLEANUP_SCHEDULE) -> str:
    expression = (value or "").strip() or default
    if not (_RATE.match(expression) or _CRON.match(expression)):
        raise ConfigurationError(
            f"not an EventBridge schedule expression: {expression!r} (e.g. 'rate(1 day)', 'rate(6 hours)', "
            "'cron(0 3 * * ? *)')"
        )
    return expression
