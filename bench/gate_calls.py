"""AWS calls of one gate decision, in-process against moto, for the cases that cost the most.

    .venv/bin/python -m bench.gate_calls

The issue's bar: at most 5 AWS calls per decision besides notifications. The idempotency record
(two DynamoDB writes) is reported on its own line.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from bench.aws_calls import CallCounter
from chalicelib.bootstrap import Container
from chalicelib.domain.record import METRICS_KEY
from chalicelib.domain.release import Deployed, GroupState
from chalicelib.settings import load_settings
from devstack import seed
from devstack.resources import create_resources

NOTIFY = ("sns:",)


def decide(container: Container, sagemaker: Any, name: str, metrics: dict[str, Any]) -> str:
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, metrics)
    arn = seed.register_version(sagemaker, uri, name)
    container.decide_pending_once(arn, "PendingManualApproval")
    return arn


def live_release(container: Container, arn: str) -> None:
    """Record `arn` as live, as the release engine does when a release reaches LIVE (with its snapshot)."""
    package = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)
    snapshot = package["CustomerMetadataProperties"].get(METRICS_KEY)
    live = Deployed(
        int(arn.rsplit("/", 1)[1]), arn, "config", "model-shepherd gate", datetime.now(UTC), metrics=snapshot
    )
    container.release_store.save(GroupState(seed.GROUP, live=live))


def report(case: str, counter: CallCounter, idempotency_table: str) -> int:
    idempotency = tuple(name for name in counter.calls if name.endswith(f"({idempotency_table})"))
    decision = counter.total(excluding=NOTIFY + idempotency)
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
        results: dict[str, int] = {}

        def case(name: str, version: str, metrics: dict[str, Any]) -> str:
            counter.reset()
            arn = decide(container, sagemaker, version, metrics)
            results[name] = report(name, counter, resources.idempotency_table)
            return arn

        case("first version, no champion", "first", seed.GOOD)
        second = case("nothing live yet, newest Approved decided by the gate", "second", {**seed.GOOD, "auc": 0.96})
        live_release(container, second)
        case("against the live version (the steady state)", "third", {**seed.GOOD, "auc": 0.97})
        uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", "m", seed.GOOD)
        by_hand = seed.register_version(sagemaker, uri, "m")
        sagemaker.update_model_package(ModelPackageArn=by_hand, ModelApprovalStatus="Approved")
        state = container.release_store.load(seed.GROUP)
        container.release_store.save(replace(state, live=None))  # nothing live: the newest Approved is by_hand
        case("nothing live, newest Approved approved outside the gate", "fourth", {**seed.GOOD, "auc": 0.98})
    return results


if __name__ == "__main__":
    main()
