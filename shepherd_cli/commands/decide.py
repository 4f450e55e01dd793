"""`shepherd approve|reject GROUP VERSION --reason ...`: a person's decision, recorded with who and why."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from chalicelib.shared import decision_record as record
from chalicelib.shared.model_version import APPROVED, REJECTED
from chalicelib.slack.modal import MAX_REASON
from shepherd_cli import exit_codes, output
from shepherd_cli.context import get_version, make_container, non_empty, positive_int, reason

STATUS = {"approve": APPROVED, "reject": REJECTED}


def register(subparsers: Any) -> None:
    for action, status in STATUS.items():
        parser = subparsers.add_parser(action, help=f"set a version {status}, saying who and why")
        parser.add_argument("group")
        parser.add_argument("version", type=positive_int)
        why = f"why, at most {MAX_REASON} characters (kept in ApprovalDescription)"
        parser.add_argument("--reason", type=reason, required=True, help=why)
        parser.add_argument("--by", type=non_empty, default=None, help="who decides (default: your user name)")
        parser.set_defaults(handler=decide, status=status)


def decide(args: argparse.Namespace) -> int:
    container = make_container()
    version = get_version(container, args.group, args.version)
    if version.status == args.status:
        print(f"{args.group} {version.label} is already {args.status}: nothing changed")
        return exit_codes.OK
    # Only a rejection can be refused: an approval needs no read of the release engine's state.
    live_arn = container.live_versions.live_arn(args.group) if args.status == REJECTED else None
    refused = record.refusal(version, args.status, live_arn)
    if refused:
        output.error(refused)
        return exit_codes.FAILED
    actor = args.by or getpass.getuser()
    description = record.cli_description(args.status, actor, args.reason)
    update = record.decided_by_metadata(version.metadata, f"cli:{actor}")
    container.registry.record_decision(version, args.status, description, update.metadata)
    print(f"{args.group} {version.label}: {version.status} -> {args.status} ({description})")
    if update.left_out:  # the team's keys fill the package: the description is the record of who decided
        print(f"note: {record.no_room_note(update.left_out)}; the approval description names you", file=sys.stderr)
    return exit_codes.OK
