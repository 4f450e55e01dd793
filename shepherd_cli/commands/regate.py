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
from shepherd_cli import exit_codes, output
from shepherd_cli.context import get_version, make_container, non_empty, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("regate", help="the gate decides a version in review again")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    parser.add_argument("--reason", type=non_empty, required=True, help="why (kept on the version)")
    parser.add_argument("--by", type=non_empty, default=None, help="who asks (default: your user name)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=regate_version)


def regate_version(args: argparse.Namespace) -> int:
    container = make_container()
    version = get_version(container, args.group, args.version)  # unknown: exit 3
    actor = f"cli:{args.by or getpass.getuser()}"
    try:
        result = regate(version.arn, actor, args.reason, container.gate_deps)
    except RecoveryRefusedError as error:
        output.error(f"not re-gated: {error}")
        return exit_codes.FAILED
    if args.json:
        emit_json(result.as_dict())
    else:
        outcome = result.outcome.value if result.outcome else "nothing decided"
        print(f"{args.group} {version.label}: re-gated: {outcome} ({'; '.join(result.reasons)})")
    return exit_codes.OK
