"""Smoke tests of an asynchronous endpoint on moto with the local stack's InvokeEndpointAsync: the request put
in S3, the answer read from the config's output path; a failure object or no answer in time fails the test."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from chalicelib.adapters.async_runtime import AsyncRuntimeInvoker
from chalicelib.adapters.endpoints import SageMakerEndpoints
from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec
from chalicelib.release.policy import SmokeTest
from chalicelib.release.smoke import check
from devstack.moto_ext import endpoint_runtime, install
from tests.support.local_stack import wait_for

ASYNC = AsyncSpec("s3://async-bucket/answers", "s3://async-bucket/failures", "s3://async-bucket/smoke")
TEST = SmokeTest("fraud-row", "9800.0,1,0,1,0,3,0.9", "text/csv", minimum=0.5, maximum=1, max_latency_ms=2000)
ROLE = "arn:aws:iam::123456789012:role/r"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"


@pytest.fixture
def endpoint(aws: None) -> Iterator[str]:
    install()
    boto3.client("s3").create_bucket(Bucket="async-bucket")
    endpoints = SageMakerEndpoints(boto3.client("sagemaker"))
    endpoints.create_model("m", PACKAGE, ROLE)
    endpoints.create_config("c", EndpointSpec("async-staging", "ml.m5.large", asynchronous=ASYNC), "m")
    endpoints.deploy("async-staging", "c")
    yield "async-staging"
    endpoint_runtime.reset()


def invoker() -> AsyncRuntimeInvoker:
    return AsyncRuntimeInvoker(boto3.client("sagemaker-runtime"), boto3.client("s3"))


def test_the_answer_is_read_from_the_output_path_and_judged_like_a_realtime_one(endpoint: str) -> None:
    config = boto3.client("sagemaker").describe_endpoint_config(EndpointConfigName="c")["AsyncInferenceConfig"]
    assert config["OutputConfig"] == {"S3OutputPath": ASYNC.output_path, "S3FailurePath": ASYNC.failure_path}
    endpoint_runtime.configure(endpoint, response="0.97\n")
    answer = invoker().invoke(endpoint, TEST, ASYNC)
    assert (answer.status, answer.body, check(TEST, answer)) == (200, b"0.97\n", [])
    listed = boto3.client("s3").list_objects_v2(Bucket="async-bucket", Prefix="smoke/async-staging/")
    [request] = listed["Contents"]
    assert request["Key"].endswith("/fraud-row")  # the request went through S3, as InputLocation


def test_a_failure_object_fails_the_test_with_what_it_says(endpoint: str) -> None:
    endpoint_runtime.configure(endpoint, error_rate=1.0)
    answer = invoker().invoke(endpoint, TEST, ASYNC)
    [failure] = check(TEST, answer)
    assert failure.startswith(
        "fraud-row: status 0, expected 200 (the asynchronous inference failed (s3://async-bucket/failures/"
    )
    assert "injected failure" in failure


def test_no_answer_within_the_latency_budget_fails_the_test(endpoint: str) -> None:
    endpoint_runtime.configure(endpoint, response="0.97\n", latency_ms=1500)
    hurried = SmokeTest("fraud-row", TEST.body, "text/csv", max_latency_ms=300)
    [failure] = check(hurried, invoker().invoke(endpoint, hurried, ASYNC))
    assert failure.startswith("fraud-row: status 0, expected 200 (no answer at s3://async-bucket/answers/")
    assert failure.endswith("within 300 ms)")
    wait_for(lambda: "Contents" in boto3.client("s3").list_objects_v2(Bucket="async-bucket", Prefix="answers/"), 5)


def test_an_endpoint_without_async_inference_refuses_the_call(endpoint: str) -> None:
    endpoints = SageMakerEndpoints(boto3.client("sagemaker"))
    endpoints.create_config("plain", EndpointSpec("plain", "ml.m5.large"), "m")
    endpoints.deploy("plain", "plain")
    answer = invoker().invoke("plain", TEST, ASYNC)
    assert "not an asynchronous inference endpoint" in (answer.error or "")
