"""On for both sides (clients, the moto server) unless a test is about what happens without the check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

Side = Literal["client", "server"]
SIDES: tuple[Side, ...] = ("client", "server")
_enabled: dict[Side, bool] = dict.fromkeys(SIDES, True)


def enabled(side: Side) -> bool:
    return _enabled[side]


def reset() -> None:
    _enabled.update(dict.fromkeys(SIDES, True))


@contextmanager
def disabled(*sides: Side) -> Iterator[None]:
    """Requests go unchecked on `sides` (default: both) inside the block; only for a test of that state."""
    before = dict(_enabled)
    _enabled.update(dict.fromkeys(sides or SIDES, False))
    try:
        yield
    finally:
        _enabled.update(before)
