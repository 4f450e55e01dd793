"""Which version served production when: one lane per release that served, newest on top (inline SVG).

Pure: history rows in, SVG text out; every label escaped (approvers and reasons come from people).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from chalicelib.release.state import HistoryRow

WIDTH, LANE, LEFT, RIGHT, TOP = 900, 30, 70, 20, 10
OUTCOME_COLOURS = {
    "LIVE": "#1e8449",
    "SUPERSEDED": "#7f8c8d",
    "ROLLED_BACK": "#c0392b",
    "ROLLBACK": "#2471a3",
    "FAILED": "#c0392b",
    "RETRY": "#b9770e",
}


def timeline(rows: Sequence[HistoryRow], now: datetime) -> str:
    served = [row for row in rows if row.served_from is not None]
    if not served:
        return '<p class="empty">Nothing has served production yet.</p>'
    start = min(row.served_from for row in served if row.served_from is not None)
    span = max((now - start).total_seconds(), 1.0)
    height = TOP + LANE * len(served) + 30

    def x(moment: datetime) -> float:
        return LEFT + (moment - start).total_seconds() / span * (WIDTH - LEFT - RIGHT)

    parts = []
    for lane, row in enumerate(served):
        top = TOP + lane * LANE
        began = row.served_from or start  # every lane served: the filter above
        left, right = x(began), x(row.served_to or now)
        colour = OUTCOME_COLOURS.get(row.outcome, "#7f8c8d")
        until = _when(row.served_to) if row.served_to else "now"
        tip = f"v{row.version} {row.outcome}: {_when(began)} to {until}, approved by {row.approved_by}"
        if row.reason:
            tip += f"; {row.reason}"
        parts.append(
            f'<g class="lane"><text x="{LEFT - 8}" y="{top + 19}" text-anchor="end" class="lane-label">'
            f"v{row.version}</text>"
            f'<rect class="served {escape(row.outcome.lower())}" x="{left:.1f}" y="{top + 5}" '
            f'width="{max(right - left, 3):.1f}" height="{LANE - 10}" rx="4" fill="{colour}">'
            f"<title>{escape(tip)}</title></rect>"
            f'<text x="{left + 6:.1f}" y="{top + 19}" class="bar-label">{escape(row.outcome)}</text></g>'
        )
    axis = TOP + LANE * len(served) + 16
    parts.append(f'<text x="{LEFT}" y="{axis}" class="tick">{escape(_when(start))}</text>')
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{axis}" text-anchor="end" class="tick">now ({escape(_when(now))})</text>'
    )
    return (
        f'<svg class="timeline" role="img" aria-label="production timeline" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">' + "".join(parts) + "</svg>"
    )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""
