"""The EventArrivals port: when an endpoint event from each account last arrived, and whether the reconciler
suspects that account's events no longer do (its forwarding rule to the app's bus is broken)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Arrivals:
    heard_at: datetime | None = None  # the newest endpoint event from the account, as we received it
    suspected_at: datetime | None = None  # when the reconciler last found a change that sent no event

    @property
    def suspect(self) -> bool:
        """Suspected, and no event has arrived since."""
        return self.suspected_at is not None and (self.heard_at is None or self.heard_at < self.suspected_at)


class EventArrivals(Protocol):
    def heard(self, account: str, at: datetime) -> None:
        """An event from `account` arrived at `at` (never moves the mark back: events come out of order)."""
        ...

    def load(self, account: str) -> Arrivals: ...

    def suspect(self, account: str, at: datetime) -> bool:
        """Record the suspicion; True only when it is new (not suspected, or an event arrived since)."""
        ...
