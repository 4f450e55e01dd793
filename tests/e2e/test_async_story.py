"""An asynchronous release on the local stack, over the wire, on a real model: the example group's policy made
async; a good version goes LIVE through smoke tests answered in local S3 by the version's own model, and a
customer's InvokeEndpointAsync on production finds its answer at the output location."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devstack import example_versions, fraud_model, seed
from tests.support.local_stack import RunningStack, wait_for
from tests.support.policies import ASYNC_RELEASE, example_document
from tests.support.targets import live_version, stack_with_release

pytestmark = pytest.mark.e2e
GROUP, PRODUCTION = seed.GROUP, "fraud-detection-prod"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    release = {**ASYNC_RELEASE, "deployment": {"type": "ALL_AT_ONCE"}}  # a counted canary is not this story
    release["smoke_tests"] = [
        {**test, "max_latency_ms": 10_000}  # an answer through S3, on a busy machine
        for test in example_document()["release"]["smoke_tests"]
    ]
    running = stack_with_release(tmp_path_factory.mktemp("policies"), release, "--bake-seconds", "1")
    yield running
    running.stop()


def test_a_good_version_goes_live_on_async_endpoints_answering_in_s3(stack: RunningStack) -> None:
    version = example_versions.register(stack.client, fraud_model.GOOD, "good").version
    wait_for(lambda: live_version(stack) == version, 60)
    s3 = stack.client("s3")
    s3.put_object(Bucket="my-bucket", Key="requests/fraud.csv", Body=b"9800.0,1,0,1,0,3,0.9")
    answer = stack.client("sagemaker-runtime").invoke_endpoint_async(
        EndpointName=PRODUCTION, InputLocation="s3://my-bucket/requests/fraud.csv", ContentType="text/csv"
    )
    key = answer["OutputLocation"].removeprefix("s3://my-bucket/")
    assert key.startswith("async/answers/")
    body = wait_for(lambda: _read(s3, key), 10)
    assert float(body) > 0.5  # the trained model scored the fraudulent row from production


def _read(s3: Any, key: str) -> bytes | None:
    try:
        found: bytes = s3.get_object(Bucket="my-bucket", Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:  # not written yet
        return None
    return found
