"""`shepherd policy validate [FILE...]`: check policy files against the schema before they ship."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.settings import SOURCE_POLICIES
from shepherd_cli import exit_codes
from shepherd_cli.output import emit_json


def register(subparsers: Any) -> None:
    policy = subparsers.add_parser("policy", help="work with group policies")
    actions = policy.add_subparsers(dest="action", required=True, metavar="ACTION")
    validate = actions.add_parser("validate", help="check policy files against policies/schema.json")
    validate.add_argument("files", nargs="*", type=Path, help="policy files (default: every policy in policies/)")
    validate.add_argument("--schema-dir", type=Path, default=SOURCE_POLICIES, help="where schema.json is")
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    validate.set_defaults(handler=validate_policies)


def validate_policies(args: argparse.Namespace) -> int:
    repository = FilePolicyRepository(args.schema_dir)
    files = args.files or [args.schema_dir / f"{group}.json" for group in repository.groups()]
    results = {str(path): _problems(repository, path) for path in files}
    if args.json:
        emit_json({"valid": not any(results.values()), "files": results})
    else:
        for path, problems in results.items():
            print(f"{'ok     ' if not problems else 'INVALID'} {path}")
            for problem in problems:
                print(f"        {problem}")
    return exit_codes.FAILED if any(results.values()) else exit_codes.OK


def _problems(repository: FilePolicyRepository, path: Path) -> list[str]:
    try:
        repository.load(path)
    except (InvalidPolicyError, PolicyNotFoundError) as error:
        return [str(error)]
    return []
