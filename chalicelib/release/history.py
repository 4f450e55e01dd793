"""The release history of a group, newest first: what the CLI's `history GROUP` shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.release.ports import ReleaseStore
from chalicelib.release.state import HistoryRow


@dataclass(frozen=True)
class History:
    group: str
    rows: tuple[HistoryRow, ...]  # newest first

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "history": [_as_dict(row) for row in self.rows]}


def history(group: str, store: ReleaseStore) -> History:
    return History(group, tuple(sorted(store.history(group), key=lambda row: row.key, reverse=True)))


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
