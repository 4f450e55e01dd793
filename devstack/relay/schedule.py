"""Fire the app's @app.schedule handlers on their rates, optionally on a faster clock.

moto's EventBridge keeps schedule rules but never fires them: this puts each scheduled event on its rule's
target (the handler's queue), as EventBridge would, and the dispatcher invokes the handler from there.
Rates are exact; a cron expression fires once per its coarsest repeating unit (minute, hour, day, week),
not at its wall-clock time: enough to exercise a nightly job locally, which is what the local stack is for.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from devstack.relay.wiring import ScheduleRoute
from devstack.resources import ACCOUNT, REGION

UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^rate\((\d+) (minute|hour|day)s?\)$")
_CRON = re.compile(r"^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$")


def period_seconds(expression: str) -> float:
    """rate(5 minutes) -> 300; cron(0 3 * * ? *) -> 86400; ValueError for anything else."""
    if rate := _RATE.match(expression.strip()):
        return int(rate.group(1)) * UNIT_SECONDS[rate.group(2)]
    if cron := _CRON.match(expression.strip()):
        minute, hour, day_of_month, _, day_of_week, _ = cron.groups()
        if minute == "*":
            return 60
        if hour == "*":
            return 3600
        return 86400 if day_of_month in ("*", "?") and day_of_week in ("*", "?") else 7 * 86400
    raise ValueError(f"not a schedule expression: {expression!r}")


def scheduled_event(rule_arn: str, now: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [rule_arn],
        "detail": {},
    }


class Scheduler:
    def __init__(
        self,
        schedules: list[ScheduleRoute],
        rule_arns: Mapping[str, str],
        deliver: Callable[[str, Mapping[str, Any]], object],
        speed: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("the schedule clock speed must be positive")
        self._periods = {s.handler: period_seconds(s.expression) / speed for s in schedules}
        self._rule_arns = rule_arns
        self._deliver = deliver
        self._clock = clock
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="relay-schedules", daemon=True)
        self._due = {handler: clock() + period for handler, period in self._periods.items()}

    def start(self) -> None:
        if self._periods:
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def alive(self) -> bool:
        return not self._periods or self._thread.is_alive()

    def tick(self) -> list[str]:
        """Fire every schedule that is due; returns the handlers fired."""
        now = self._clock()
        fired = [handler for handler, due in self._due.items() if due <= now]
        for handler in fired:
            self._due[handler] = now + self._periods[handler]
            self._deliver(handler, scheduled_event(self._rule_arns.get(handler, ""), datetime.now(UTC)))
        return fired

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.tick()
            self._stopping.wait(max(0.05, min(self._due.values()) - self._clock()))
