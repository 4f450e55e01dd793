"""A group's PAUSED release in `status`: where it paused, why (the analysis's last judgement), and until when."""

from __future__ import annotations

from typing import Any

from chalicelib.release.pause_messages import paused_at
from chalicelib.release.paused import last_judgements
from chalicelib.release.state import GroupState, Stage
from shepherd_cli.reasons import clip

HEADER_REASON_WIDTH = 80


def paused_release(state: GroupState | None) -> dict[str, Any] | None:
    release = state.release if state else None
    if release is None or release.stage is not Stage.PAUSED:
        return None
    judged = last_judgements(release)
    return {
        "version": release.version,
        "paused_at": paused_at(release),
        "last_judgement": judged[-1] if judged else None,
        "rolled_back_at": release.deadline,
    }


def render_paused(paused: dict[str, Any] | None, group: str) -> str:
    if paused is None:
        return ""
    why = clip(paused["last_judgement"] or "no measurement recorded", HEADER_REASON_WIDTH)
    until = paused["rolled_back_at"].strftime("%Y-%m-%d %H:%M")
    return (
        f"PAUSED: v{paused['version']} at {paused['paused_at']}: {why}\n"
        f"  rolled back at {until} UTC unless `shepherd continue {group} --reason ...`"
    )
