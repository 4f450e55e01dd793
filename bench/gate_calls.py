"""AWS calls of one gate decision, in-process against moto, case by case.

    .venv/bin/python -m bench.gate_calls

The issue's bar: at most 5 AWS calls per decision besides notifications. The idempotency record
(two DynamoDB writes) and the SNS publish are listed but not counted.
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
from chalicelib.release.state import Candidate, Deployed
from chalicelib.shared.decision_record import METRICS_KEY
from chalicelib.shared.settings import load_settings
from devstack import moto_ext, seed
from devstack.resources import create_resources

NOTIFY = ("sns:",)
GOOD = seed.GOOD


def register(sagemaker: Any, name: str, metrics: dict[str, Any]) -> str:
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, metrics)
    return seed.register_version(sagemaker, uri, name)


def report(case: str, counter: CallCounter, idempotency_table: str) -> int:
    idempotency = tuple(name for name in counter.calls if name.endswith(f"({idempotency_table})"))
    decision = counter.total(excluding=NOTIFY + idempotency)
    detail = ", ".join(f"{name} x{n}" for name, n in sorted(counter.calls.items()))
    print(f"{case}: {decision} decision calls (bar: <= 5)  [{detail}]")
    return decision


def engine_saw_approved(container: Container, arn: str, live: bool) -> None:
    """What the release engine records when it sees an Approved event (and, with live, when it goes LIVE)."""
    package = boto3.client("sagemaker").describe_model_package(ModelPackageName=arn)
    snapshot = (package.get("CustomerMetadataProperties") or {}).get(METRICS_KEY)
    uri = package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
    version, now = int(arn.rsplit("/", 1)[1]), datetime.now(UTC)
    state = container.release_store.load(seed.GROUP)
    newest = Candidate(version, arn, "bench", now, snapshot, uri)
    deployed = Deployed(version, arn, "config", "bench", now, metrics=snapshot, metrics_uri=uri) if live else None
    container.release_store.save(replace(state, newest_approved=newest, live=deployed))


def main() -> dict[str, int]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with mock_aws():
        moto_ext.install()
        resources = create_resources(boto3.client)
        os.environ.update(resources.environment())
        counter = CallCounter()
        container = Container(settings=load_settings(), client_factory=counter.client_factory())
        sagemaker = boto3.client("sagemaker")
        seed.create_group(sagemaker)
        results: dict[str, int] = {}

        def case(name: str, arn: str) -> None:
            counter.reset()
            container.gate_once.decide(arn, "PendingManualApproval")
            results[name] = report(name, counter, resources.idempotency_table)

        v1 = register(sagemaker, "v1", GOOD)
        case("first version, no champion", v1)
        engine_saw_approved(container, v1, live=False)
        case("nothing live yet: the newest Approved, as the release engine saw it", register(sagemaker, "v2", GOOD))
        engine_saw_approved(container, v1, live=True)
        case("against the live version (the steady state)", register(sagemaker, "v3", {**GOOD, "auc": 0.97}))
        by_hand = register(sagemaker, "by-hand", GOOD)
        sagemaker.update_model_package(ModelPackageArn=by_hand, ModelApprovalStatus="Approved")  # no snapshot
        engine_saw_approved(container, by_hand, live=True)
        case("against a live version approved outside the gate (no snapshot)", register(sagemaker, "v5", GOOD))
        state = container.release_store.load(seed.GROUP)
        container.release_store.save(replace(state, live=None, newest_approved=None))
        case("a group the release engine has not seen yet (installed today)", register(sagemaker, "v6", GOOD))
    return results


if __name__ == "__main__":
    main()
