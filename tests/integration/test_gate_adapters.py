"""The gate's adapters against moto: SageMaker, S3, SNS, secrets."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib.adapters.model_packages.registry import SageMakerRegistry
from chalicelib.adapters.notifiers import SnsNotifier, sns_subject
from chalicelib.adapters.s3 import S3MetricsReader
from chalicelib.adapters.secrets import read_json_secret, slack_credentials_loader
from chalicelib.shared.errors import ConfigurationError, MetricsUnavailableError, ModelPackageNotFoundError
from chalicelib.shared.notification import Notification
from devstack import seed
from devstack.resources import LocalResources
from tests.support.sns_inbox import inbox

MISSING = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/99"


@pytest.fixture
def sagemaker(resources: LocalResources) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def test_registry_reads_a_seed_registered_version(sagemaker: Any) -> None:
    arn = seed.register_version(sagemaker, "s3://my-bucket/models/a/evaluation/metrics.json", "a")
    version = SageMakerRegistry(sagemaker).get_version(arn)
    assert (version.group, version.version, version.status) == ("fraud-detection-models", 1, "PendingManualApproval")
    assert version.metrics_uri == "s3://my-bucket/models/a/evaluation/metrics.json"
    assert version.metadata["framework"] == "xgboost-1.7"


def test_registry_missing_version_is_a_domain_error(sagemaker: Any) -> None:
    with pytest.raises(ModelPackageNotFoundError):
        SageMakerRegistry(sagemaker).get_version(MISSING)


def test_newest_approved_ignores_pending_and_rejected(sagemaker: Any) -> None:
    registry = SageMakerRegistry(sagemaker)
    arns = [seed.register_version(sagemaker, None, f"v{i}") for i in range(4)]
    for arn, status in zip(arns, ["Approved", "Approved", "Rejected", "PendingManualApproval"], strict=True):
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
    newest = registry.newest_approved("fraud-detection-models")
    assert newest is not None and newest.arn == arns[1]


def test_recording_a_decision_keeps_every_field(sagemaker: Any) -> None:
    registry = SageMakerRegistry(sagemaker)
    version = registry.get_version(seed.register_version(sagemaker, None, "a"))
    registry.record_decision(version, "Approved", "because", {**version.metadata, "shepherd:outcome": "approve"})
    after = registry.get_version(version.arn)
    assert (after.status, after.approval_description) == ("Approved", "because")
    assert after.metadata["training_samples"] == "1500000" and after.metadata["shepherd:outcome"] == "approve"


def test_metrics_reader_reads_and_refuses(resources: LocalResources) -> None:
    s3 = boto3.client("s3")
    uri = seed.upload_metrics(s3, resources.bucket, "a", {"auc": 0.9})
    reader = S3MetricsReader(s3)
    assert json.loads(reader.read(uri)) == {"auc": 0.9}
    with pytest.raises(MetricsUnavailableError, match="NoSuchKey"):
        reader.read(f"s3://{resources.bucket}/nope.json")
    with pytest.raises(MetricsUnavailableError, match="NoSuchBucket"):
        reader.read("s3://no-such-bucket/metrics.json")
    with pytest.raises(MetricsUnavailableError, match="not an s3:// URI"):
        reader.read("https://example.com/metrics.json")
    with pytest.raises(MetricsUnavailableError, match="no bucket or key"):
        reader.read("s3://bucket-only")


def test_metrics_reader_refuses_a_huge_document(resources: LocalResources) -> None:
    s3 = boto3.client("s3")
    s3.put_object(Bucket=resources.bucket, Key="huge.json", Body=b" " * (1024 * 1024 + 1))
    with pytest.raises(MetricsUnavailableError, match="larger than"):
        S3MetricsReader(s3).read(f"s3://{resources.bucket}/huge.json")


def test_sns_notification_carries_json_and_filterable_attributes(resources: LocalResources) -> None:
    notification = Notification(
        "gate.decision", "x" * 300, {"type": "gate.decision", "outcome": "approve"}, {"type": "gate.decision"}
    )
    SnsNotifier(boto3.client("sns"), resources.topic_arn).send(notification)
    assert inbox(resources) == [{"type": "gate.decision", "outcome": "approve"}]


def test_secrets_from_secrets_manager_and_ssm(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(Name="slack", SecretString='{"bot_token": "xoxb-1"}')
    boto3.client("ssm").put_parameter(Name="/slack", Value='{"webhook_url": "http://127.0.0.1/x"}', Type="SecureString")
    assert slack_credentials_loader("slack", boto3.client)().bot_token == "xoxb-1"
    assert slack_credentials_loader("ssm:/slack", boto3.client)().webhook_url == "http://127.0.0.1/x"


def test_a_secret_that_is_not_json_is_reported_without_its_value(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(Name="broken", SecretString="xoxb-very-secret")
    with pytest.raises(ConfigurationError) as raised:
        read_json_secret("broken", boto3.client)
    assert "not JSON" in str(raised.value) and "xoxb" not in str(raised.value)


def test_a_missing_secret_is_a_configuration_error(aws: None) -> None:
    with pytest.raises(ConfigurationError, match="cannot read secret nope"):
        read_json_secret("nope", boto3.client)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Rolled back fraud v3:\tp99\r\nover budget", "Rolled back fraud v3: p99 over budget"),
        ("  \u2705 approved v2", "? approved v2"),
        ("\x00\x1b", "model-shepherd"),
        ("x" * 300, "x" * 97 + "..."),
    ],
)
def test_the_subject_is_one_sns_takes_whatever_the_text(resources: LocalResources, text: str, subject: str) -> None:
    assert sns_subject(text) == subject
    SnsNotifier(boto3.client("sns"), resources.topic_arn).send(Notification("t", text, {"type": "t"}, {"type": "t"}))
    assert inbox(resources) == [{"type": "t"}]
