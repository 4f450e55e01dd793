"""A batch release's adapters against moto: the smoke transform job (started once, described, gone) and the
SSM parameter production is published in (absent, written, overwritten, refused)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.job_outputs import MAX_OBJECT_BYTES, S3JobOutputs
from chalicelib.adapters.production_parameter import SsmProductionParameter
from chalicelib.adapters.transform_jobs import SageMakerTransformJobs
from chalicelib.release.batch_spec import BatchSpec, job_output_path
from chalicelib.release.production_parameter import PublishedModel, parameter_value, published_model
from chalicelib.shared.errors import ReleaseStepError

SPEC = BatchSpec("s3://scoring/sample/", "s3://scoring/out", "ml.m5.large", "text/csv", split_type="Line")
ROLE = "arn:aws:iam::123456789012:role/r"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"


def with_model(client: Any, name: str = "g-abc123-v1") -> str:
    client.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"ModelPackageName": PACKAGE})
    return name


def test_a_started_job_is_described_with_its_own_output_prefix(aws: None) -> None:
    client = boto3.client("sagemaker")
    jobs = SageMakerTransformJobs(client)
    jobs.start("g-abc123-v1-stg", SPEC, with_model(client))
    view = jobs.describe("g-abc123-v1-stg")
    assert view is not None
    assert view.output_path == job_output_path(SPEC, "g-abc123-v1-stg")
    sent = client.describe_transform_job(TransformJobName="g-abc123-v1-stg")
    assert sent["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == "s3://scoring/sample/"
    assert sent["TransformResources"] == {"InstanceType": "ml.m5.large", "InstanceCount": 1}


def test_a_job_that_does_not_exist_is_none(aws: None) -> None:
    assert SageMakerTransformJobs(boto3.client("sagemaker")).describe("never-started") is None


def refused(operation: str, code: str, message: str) -> tuple[Any, Stubber]:
    client = boto3.client("sagemaker")
    stubber = Stubber(client)
    stubber.add_client_error(operation, code, message)
    return client, stubber


def test_a_replayed_start_finds_its_job_and_starts_nothing_else() -> None:
    client, stubber = refused("create_transform_job", "ResourceInUse", "Job name must be unique within an AWS account")
    with stubber:
        SageMakerTransformJobs(client).start("g-v1-stg", SPEC, "g-v1")  # no error: the first try's job goes on
    stubber.assert_no_pending_responses()


def test_a_refused_start_is_a_release_step_error_with_sagemakers_reason() -> None:
    client, stubber = refused("create_transform_job", "ResourceLimitExceeded", "ml.m5.large for transform job usage")
    with stubber, pytest.raises(ReleaseStepError, match=r"ResourceLimitExceeded: ml\.m5\.large"):
        SageMakerTransformJobs(client).start("g-v1-stg", SPEC, "g-v1")


def test_a_throttled_describe_is_raised_as_is_for_the_event_to_be_retried() -> None:
    client, stubber = refused("describe_transform_job", "ThrottlingException", "Rate exceeded")
    with stubber, pytest.raises(ClientError, match="Rate exceeded"):
        SageMakerTransformJobs(client).describe("g-v1-stg")


MODEL = PublishedModel(1, PACKAGE, "g-abc123-v1")


def test_the_parameter_is_absent_before_the_first_release_then_overwritten(aws: None) -> None:
    parameter = SsmProductionParameter(boto3.client("ssm"))
    assert parameter.read("g") is None
    parameter.publish("g", parameter_value(MODEL))
    second = PublishedModel(2, PACKAGE.replace("/1", "/2"), "g-abc123-v2")
    parameter.publish("g", parameter_value(second))
    value = parameter.read("g")
    assert value is not None and published_model(value) == second
    assert boto3.client("ssm").get_parameter(Name="/model-shepherd/g/production")["Parameter"]["Type"] == "String"


def test_a_refused_write_is_a_release_step_error_naming_the_parameter() -> None:
    client = boto3.client("ssm")
    stubber = Stubber(client)
    stubber.add_client_error("put_parameter", "AccessDeniedException", "not authorized to perform ssm:PutParameter")
    with stubber, pytest.raises(ReleaseStepError, match="/model-shepherd/g/production: AccessDeniedException"):
        SsmProductionParameter(client).publish("g", parameter_value(MODEL))


def test_outputs_are_read_by_key_empty_ones_included_and_each_bounded(aws: None) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="scoring")
    s3.put_object(Bucket="scoring", Key="out/job/b.out", Body=b"0.2\n")
    s3.put_object(Bucket="scoring", Key="out/job/a.out", Body=b"")
    s3.put_object(Bucket="scoring", Key="out/job/huge.out", Body=b"1" * (MAX_OBJECT_BYTES + 10))
    s3.put_object(Bucket="scoring", Key="out/other-job/c.out", Body=b"0.9\n")
    found = S3JobOutputs(s3).read("s3://scoring/out/job/")
    assert [(item.key, len(item.body)) for item in found] == [
        ("out/job/a.out", 0),
        ("out/job/b.out", 4),
        ("out/job/huge.out", MAX_OBJECT_BYTES),
    ]


def test_an_unreadable_output_path_is_a_release_step_error_naming_it(aws: None) -> None:
    with pytest.raises(ReleaseStepError, match=r"s3://no-such-bucket/out/: NoSuchBucket"):
        S3JobOutputs(boto3.client("s3")).read("s3://no-such-bucket/out/")
