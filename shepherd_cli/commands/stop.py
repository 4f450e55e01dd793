"""`shepherd stop GROUP --reason ...`: end the release awaiting promotion; production is untouched.

Refused (exit 1, nothing changed) when nothing in the group awaits promotion (or `--version` names
another version than the one that does).
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.release.promotion import stop
from chalicelib.shared.errors import PromotionRefusedError
from shepherd_cli import exit_codes, output
from shepherd_cli.context import group_arn, make_container, non_empty, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("stop", help="stop the release awaiting promotion (production untouched)")
    parser.add_argument("group")
    parser.add_argument("--reason", type=non_empty, required=True, help="why (kept in the history)")
    parser.add_argument("--version", type=positive_int, default=None, help="only if this version awaits")
    parser.add_argument("--by", type=non_empty, default=None, help="who stops it (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=stop_release)


def stop_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = f"{args.by or getpass.getuser()} (shepherd CLI)"
    try:
        result = stop(args.group, args.version, actor, args.reason, container.release_deps)
    except PromotionRefusedError as error:
        output.error(f"not stopped: {error}")
        return exit_codes.FAILED
    if args.json:
        emit_json(result.as_dict())
    else:
        print(f"{args.group}: stopped before production ({actor}: {args.reason})")
    return exit_codes.OK
