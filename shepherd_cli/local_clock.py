"""The local stack's one clock, shared by the app, its metrics and whoever acts on the stack from outside.

A metric analysis judges per-minute samples and a release step holds for minutes: at real speed a demo of
it takes an hour. The local stack can run its time axis faster (`--app-clock-speed 60`: a minute of app
time is a second of real time): the release engine's clock and the timestamps of the endpoints' metrics
both read this clock, so a window the engine judges holds the datapoints the traffic in it produced. The
values stay real (an injected 30 ms is 30 ms); only the time axis is squeezed.

The stack exports it as SHEPHERD_LOCAL_CLOCK (`ORIGIN@SPEED`): the moment it started, in real UTC, and its
speed. `shepherd` against the stack runs on the same clock (a Continue's new deadline in app time), and so
can a test or a script reading the stack's metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

VARIABLE = "SHEPHERD_LOCAL_CLOCK"


def real_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LocalClock:
    origin: datetime  # the real moment both axes agree on (aware, UTC)
    speed: float = 1.0  # app seconds per real second
    real: Callable[[], datetime] = field(default=real_now, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.speed > 0 or self.origin.tzinfo is None:
            raise ValueError("a local clock needs a positive speed and an aware origin")

    def now(self) -> datetime:
        return self.origin + (self.real() - self.origin) * self.speed

    def real_seconds(self, app_seconds: float) -> float:
        """How long a span of app time takes in real time."""
        return app_seconds / self.speed

    def exported(self) -> dict[str, str]:
        return {VARIABLE: f"{self.origin.isoformat()}@{self.speed:g}"}


def started_now(speed: float) -> LocalClock:
    return LocalClock(real_now(), speed)


def from_environment(environment: Mapping[str, str]) -> LocalClock | None:
    """The stack's clock as it exported it; None when it exported none or runs at real speed."""
    text = environment.get(VARIABLE, "")
    if not text:
        return None
    origin, _, speed = text.rpartition("@")
    try:
        clock = LocalClock(datetime.fromisoformat(origin), float(speed))
    except ValueError:
        raise ValueError(f"{VARIABLE} must be ORIGIN@SPEED (an ISO time and a positive number), not {text!r}") from None
    return None if clock.speed == 1 else clock
