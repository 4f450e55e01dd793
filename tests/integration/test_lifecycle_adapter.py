"""A version's ModelLifeCycle written through the adapter: on moto (patched as SageMaker behaves), strictly checked."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.model_packages.lifecycle import SageMakerLifeCycles
from chalicelib.adapters.model_packages.registry import SageMakerRegistry
from chalicelib.release.lifecycle import description
from chalicelib.release.state import LifeCycle
from chalicelib.shared.decision_record import DECIDED_BY_KEY
from chalicelib.shared.errors import LifeCycleWriteError
from devstack import seed
from devstack.resources import LocalResources

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/1"


@pytest.fixture
def sagemaker(resources: LocalResources) -> Any:
    client = boto3.client("sagemaker")
    seed.create_group(client)
    return client


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
            SageMakerLifeCycles(client).write(ARN, LifeCycle("Staging", "InProgress"))
