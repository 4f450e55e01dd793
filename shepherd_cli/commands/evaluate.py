"""`shepherd evaluate GROUP VERSION [--policy FILE]`: the gate's verdict and reasons, changing nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.gate.service import evaluate_version
from shepherd_cli import exit_codes
from shepherd_cli.context import get_version, make_container, positive_int
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("evaluate", help="what the gate would decide, changing nothing")
    parser.add_argument("group")
    parser.add_argument("version", type=positive_int)
    parser.add_argument("--policy", type=policy_file, help="a policy file to try instead of the group's")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=show_evaluation)


def policy_file(text: str) -> Path:
    """A file, not the policy directory: a directory would otherwise be reported as the group's missing policy."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"takes a policy file (<group>.json), and {text} is a directory")
    return path


def show_evaluation(args: argparse.Namespace) -> int:
    container = make_container()
    version = get_version(container, args.group, args.version)
    if args.policy:
        policy = FilePolicyRepository(container.settings.policy_dir).load(args.policy, expected_group=args.group)
    else:
        policy = container.policies.get(args.group)
    decision = evaluate_version(version, policy, container.gate_deps)
    if args.json:
        emit_json(
            {
                "group": args.group,
                "version": version.version,
                "arn": version.arn,
                "status": version.status,
                "policy": policy.name,
                "outcome": decision.outcome.value,
                "summary": decision.summary,
                "checks": [check.__dict__ for check in decision.checks],
                "changed": False,
            }
        )
        return exit_codes.OK
    print(
        f"{args.group} {version.label} ({version.status}) under {policy.name}: "
        f"{decision.outcome.value.upper()} (evaluated only: nothing changed)"
    )
    for reason in decision.reasons:
        print(f"  {reason}")
    return exit_codes.OK
