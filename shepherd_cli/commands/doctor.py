"""`shepherd doctor`: can this account (or the local stack) run the app? Read-only; one line per check."""

from __future__ import annotations

import argparse
import os

from shepherd_cli import exit_codes
from shepherd_cli.context import make_container
from shepherd_cli.output import emit_json, table


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check an account: settings, tables, topic, Slack secret, releases, roles, rules"
    )
    parser.add_argument(
        "--stage", help="the stage in .chalice/config.json (default: SHEPHERD_STAGE, inferred, or prod)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON document instead of the table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from shepherd_cli.doctor.run import account_for, default_stage, run_checks

    stage = args.stage or default_stage(os.environ)
    checks = run_checks(account_for(stage, make_container().client))
    passed = not any(check.failed for check in checks)
    if args.json:
        emit_json(
            {
                "stage": stage,
                "passed": passed,
                "checks": [{"name": c.name, "status": c.status, "reason": c.reason} for c in checks],
            }
        )
    else:
        print(table(["CHECK", "STATUS", "REASON"], [(c.name, c.status, c.reason) for c in checks]))
    return exit_codes.OK if passed else exit_codes.FAILED
