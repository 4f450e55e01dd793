"""`shepherd compare GROUP V1 V2`: the seed's comparison done right (any metrics shape, deltas, verdicts)."""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.shared.numbers import exact
from shepherd_cli import exit_codes
from shepherd_cli.comparison import Row, compare, directions
from shepherd_cli.context import get_version, make_container, metrics_of, policy_or_none, positive_int
from shepherd_cli.output import emit_json, table


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("compare", help="compare two versions' metrics")
    parser.add_argument("group")
    parser.add_argument("first", type=positive_int, metavar="V1")
    parser.add_argument("second", type=positive_int, metavar="V2")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=show_comparison)


def show_comparison(args: argparse.Namespace) -> int:
    container = make_container()
    first, second = get_version(container, args.group, args.first), get_version(container, args.group, args.second)
    # The documents themselves, not the gate's snapshot: compare shows every metric the team recorded.
    metrics = metrics_of(container, first, prefer_snapshot=False), metrics_of(container, second, prefer_snapshot=False)
    rows = compare(*metrics, (first.label, second.label), directions(policy_or_none(container, args.group)))
    if args.json:
        emit_json(
            {"group": args.group, "first": first.arn, "second": second.arn, "metrics": [row.__dict__ for row in rows]}
        )
        return exit_codes.OK
    print(f"{args.group}: {first.label} ({first.status}) -> {second.label} ({second.status})")
    print(table(["metric", first.label, second.label, "delta", "change", "verdict"], [_cells(r) for r in rows]))
    return exit_codes.OK


def _cells(row: Row) -> list[str]:
    return [
        row.metric,
        _fmt(row.first),
        _fmt(row.second),
        "" if row.delta is None else ("+" if row.delta >= 0 else "") + exact(row.delta),
        "" if row.change_pct is None else f"{row.change_pct:+.2f}%",
        row.verdict,
    ]


def _fmt(value: float | None) -> str:
    return "-" if value is None else exact(value)
