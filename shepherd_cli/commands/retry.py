"""`shepherd retry GROUP VERSION --reason ...`: release again an Approved version whose release FAILED.

For after its cause is fixed (a quota raised, an image rebuilt): a replayed Approved event never restarts
a failed release. Refused (exit 1, nothing changed) unless the version's last release FAILED, it is still
Approved, and nothing is in flight.
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.release.retry import retry
from chalicelib.shared.errors import RecoveryRefusedError
from shepherd_cli.context import group_arn, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer, cli_actor


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("retry", help="release again an Approved version whose release failed")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    add_person_options(parser, "who retries")
    parser.set_defaults(handler=retry_release)


def retry_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = cli_actor(args)
    return answer(
        args,
        lambda: retry(args.group, args.version, actor, args.reason, container.release_deps),
        RecoveryRefusedError,
        "not retried",
        lambda _: f"{args.group} v{args.version}: released again ({actor}: {args.reason})",
    )
