"""The model-package adapter's three views share one DescribeModelPackage and one reading of its errors; the
release engine's lifecycle labels (ModelLifeCycle) are written beside the decision, strictly checked."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.model_packages.approvals import SageMakerPackages
from chalicelib.adapters.model_packages.cleanup import SageMakerCleanupRegistry
from chalicelib.adapters.model_packages.lifecycle import SageMakerLifeCycles
from chalicelib.adapters.model_packages.registry import SageMakerRegistry
from chalicelib.release.lifecycle import description
from chalicelib.release.state import LifeCycle
from chalicelib.shared.decision_record import DECIDED_BY_KEY
from chalicelib.shared.errors import DeleteFailedError, LifeCycleWriteError, ModelPackageNotFoundError
from devstack import seed
from devstack.resources import LocalResources

METRICS = "s3://my-bucket/models/a/evaluation/metrics.json"
MISSING = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/99"


@pytest.fixture
def sagemaker(resources: LocalResources) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


def test_the_release_view_reads_the_approval_and_who_gave_it(sagemaker: Any) -> None:
    arn = seed.register_version(sagemaker, METRICS, "a")
    registry = SageMakerRegistry(sagemaker)
    version = registry.get_version(arn)
    registry.record_decision(version, "Approved", "looks good", {**version.metadata, DECIDED_BY_KEY: "slack:ana"})

    approval = SageMakerPackages(sagemaker).approval(arn)

    assert (approval.group, approval.version, approval.status) == (seed.GROUP, 1, "Approved")
    assert approval.approved_by == "slack:ana"
    assert (approval.metrics, approval.metrics_uri) == (None, METRICS)


def test_every_view_reads_a_missing_package_as_gone(sagemaker: Any) -> None:
    with pytest.raises(ModelPackageNotFoundError):
        SageMakerRegistry(sagemaker).get_version(MISSING)
    with pytest.raises(ModelPackageNotFoundError):
        SageMakerPackages(sagemaker).approval(MISSING)
    assert SageMakerCleanupRegistry(sagemaker).describe(MISSING) is None


def test_an_access_error_is_not_mistaken_for_a_missing_package() -> None:
    client = boto3.client("sagemaker")
    with Stubber(client) as stub:
        for _ in range(3):
            stub.add_client_error("describe_model_package", "AccessDeniedException", "not authorized")
        for view in (
            lambda: SageMakerRegistry(client).get_version(MISSING),
            lambda: SageMakerPackages(client).approval(MISSING),
            lambda: SageMakerCleanupRegistry(client).describe(MISSING),
        ):
            with pytest.raises(ClientError, match="AccessDenied"):
                view()


def test_a_delete_refused_for_another_reason_than_missing_is_a_delete_failure() -> None:
    client = boto3.client("sagemaker")
    with Stubber(client) as stub:
        stub.add_client_error("delete_model_package", "ValidationException", "model package is in use by a model")
        with pytest.raises(DeleteFailedError, match="ValidationException: model package is in use"):
            SageMakerCleanupRegistry(client).delete(MISSING)


def test_the_lifecycle_is_written_alone_and_the_decision_is_kept(sagemaker: Any) -> None:
    arn = seed.register_version(sagemaker, None, "a")
    registry = SageMakerRegistry(sagemaker)
    version = registry.get_version(arn)
    registry.record_decision(version, "Approved", "looks good", {**version.metadata, DECIDED_BY_KEY: "slack:ana"})

    SageMakerLifeCycles(sagemaker).write(arn, LifeCycle("Production", "Approved", "serving production"))

    described = sagemaker.describe_model_package(ModelPackageName=arn)
    assert described["ModelLifeCycle"] == {
        "Stage": "Production",
        "StageStatus": "Approved",
        "StageDescription": "serving production",
    }
    assert (described["ModelApprovalStatus"], described["ApprovalDescription"]) == ("Approved", "looks good")
    assert described["CustomerMetadataProperties"][DECIDED_BY_KEY] == "slack:ana"


def test_the_longest_description_passes_strict_validation(sagemaker: Any) -> None:
    arn = seed.register_version(sagemaker, None, "a")
    said = description("x\n" * 2000)
    SageMakerLifeCycles(sagemaker).write(arn, LifeCycle("Staging", "Failed", said))
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelLifeCycle"]["StageDescription"] == said


def test_an_empty_description_is_left_out(sagemaker: Any) -> None:
    arn = seed.register_version(sagemaker, None, "a")
    SageMakerLifeCycles(sagemaker).write(arn, LifeCycle("Archived", "Replaced"))
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelLifeCycle"] == {
        "Stage": "Archived",
        "StageStatus": "Replaced",
    }


@pytest.mark.parametrize("code", ["ThrottlingException", "AccessDeniedException", "ValidationException"])
def test_a_refused_or_throttled_write_is_a_lifecycle_write_error(code: str) -> None:
    client = boto3.client("sagemaker")
    with Stubber(client) as stub:
        stub.add_client_error("update_model_package", code, "no")
        with pytest.raises(LifeCycleWriteError, match=code):
            SageMakerLifeCycles(client).write(MISSING, LifeCycle("Staging", "InProgress"))
