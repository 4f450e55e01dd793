"""`shepherd rollback GROUP [--to VERSION] --reason ...`: production back to the previous good (or a named) version.

The same service as Slack's Roll back button; refused (exit 1, nothing changed) when there is no target,
the target is already live or not Approved, or production is mid-update.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.release.rollback import rollback
from chalicelib.shared.errors import ProductionBusyError, RollbackError
from shepherd_cli import exit_codes, output
from shepherd_cli.context import group_arn, make_container, non_empty, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rollback", help="production back to the previous good (or a named) version")
    parser.add_argument("group")
    parser.add_argument(
        "--to",
        dest="to_version",
        type=positive_int,
        default=None,
        help="the version to serve (default: the previous good one)",
    )
    parser.add_argument("--reason", type=non_empty, required=True, help="why (kept in the history)")
    parser.add_argument("--by", type=non_empty, default=None, help="who rolls back (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=roll_back)


def roll_back(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = f"{args.by or getpass.getuser()} (shepherd CLI)"
    try:
        result = rollback(args.group, args.to_version, actor, args.reason, container.release_deps)
    except (RollbackError, ProductionBusyError) as error:
        output.error(f"not rolled back: {error}")
        return exit_codes.FAILED
    if args.json:
        emit_json(result.as_dict())
    else:
        came_from = f"v{result.from_version}" if result.from_version else "nothing"
        print(f"{args.group}: production goes from {came_from} back to v{result.to_version} ({actor}: {args.reason})")
    return exit_codes.OK
