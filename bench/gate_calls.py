"""AWS calls of one gate decision, in-process against moto, for the cases that cost the most.

    .venv/bin/python -m bench.gate_calls

The issue's bar: at most 5 AWS calls per decision besides notifications. The idempotency record
(two DynamoDB writes) is reported on its own line.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from moto import mock_aws

from bench.aws_calls import CallCounter
from chalicelib.bootstrap import Container
from chalicelib.settings import load_settings
from devstack import seed
from devstack.resources import create_resources

NOTIFY = ("sns:",)
IDEMPOTENCY = ("dynamodb:",)


def decide(container: Container, sagemaker: Any, name: str, metrics: dict[str, Any]) -> None:
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, metrics)
    arn = seed.register_version(sagemaker, uri, name)
    container.decide_pending_once(arn, "PendingManualApproval")


def report(case: str, counter: CallCounter) -> int:
    decision = counter.total(excluding=NOTIFY + IDEMPOTENCY)
    detail = ", ".join(f"{name} x{n}" for name, n in sorted(counter.calls.items()))
    print(f"{case}: {decision} decision calls (bar: <= 5)  [{detail}]")
    return decision


def main() -> dict[str, int]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with mock_aws():
        resources = create_resources(boto3.client)
        os.environ.update(resources.environment())
        counter = CallCounter()
        container = Container(settings=load_settings(), client_factory=counter.client_factory())
        sagemaker = boto3.client("sagemaker")
        seed.create_group(sagemaker)
        results = {}
        decide(container, sagemaker, "first", seed.GOOD)
        results["first version, no champion"] = report("first version, no champion", counter)
        counter.reset()
        decide(container, sagemaker, "second", {**seed.GOOD, "auc": 0.96})
        results["against a champion the gate decided"] = report("against a champion the gate decided", counter)
        counter.reset()
        uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", "m", seed.GOOD)
        champion = seed.register_version(sagemaker, uri, "m")
        sagemaker.update_model_package(ModelPackageArn=champion, ModelApprovalStatus="Approved")  # approved by hand
        counter.reset()
        decide(container, sagemaker, "third", {**seed.GOOD, "auc": 0.97})
        results["against a champion approved outside the gate"] = report(
            "against a champion approved outside the gate (no snapshot)", counter
        )
    return results


if __name__ == "__main__":
    main()
