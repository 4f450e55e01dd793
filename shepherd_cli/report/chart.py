"""One metric over the group's versions, against the policy's floor and bar: an inline SVG, no script.

Pure: numbers in, SVG text out. Every piece of text is escaped (metric names come from users' documents).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from chalicelib.shared.numbers import exact
from shepherd_cli.report.model import Bar, VersionPoint

WIDTH, HEIGHT = 460, 200
LEFT, RIGHT, TOP, BOTTOM = 52, 110, 16, 30
STATUS_COLOURS = {"Approved": "#1e8449", "Rejected": "#c0392b", "PendingManualApproval": "#b9770e"}
BAR_COLOURS = {"floor": "#c0392b", "bar": "#1e8449"}


def metric_chart(metric: str, versions: Sequence[VersionPoint], bars: Sequence[Bar]) -> str:
    values = [v.metrics[metric] for v in versions if metric in v.metrics]
    low, high = _range([*values, *(bar.limit for bar in bars)])
    step = (WIDTH - LEFT - RIGHT) / max(len(versions) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step if len(versions) > 1 else (LEFT + WIDTH - RIGHT) / 2

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    parts = [_axes(low, high, y), *(_bar_line(bar, y) for bar in bars)]
    points = [(x(i), y(v.metrics[metric]), v) for i, v in enumerate(versions) if metric in v.metrics]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        parts.append(f'<polyline class="series" points="{path}" fill="none" stroke="#2c3e50" stroke-width="2"/>')
    for px, py, version in points:
        colour = STATUS_COLOURS.get(version.status, "#7f8c8d")
        tip = f"v{version.version}: {metric} {exact(version.metrics[metric])} ({version.status})"
        parts.append(
            f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts += [
        f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" text-anchor="middle" class="tick">v{v.version}</text>'
        for i, v in enumerate(versions)
    ]
    title = escape(metric)
    return (
        f'<svg class="chart" role="img" aria-label="{title} by version" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>{title} by version</title>'
        + "".join(parts)
        + "</svg>"
    )


def _range(numbers: Sequence[float]) -> tuple[float, float]:
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    return low - pad, high + pad


def _axes(low: float, high: float, y: Callable[[float], float]) -> str:
    ticks = [low + (high - low) * share for share in (0.1, 0.5, 0.9)]
    lines = [f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#95a5a6"/>']
    for tick in ticks:
        row = y(tick)
        lines.append(
            f'<text x="{LEFT - 6}" y="{row + 4:.1f}" text-anchor="end" class="tick">{escape(_short(tick))}</text>'
        )
    return "".join(lines)


def _bar_line(bar: Bar, y: Callable[[float], float]) -> str:
    row = y(bar.limit)
    colour = BAR_COLOURS.get(bar.stage, "#7f8c8d")
    label = f"{bar.stage} {bar.symbol} {exact(bar.limit)}"
    return (
        f'<g class="limit {escape(bar.stage)}"><line x1="{LEFT}" y1="{row:.1f}" x2="{WIDTH - RIGHT + 8}" '
        f'y2="{row:.1f}" stroke="{colour}" stroke-dasharray="5 4" stroke-width="1.5"/>'
        f'<text x="{WIDTH - RIGHT + 12}" y="{row + 4:.1f}" class="limit-label" fill="{colour}">'
        f"{escape(label)}</text></g>"
    )


def _short(value: float) -> str:
    return f"{value:.3g}"
