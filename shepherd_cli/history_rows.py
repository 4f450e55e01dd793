"""A history row in words, the same in `shepherd history` and the report: a hook's row names its hook, and a
person's act or a hook's answer (rows that end nothing) shows no approver: its reason names who."""

from __future__ import annotations

from chalicelib.hooks.record import HOOK_NAMES, HOOK_ROW
from chalicelib.release.awaiting import PROMOTED
from chalicelib.release.paused import CONTINUED
from chalicelib.release.retry import RETRY
from chalicelib.release.state import HistoryRow

ACTS = frozenset({RETRY, PROMOTED, CONTINUED, HOOK_ROW})


def outcome_and_reason(row: HistoryRow) -> tuple[str, str]:
    """("HOOK pre_rollout", "proceed in 0.3 s") for a hook's row; else the row's own."""
    hook, _, rest = row.reason.partition(" ")
    if row.outcome == HOOK_ROW and hook in HOOK_NAMES:
        return f"{HOOK_ROW} {hook}", rest
    return row.outcome, row.reason


def approver(row: HistoryRow) -> str:
    return "" if row.outcome in ACTS else row.approved_by
