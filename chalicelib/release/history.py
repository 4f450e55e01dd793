"""The release history of a group, newest first: what the CLI's `history GROUP` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.release.ports import ReleaseStore
from chalicelib.release.state import HistoryRow


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    served_from: datetime | None  # None: it never served production
    served_to: datetime | None  # None while it still serves
    approved_by: str
    replaced: int | None  # the version it took production from
    outcome: str  # LIVE, FAILED, ROLLED_BACK, SUPERSEDED, ROLLBACK
    reason: str
    arn: str


def history(group: str, store: ReleaseStore) -> list[HistoryEntry]:
    rows = sorted(store.history(group), key=lambda row: row.key, reverse=True)
    return [_entry(row) for row in rows]


def _entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        row.version, row.served_from, row.served_to, row.approved_by, row.replaced, row.outcome, row.reason, row.arn
    )
