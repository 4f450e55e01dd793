"""`shepherd promote GROUP VERSION --reason ...`: send the release awaiting promotion on to production.

For groups whose policy says `release.promotion: {"mode": "manual"}`. Refused (exit 1, nothing changed)
unless VERSION awaits promotion, has not expired, and is still Approved.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.release.promotion import promote
from chalicelib.shared.errors import PromotionRefusedError
from shepherd_cli import exit_codes, output
from shepherd_cli.context import group_arn, make_container, non_empty, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("promote", help="send the release awaiting promotion on to production")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    parser.add_argument("--reason", type=non_empty, required=True, help="why (kept in the history)")
    parser.add_argument("--by", type=non_empty, default=None, help="who promotes (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=promote_release)


def promote_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = f"{args.by or getpass.getuser()} (shepherd CLI)"
    try:
        result = promote(args.group, args.version, actor, args.reason, container.release_deps)
    except PromotionRefusedError as error:
        output.error(f"not promoted: {error}")
        return exit_codes.FAILED
    if args.json:
        emit_json(result.as_dict())
    else:
        print(f"{args.group} v{args.version}: promoted to production ({actor}: {args.reason})")
    return exit_codes.OK
