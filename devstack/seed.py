"""The seed article's own boto3 calls: how our users create groups and register versions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

GROUP = "fraud-detection-models"
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def create_group(sagemaker: Any, group: str = GROUP) -> None:
    sagemaker.create_model_package_group(
        ModelPackageGroupName=group,
        ModelPackageGroupDescription="Models for real-time fraud detection in payment transactions",
        Tags=[
            {"Key": "Team", "Value": "risk-engineering"},
            {"Key": "UseCase", "Value": "fraud-detection"},
        ],
    )


def upload_metrics(s3: Any, bucket: str, name: str, document: Mapping[str, Any] | str) -> str:
    key = f"models/{name}/evaluation/metrics.json"
    body = document if isinstance(document, str) else json.dumps(document)
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode())
    return f"s3://{bucket}/{key}"


def register_version(
    sagemaker: Any,
    metrics_uri: str | None,
    name: str,
    group: str = GROUP,
    bucket: str = "my-bucket",
    status: str = "PendingManualApproval",
    image: str = XGBOOST_IMAGE,
    registered_by: str | None = None,
) -> str:
    """create_model_package exactly as the seed calls it; returns the new version's ARN. `registered_by`: the
    registrant's e-mail, in the metadata key four eyes reads (their own approval does not count)."""
    request: dict[str, Any] = {
        "ModelPackageGroupName": group,
        "ModelPackageDescription": f"XGBoost fraud classifier {name}",
        "InferenceSpecification": {
            "Containers": [{"Image": image, "ModelDataUrl": f"s3://{bucket}/models/{name}/output/model.tar.gz"}],
            "SupportedContentTypes": ["text/csv", "application/json"],
            "SupportedResponseMIMETypes": ["text/csv", "application/json"],
            "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large", "ml.m5.xlarge", "ml.c5.xlarge"],
            "SupportedTransformInstanceTypes": ["ml.m5.xlarge"],
        },
        "ModelApprovalStatus": status,
        "CustomerMetadataProperties": {
            "training_dataset": "s3://my-bucket/data/january-2026/",
            "training_job": f"fraud-xgb-training-{name}",
            "framework": "xgboost-1.7",
            "feature_count": "45",
            "training_samples": "1500000",
        },
    }
    if registered_by:
        request["CustomerMetadataProperties"]["registered_by"] = registered_by
    if metrics_uri:
        statistics = {"ContentType": "application/json", "S3Uri": metrics_uri}
        request["ModelMetrics"] = {"ModelQuality": {"Statistics": statistics}}
    arn: str = sagemaker.create_model_package(**request)["ModelPackageArn"]
    return arn


GOOD = {"auc": 0.95, "precision": 0.91, "recall": 0.84, "f1": 0.87, "latency_p99_ms": 42}
BAD = {"auc": 0.72, "precision": 0.64, "recall": 0.51, "f1": 0.57, "latency_p99_ms": 40}
BORDERLINE = {"auc": 0.952, "precision": 0.90, "recall": 0.85, "f1": 0.87, "latency_p99_ms": 61}
