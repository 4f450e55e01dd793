"""How a group's last release ended, when it failed: `status` says so in its header and marks the version."""

from __future__ import annotations

from typing import Any

from chalicelib.release.state import GroupState, Stage
from shepherd_cli.reasons import short_reason

FAILED_ROLE = "FAILED (last release)"
HEADER_REASON_WIDTH = 80


def failed_release(state: GroupState | None) -> dict[str, Any] | None:
    """The last release when it failed (later releases replace it in the state, so it is the newest)."""
    release = state.release if state else None
    if release is None or release.stage is not Stage.FAILED:
        return None
    return {
        "version": release.version,
        "arn": release.arn,
        "stage_reached": release.reached or None,  # releases that ended before it was recorded: unknown
        "reason": release.reason,
        "ended_at": release.ended_at,
    }


def render_failed(failed: dict[str, Any] | None) -> str:
    if failed is None:
        return ""
    reached = f" at {failed['stage_reached']}" if failed["stage_reached"] else ""
    why = short_reason(failed["reason"], HEADER_REASON_WIDTH)
    return f"last release: v{failed['version']} FAILED{reached}: {why}"
