"""Registering versions and sending their state-change events through the Chalice test client."""

from __future__ import annotations

from typing import Any

import boto3
from chalice.test import Client

from app import app
from devstack import seed


def state_change(arn: str, status: str = "PendingManualApproval") -> dict[str, Any]:
    group, _, version = arn.split("/", 1)[1].rpartition("/")
    return {
        "ModelPackageGroupName": group,
        "ModelPackageVersion": int(version),
        "ModelPackageArn": arn,
        "ModelApprovalStatus": status,
    }


def send(detail: dict[str, Any]) -> Any:
    with Client(app) as client:
        event = client.events.generate_cw_event(
            source="aws.sagemaker",
            detail_type="SageMaker Model Package State Change",
            resources=[detail.get("ModelPackageArn", "")],
            detail=detail,
        )
        return client.lambda_.invoke("gate", event)


def register(sagemaker: Any, name: str, metrics: dict[str, Any]) -> str:
    uri = seed.upload_metrics(boto3.client("s3"), "my-bucket", name, metrics)
    return seed.register_version(sagemaker, uri, name)
