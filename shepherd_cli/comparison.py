"""Compare two versions' metrics: deltas, and better or worse in the direction the policy says.

Pure: metrics in, rows out. A metric's direction comes from the policy's champion margins first
(they say which way is better), then its bounds (a minimum means higher is better, a maximum lower).
A metric the policy does not name has no direction: its change is shown, never judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from chalicelib.shared.numbers import as_written, computed
from chalicelib.shared.policy import Policy

HIGHER, LOWER = "higher", "lower"
LOWER_BOUNDS = ("minimum", "exclusiveMinimum")


@dataclass(frozen=True)
class Row:
    metric: str
    first: float | None
    second: float | None
    delta: float | None
    change_pct: float | None
    verdict: str  # better, worse, same, changed (no direction), only in vN


def directions(policy: Policy | None) -> dict[str, str]:
    if policy is None:
        return {}
    found: dict[str, str] = {}
    for bound in (*policy.floors.bounds, *policy.approval.bounds):
        found[bound.metric] = HIGHER if bound.keyword in LOWER_BOUNDS else LOWER
    for margin in policy.margins:
        found[margin.metric] = margin.better
    return found


def compare(
    first: Mapping[str, float], second: Mapping[str, float], labels: tuple[str, str], direction: Mapping[str, str]
) -> list[Row]:
    ranked = sorted(first.keys() | second.keys(), key=lambda name: (name not in direction, name))
    return [_row(name, first.get(name), second.get(name), labels, direction.get(name)) for name in ranked]


def _row(name: str, a: float | None, b: float | None, labels: tuple[str, str], better: str | None) -> Row:
    if a is None or b is None:
        return Row(name, a, b, None, None, f"only in {labels[1] if a is None else labels[0]}")
    # In decimal on the numbers as written: 0.94 -> 0.98 is +0.04, not +0.040000000000000036.
    delta = as_written(b) - as_written(a)
    change = None if a == 0 else float(computed(delta / abs(as_written(a)) * 100))
    return Row(name, a, b, float(delta), change, _verdict(delta, better))


def _verdict(delta: Decimal, better: str | None) -> str:
    if delta == 0:
        return "same"
    if better is None:
        return "changed"
    return "better" if (delta > 0) == (better == HIGHER) else "worse"
