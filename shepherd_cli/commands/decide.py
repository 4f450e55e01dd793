"""`shepherd approve|reject GROUP VERSION --reason ...`: a person's decision, recorded with who and why."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from chalicelib.shared.decision_record import METADATA_VALUE_LIMIT, truncate
from chalicelib.shared.model_version import APPROVED, REJECTED
from chalicelib.slack.replies import DECIDED_BY_KEY
from shepherd_cli import exit_codes
from shepherd_cli.context import get_version, make_container, non_empty, positive_int

DESCRIPTION_LIMIT = 1024  # SageMaker's ApprovalDescription
STATUS = {"approve": APPROVED, "reject": REJECTED}


def register(subparsers: Any) -> None:
    for action, status in STATUS.items():
        parser = subparsers.add_parser(action, help=f"set a version {status}, saying who and why")
        parser.add_argument("group")
        parser.add_argument("version", type=positive_int)
        parser.add_argument("--reason", type=non_empty, required=True, help="why (kept in ApprovalDescription)")
        parser.add_argument("--by", type=non_empty, default=None, help="who decides (default: your user name)")
        parser.set_defaults(handler=decide, status=status)


def decide(args: argparse.Namespace) -> int:
    container = make_container()
    version = get_version(container, args.group, args.version)
    if version.status == args.status:
        print(f"{args.group} {version.label} is already {args.status}: nothing changed")
        return exit_codes.OK
    if args.status == REJECTED and version.arn == container.live_versions.live_arn(args.group):
        print(f"shepherd: {args.group} {version.label} is LIVE: roll back first, then reject it")
        return exit_codes.FAILED
    actor = args.by or getpass.getuser()
    description = truncate(f"{args.status} by {actor} (shepherd CLI): {args.reason}", DESCRIPTION_LIMIT)
    # The team's metadata goes back unchanged (UpdateModelPackage must not lose it), plus who decided,
    # as Slack decisions record it: the release history names them.
    metadata = {**version.metadata, DECIDED_BY_KEY: truncate(f"cli:{actor}", METADATA_VALUE_LIMIT)}
    container.registry.record_decision(version, args.status, description, metadata)
    print(f"{args.group} {version.label}: {version.status} -> {args.status} ({description})")
    return exit_codes.OK
