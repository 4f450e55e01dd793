"""`shepherd continue GROUP [--version N] --reason ...`: a PAUSED release goes on at the stage it paused at.

A release pauses when its metric analysis found no data too often. Refused (exit 1, nothing changed) when
nothing in the group is PAUSED (or `--version` names another version), its pause ran out, or the version is
no longer Approved. `shepherd rollback GROUP` is the other way out.
"""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib.release.pause import continue_paused
from chalicelib.release.results import Progress
from chalicelib.shared.errors import PauseRefusedError
from shepherd_cli.context import group_arn, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer, cli_actor


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("continue", help="let a PAUSED release go on where it paused")
    parser.add_argument("group")
    parser.add_argument("--version", type=positive_int, default=None, help="only if this version is PAUSED")
    add_person_options(parser, "who continues it")
    parser.set_defaults(handler=continue_release)


def continue_release(args: argparse.Namespace) -> int:
    container = make_container()
    group_arn(container, args.group)  # an unknown group: exit 3
    actor = cli_actor(args)
    return answer(
        args,
        lambda: continue_paused(args.group, args.version, actor, args.reason, container.release_deps),
        PauseRefusedError,
        "not continued",
        lambda result: f"{args.group}: {_what(result)} goes on ({actor}: {args.reason})",
    )


def _what(result: Any) -> str:
    return f"v{result.version} {result.stage.value}" if isinstance(result, Progress) else "the paused release"
