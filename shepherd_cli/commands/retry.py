"""`shepherd retry GROUP VERSION --reason ...`: release again an Approved version whose release FAILED.

For after its cause is fixed (a quota raised, an image rebuilt): a replayed Approved event never restarts
a failed release. Refused (exit 1, nothing changed) unless the version's last release FAILED, it is still
Approved, and nothing is in flight.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.release.retry import retry
from chalicelib.shared.errors import RecoveryRefusedError
from shepherd_cli import exit_codes, output
from shepherd_cli.context import group_arn, make_container, non_empty, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("retry", help="release again an Approved version whose release failed")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    parser.add_argument("--reason", type=non_empty, required=True, help="why (kept in the history)")
    parser.add_argument("--by", type=non_empty, default=None, help="who retries (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=retry_release)


def retry_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = f"{args.by or getpass.getuser()} (shepherd CLI)"
    try:
        result = retry(args.group, args.version, actor, args.reason, container.release_deps)
    except RecoveryRefusedError as error:
        output.error(f"not retried: {error}")
        return exit_codes.FAILED
    if args.json:
        emit_json(result.as_dict())
    else:
        print(f"{args.group} v{args.version}: released again ({actor}: {args.reason})")
    return exit_codes.OK
