"""`shepherd history GROUP`: who approved what, when it went live, what it replaced, how each release ended."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from chalicelib.release.history import History, history
from chalicelib.release.state import HistoryRow
from shepherd_cli import exit_codes
from shepherd_cli.context import group_arn, make_container
from shepherd_cli.history_rows import approver, outcome_and_reason
from shepherd_cli.output import emit_json, table
from shepherd_cli.reasons import short_reason


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("history", help="the production history of a group, newest first")
    parser.add_argument("group")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=show_history)


def show_history(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group is an error (exit 3), not an empty history
    found = history(args.group, container.release_store)
    if args.json:
        emit_json(found.as_dict())
    else:
        print(render(found))
    return exit_codes.OK


def render(found: History) -> str:
    if not found.rows:
        return f"{found.group}: no release yet"
    rows = [
        [
            f"v{e.version}",
            outcome_and_reason(e)[0],
            _when(e.served_from),
            _until(e),
            approver(e),
            f"v{e.replaced}" if e.replaced else "",
            short_reason(outcome_and_reason(e)[1]),
        ]
        for e in found.rows
    ]
    return f"{found.group}: production history, newest first\n" + table(
        ["version", "outcome", "served from", "served to", "approved by", "replaced", "reason"], rows
    )


def _until(entry: HistoryRow) -> str:
    if entry.served_from is None:
        return ""  # never served
    return _when(entry.served_to) if entry.served_to else "now"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""
