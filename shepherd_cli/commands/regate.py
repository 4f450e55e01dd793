"""`shepherd regate GROUP VERSION --reason ...`: the gate decides a version in review again.

For after a policy or metrics fix: the gate decides a version once, and this asks it for a second look.
Refused (exit 1, nothing changed) unless the version is PendingManualApproval.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.gate.regate import regate
from chalicelib.shared.errors import RecoveryRefusedError
from shepherd_cli.context import get_version, make_container, positive_int
from shepherd_cli.person_action import add_person_options, answer


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("regate", help="the gate decides a version in review again")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    add_person_options(parser, "who asks", kept="on the version")
    parser.set_defaults(handler=regate_version)


def regate_version(args: argparse.Namespace) -> int:
    container = make_container()
    version = get_version(container, args.group, args.version)  # unknown: exit 3
    actor = f"cli:{args.by or getpass.getuser()}"
    return answer(
        args,
        lambda: regate(version.arn, actor, args.reason, container.gate_deps),
        RecoveryRefusedError,
        "not re-gated",
        lambda result: (
            f"{args.group} {version.label}: re-gated: "
            f"{result.outcome.value if result.outcome else 'nothing decided'} ({'; '.join(result.reasons)})"
        ),
    )
