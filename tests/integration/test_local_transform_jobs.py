"""Transform jobs on the local stack: the sample input read from local S3, answered into the output path by the
configured answer (or the served model), the job InProgress then Completed or Failed, each change an event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from devstack import seed
from devstack.moto_ext import install, transform_jobs
from tests.support.local_moto import rule_to_queue

pytestmark = pytest.mark.usefixtures("aws")
JOB_EVENTS = {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Transform Job State Change"]}


@pytest.fixture(autouse=True)
def local() -> Iterator[None]:
    install()
    yield
    transform_jobs.reset()


def start_job(model: str = "fraud-v1", job: str = "fraud-v1-stg", create: bool = True) -> dict[str, Any]:
    sagemaker = boto3.client("sagemaker")
    if create:
        sagemaker.create_model(
            ModelName=model,
            ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
            PrimaryContainer={"Image": seed.XGBOOST_IMAGE},
        )
    sagemaker.create_transform_job(
        TransformJobName=job,
        ModelName=model,
        TransformInput={
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://scoring/sample/"}},
            "ContentType": "text/csv",
        },
        TransformOutput={"S3OutputPath": f"s3://scoring/out/{job}/"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    )
    return dict(sagemaker.describe_transform_job(TransformJobName=job))


def with_samples(*names: str) -> Any:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="scoring")
    for name in names:
        s3.put_object(Bucket="scoring", Key=f"sample/{name}", Body=b"120.5,0,1")
    return s3


def statuses(received: list[dict[str, Any]]) -> list[str]:
    return [event["detail"]["TransformJobStatus"] for event in received]


def test_each_sample_object_is_answered_into_the_output_and_the_job_completes() -> None:
    s3 = with_samples("legit", "fraud")
    received = rule_to_queue(JOB_EVENTS)
    transform_jobs.configure("fraud-", response="0.25\n")
    assert start_job()["TransformJobStatus"] == "Completed"
    outputs = s3.list_objects_v2(Bucket="scoring", Prefix="out/fraud-v1-stg/")["Contents"]
    assert sorted(item["Key"] for item in outputs) == ["out/fraud-v1-stg/fraud.out", "out/fraud-v1-stg/legit.out"]
    assert s3.get_object(Bucket="scoring", Key="out/fraud-v1-stg/legit.out")["Body"].read() == b"0.25\n"
    events = received()
    assert statuses(events) == ["InProgress", "Completed"]
    assert events[0]["detail"]["TransformJobName"] == "fraud-v1-stg" and events[0]["resources"][0].endswith(
        "transform-job/fraud-v1-stg"
    )


def test_a_configured_failure_fails_the_job_with_its_reason_in_the_event() -> None:
    with_samples("legit")
    received = rule_to_queue(JOB_EVENTS)
    transform_jobs.configure("fraud-", failure="AlgorithmError: out of memory")
    found = start_job()
    assert (found["TransformJobStatus"], found["FailureReason"]) == ("Failed", "AlgorithmError: out of memory")
    assert received()[-1]["detail"]["FailureReason"] == "AlgorithmError: out of memory"


def test_no_input_fails_the_job_as_sagemaker_says() -> None:
    with_samples()
    transform_jobs.configure("fraud-", response="0.25")
    found = start_job()
    assert found["TransformJobStatus"] == "Failed"
    assert found["FailureReason"] == "ClientError: No S3 objects found under S3 URL s3://scoring/sample/"


def test_without_an_answer_or_a_served_model_the_job_says_what_to_do() -> None:
    with_samples("legit")
    found = start_job()
    assert found["TransformJobStatus"] == "Failed"
    assert "no model is served here for fraud-v1" in found["FailureReason"]


def test_a_model_whose_artifact_is_missing_fails_its_job_with_the_reason() -> None:
    from devstack.moto_ext import model_serving

    with_samples("legit")
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_model(
        ModelName="broken-v3",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": seed.XGBOOST_IMAGE, "ModelDataUrl": "s3://scoring/models/none/model.tar.gz"},
    )
    model_serving.enable()
    try:
        found = start_job("broken-v3", "broken-v3-stg", create=False)
    finally:
        model_serving.enable(False)
        model_serving.reset()
    assert found["TransformJobStatus"] == "Failed"
    assert found["FailureReason"].startswith("ClientError: ")
