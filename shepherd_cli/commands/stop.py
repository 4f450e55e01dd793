"""`shepherd stop GROUP --reason ...`: end the release awaiting promotion; production is untouched.

Refused (exit 1, nothing changed) when nothing in the group awaits promotion (or `--version` names
another version than the one that does).
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.release.promotion import stop
from chalicelib.shared.errors import PromotionRefusedError
from shepherd_cli.context import group_arn, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer, cli_actor


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("stop", help="stop the release awaiting promotion (production untouched)")
    parser.add_argument("group")
    parser.add_argument("--version", type=positive_int, default=None, help="only if this version awaits")
    add_person_options(parser, "who stops it")
    parser.set_defaults(handler=stop_release)


def stop_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = cli_actor(args)
    return answer(
        args,
        lambda: stop(args.group, args.version, actor, args.reason, container.release_deps),
        PromotionRefusedError,
        "not stopped",
        lambda _: f"{args.group}: stopped before production ({actor}: {args.reason})",
    )
