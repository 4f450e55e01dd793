"""`shepherd promote GROUP VERSION --reason ...`: send the release awaiting promotion on to production.

For groups whose policy says `release.promotion: {"mode": "manual"}`. Refused (exit 1, nothing changed)
unless VERSION awaits promotion, has not expired, and is still Approved.
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.release.promotion import promote
from chalicelib.shared.errors import PromotionRefusedError
from shepherd_cli.context import group_arn, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer, cli_actor


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("promote", help="send the release awaiting promotion on to production")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    add_person_options(parser, "who promotes")
    parser.set_defaults(handler=promote_release)


def promote_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = cli_actor(args)
    return answer(
        args,
        lambda: promote(args.group, args.version, actor, args.reason, container.release_deps),
        PromotionRefusedError,
        "not promoted",
        lambda _: f"{args.group} v{args.version}: promoted to production ({actor}: {args.reason})",
    )
