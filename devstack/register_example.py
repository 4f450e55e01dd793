"""`python -m devstack.register_example`: a trained example version registered on the local stack, in one command.

    python -m devstack.register_example [NAME] [--recipe good|bad|borderline|better] [--age-days N]

Trains the recipe's fraud classifier (devstack.fraud_model), uploads its model.tar.gz and its metrics (AUC,
precision, recall, F1, and p99 latency measured on a local endpoint serving it), and registers it in the
example group with the seed's own calls (devstack.example_versions); the group is created if it is not
there. `--age-days` then makes it that old (devstack.moto_ext.version_age). The stack is the one
`make local` runs (its build/local-stack.env), or whatever AWS_ENDPOINT_URL points at.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence

from devstack import example_versions, fraud_model, seed
from devstack.environment import aws_client_factory
from shepherd_cli import local_stack


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devstack.register_example", description=__doc__.split("\n")[0])
    parser.add_argument("name", nargs="?", help="the version's name in S3 and its description (default: recipe-time)")
    parser.add_argument("--recipe", choices=sorted(fraud_model.RECIPES), default="good", help="how it is trained")
    parser.add_argument("--group", default=seed.GROUP, help="the model package group (default: the example's)")
    parser.add_argument("--age-days", type=float, default=0.0, help="make the version this many days old")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        local_stack.apply(os.environ, required=not os.environ.get("AWS_ENDPOINT_URL"))
    except local_stack.LocalStackNotFoundError as error:
        print(f"register_example: {error}", file=sys.stderr)
        return 4
    client = aws_client_factory(os.environ["AWS_ENDPOINT_URL"])
    sagemaker = client("sagemaker")
    if not sagemaker.list_model_package_groups(NameContains=args.group)["ModelPackageGroupSummaryList"]:
        seed.create_group(sagemaker, args.group)
    name = args.name or f"{args.recipe}-{int(time.time())}"
    registered = example_versions.register(client, fraud_model.RECIPES[args.recipe], name, group=args.group)
    if args.age_days:
        example_versions.age(sagemaker, registered.arn, args.age_days)
    print(json.dumps({"arn": registered.arn, "version": registered.version, "metrics": registered.metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
