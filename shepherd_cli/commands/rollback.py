"""`shepherd rollback GROUP [--to VERSION] --reason ...`: production back to the previous good (or a named) version.

The same service as Slack's Roll back button; refused (exit 1, nothing changed) when there is no target,
the target is already live or not Approved, or production is mid-update.
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.release.rollback import rollback
from chalicelib.shared.errors import ProductionBusyError, RollbackError
from shepherd_cli.context import group_arn, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer, cli_actor


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
    add_person_options(parser, "who rolls back")
    parser.set_defaults(handler=roll_back)


def roll_back(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = cli_actor(args)
    return answer(
        args,
        lambda: rollback(args.group, args.to_version, actor, args.reason, container.release_deps),
        (RollbackError, ProductionBusyError),
        "not rolled back",
        lambda result: (
            f"{args.group}: production goes from {f'v{result.from_version}' if result.from_version else 'nothing'}"
            f" back to v{result.to_version} ({actor}: {args.reason})"
        ),
    )
