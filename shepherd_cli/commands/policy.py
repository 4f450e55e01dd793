"""`shepherd policy validate [FILE...]`: check policy files as the app loads them, before they ship.

By default every policy in the directory the app reads (SHEPHERD_POLICY_DIR, else policies/ in a checkout,
else the packaged copy); `--check-aws` also asks CloudWatch whether the alarms each policy names exist.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.policy import Policy
from chalicelib.shared.settings import policy_dir
from shepherd_cli import exit_codes, output
from shepherd_cli.context import make_container
from shepherd_cli.output import emit_json

ALARMS_PER_CALL = 100  # DescribeAlarms' AlarmNames: at most 100


def register(subparsers: Any) -> None:
    policy = subparsers.add_parser("policy", help="work with group policies")
    actions = policy.add_subparsers(dest="action", required=True, metavar="ACTION")
    validate = actions.add_parser("validate", help="check policy files as the app loads them")
    validate.add_argument("files", nargs="*", type=Path, help="policy files (default: every policy the app reads)")
    validate.add_argument("--policy-dir", type=Path, help="the policy directory (default: the one the app reads)")
    validate.add_argument("--check-aws", action="store_true", help="also check the alarms each policy names exist")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    validate.set_defaults(handler=validate_policies)


def validate_policies(args: argparse.Namespace) -> int:
    repository = FilePolicyRepository(args.policy_dir or policy_dir(os.environ))
    if not args.files and not repository.directory.is_dir():  # a typo in the path is not "nothing to check"
        output.error(f"no policy directory at {repository.directory}: the app would find no policy there")
        return exit_codes.FAILED
    files = args.files or [repository.directory / f"{group}.json" for group in repository.groups()]
    if not files:  # an empty directory serves no group: every version would wait for a policy
        output.error(f"no policy files in {repository.directory}: add <group>.json there (see docs/policy.md)")
        return exit_codes.FAILED
    results = {str(path): _problems(repository, path, args.check_aws) for path in files}
    if args.json:
        emit_json({"directory": str(repository.directory), "valid": not any(results.values()), "files": results})
    else:
        print(f"policies in {repository.directory}" if not args.files else "policy files")
        for path, problems in results.items():
            print(f"{'ok     ' if not problems else 'INVALID'} {path}")
            for problem in problems:
                print(f"        {problem}")
    return exit_codes.FAILED if any(results.values()) else exit_codes.OK


def _problems(repository: FilePolicyRepository, path: Path, check_aws: bool) -> list[str]:
    try:
        policy = repository.load(path)
    except (InvalidPolicyError, PolicyNotFoundError) as error:
        return [str(error)]
    return missing_alarms(policy) if check_aws else []


def missing_alarms(policy: Policy) -> list[str]:
    names = list(policy.section("release").get("alarms", []))
    found: set[str] = set()
    cloudwatch = make_container().client("cloudwatch")
    for start in range(0, len(names), ALARMS_PER_CALL):
        chunk = names[start : start + ALARMS_PER_CALL]
        answer = cloudwatch.describe_alarms(AlarmNames=chunk, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        found |= {alarm["AlarmName"] for alarm in [*answer["MetricAlarms"], *answer.get("CompositeAlarms", [])]}
    return [f"release.alarms: no CloudWatch alarm named {name!r}" for name in names if name not in found]
