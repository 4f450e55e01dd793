"""The release history of a group, newest event first: what the CLI's `history GROUP` and the report show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.release.awaiting import PROMOTED
from chalicelib.release.paused import CONTINUED
from chalicelib.release.ports import ReleaseStore
from chalicelib.release.retry import RETRY
from chalicelib.release.state import HistoryRow


@dataclass(frozen=True)
class History:
    group: str
    rows: tuple[HistoryRow, ...]  # newest event first

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "history": [_as_dict(row) for row in self.rows]}


def history(group: str, store: ReleaseStore) -> History:
    return History(group, tuple(sorted(store.history(group), key=_happened, reverse=True)))


def _happened(row: HistoryRow) -> tuple[datetime, int, str]:
    """When the row's event happened: a release's key is its start, before the person's act that led on."""
    started = datetime.fromisoformat(row.key.split("#", 1)[0])
    # In one second a promotion or retry follows the end it answers and comes before the serving it leads to.
    order = 2 if row.served_from else 1 if row.outcome in _ACTS else 0
    return row.served_from or row.ended_at or started, order, row.key


_ACTS = frozenset({PROMOTED, RETRY, CONTINUED})


def _as_dict(row: HistoryRow) -> dict[str, Any]:
    # The row without its storage key; times stay datetimes for the caller's JSON encoder to write.
    return {
        "version": row.version,
        "served_from": row.served_from,
        "served_to": row.served_to,
        "approved_by": row.approved_by,
        "replaced": row.replaced,
        "outcome": row.outcome,
        "reason": row.reason,
        "arn": row.arn,
    }
