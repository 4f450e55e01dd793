"""A batch release's pure parts: the policy's transform settings, the smoke job's name and CreateTransformJob
request (inside botocore's limits for the longest names a release makes), and the production parameter."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.adapters.transform_requests import create_transform_job_request
from chalicelib.release.batch_spec import BatchSpec, batch_spec, job_output_path, smoke_job_name
from chalicelib.release.names import resource_names
from chalicelib.release.production_parameter import (
    PublishedModel,
    parameter_name,
    parameter_value,
    published_model,
)
from chalicelib.shared.model_version import MAX_VERSION
from devstack.aws_validation import check

SECTION = {
    "target": "batch",
    "batch_transform": {
        "input_path": "s3://scoring/sample/",
        "output_path": "s3://scoring/smoke-output",
        "instance_type": "ml.m5.large",
        "content_type": "text/csv",
        "split_type": "Line",
    },
}
SPEC = batch_spec(SECTION)
LONGEST_GROUP = "g" * 63
LONGEST_MODEL = resource_names(LONGEST_GROUP, MAX_VERSION, datetime(2026, 12, 7, tzinfo=UTC), 36**3 - 1)[0]


def test_the_policy_section_becomes_the_transform_settings() -> None:
    assert (
        BatchSpec("s3://scoring/sample/", "s3://scoring/smoke-output", "ml.m5.large", "text/csv", split_type="Line")
        == SPEC
    )


def test_other_targets_have_no_transform_settings() -> None:
    assert batch_spec({**SECTION, "target": "realtime"}) is None
    assert batch_spec({"target": "batch"}) is None


def test_the_longest_job_name_a_release_makes_is_within_sagemakers_limits() -> None:
    assert SPEC is not None
    request = create_transform_job_request(SPEC, smoke_job_name(LONGEST_MODEL), LONGEST_MODEL)
    assert len(request["TransformJobName"]) == 63
    assert check("sagemaker", "CreateTransformJob", request) == []


def test_each_job_writes_under_its_own_prefix_of_the_output_path() -> None:
    assert SPEC is not None
    assert job_output_path(SPEC, "m-v1-stg") == "s3://scoring/smoke-output/m-v1-stg/"
    assert job_output_path(BatchSpec("s3://a/in", "s3://a/out/", "ml.m5.large", "text/csv"), "j") == "s3://a/out/j/"


def test_the_request_reads_the_sample_input_and_names_the_output_type_only_when_asked() -> None:
    assert SPEC is not None
    request = create_transform_job_request(SPEC, "m-v1-stg", "m-v1")
    assert request["TransformInput"] == {
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://scoring/sample/"}},
        "ContentType": "text/csv",
        "SplitType": "Line",
    }
    assert "Accept" not in request["TransformOutput"]
    with_accept = BatchSpec("s3://a/in", "s3://a/out", "ml.m5.large", "text/csv", accept="application/json")
    assert create_transform_job_request(with_accept, "j", "m")["TransformOutput"]["Accept"] == "application/json"


@pytest.mark.parametrize("instance_type", ["m5.large", "ml.t2.medium.x"])
def test_an_instance_type_sagemaker_has_not_for_transform_jobs_is_what_aws_refuses(instance_type: str) -> None:
    spec = BatchSpec("s3://a/in", "s3://a/out", instance_type, "text/csv")
    assert check("sagemaker", "CreateTransformJob", create_transform_job_request(spec, "j", "m"))


def test_the_production_parameter_is_per_group_and_its_value_reads_back() -> None:
    model = PublishedModel(7, "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/7", "fraud-abc-v7-x")
    assert parameter_name("fraud") == "/model-shepherd/fraud/production"
    assert json.loads(parameter_value(model)) == {
        "version": 7,
        "model_package_arn": model.package_arn,
        "model_name": model.model_name,
    }
    assert published_model(parameter_value(model)) == model


@pytest.mark.parametrize(
    "value",
    [
        "",
        "fraud-abc-v7-x",
        "[1]",
        '{"version": "7", "model_package_arn": "a", "model_name": "m"}',
        '{"version": true, "model_package_arn": "a", "model_name": "m"}',
        '{"version": 0, "model_package_arn": "a", "model_name": "m"}',
        '{"version": 7, "model_package_arn": "", "model_name": "m"}',
        '{"version": 7, "model_package_arn": "a"}',
        '{"version": 7, "model_package_arn": "a", "model_name": "' + "m" * 5000 + '"}',
    ],
)
def test_a_value_we_did_not_write_names_no_model(value: str) -> None:
    assert published_model(value) is None
