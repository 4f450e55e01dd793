"""An async target whose staging endpoint is in another account and region: its smoke requests are put, the
endpoint invoked and the answers read with the staging account's own credentials, never the app's."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.release.service import advance, on_approved
from devstack.demo_setup import MODEL_ANSWER
from devstack.moto_ext import endpoint_runtime
from devstack.resources import LocalResources
from tests.support import accounts as a
from tests.support import release as r
from tests.support.policies import ASYNC_RELEASE, example_document, policies_with_release

BUCKET = "staging-async-smoke"  # in the staging account, where its endpoint writes the answers


def in_staging(service: str) -> Any:
    granted = boto3.client("sts").assume_role(RoleArn=a.STAGING_ROLE, RoleSessionName="test")["Credentials"]
    return boto3.client(
        service,  # type: ignore[call-overload]
        region_name=a.STAGING_AT[1],
        aws_access_key_id=granted["AccessKeyId"],
        aws_secret_access_key=granted["SecretAccessKey"],
        aws_session_token=granted["SessionToken"],
    )


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: LocalResources) -> Iterator[a.World]:
    with a.world_elsewhere(tmp_path, monkeypatch, resources) as built:
        release = example_document()["release"]
        staging = {**release["staging"], "account": a.STAGING_AT[0], "region": a.STAGING_AT[1]}
        production = {**release["production"], "role_arn": a.PRODUCTION_ROLE, "external_id": "model-shepherd-fraud"}
        asynchronous = copy.deepcopy(ASYNC_RELEASE)
        for key in ("output_path", "failure_path", "smoke_input_path"):
            path = asynchronous["async_inference"][key]
            asynchronous["async_inference"][key] = path.replace("s3://my-bucket/", f"s3://{BUCKET}/")
        policies_with_release(
            tmp_path / "policies",
            staging={**staging, "role_arn": a.STAGING_ROLE},
            production=production,
            **asynchronous,
        )
        in_staging("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": a.STAGING_AT[1]})
        endpoint_runtime.configure(r.STAGING, response=MODEL_ANSWER)  # what both smoke tests accept
        yield built
        endpoint_runtime.reset()


def test_async_smoke_tests_run_in_the_staging_account_through_its_role(world: a.World) -> None:
    arn = r.register_approved("v1")
    world.sent.clear()
    deps = world.container.release_deps
    on_approved(arn, deps)
    advance(r.GROUP, deps)  # staging InService: the async smoke tests, then production
    assert world.release().stage.value == "PRODUCTION", world.release().reason
    operations = {(request.service, request.operation, request.account, request.region) for request in world.sent}
    assert ("sagemaker-runtime", "InvokeEndpointAsync", *a.STAGING_AT) in operations
    assert ("s3", "PutObject", *a.STAGING_AT) in operations  # the smoke request
    assert ("s3", "GetObject", *a.STAGING_AT) in operations  # the answer
    home = [request for request in world.sent if (request.account, request.region) == a.HOME]
    assert [request for request in home if request.service in ("s3", "sagemaker-runtime")] == []
    answers = in_staging("s3").list_objects_v2(Bucket=BUCKET, Prefix="async/smoke/")["KeyCount"]
    assert answers == 2  # one request object per smoke test, in the staging account's bucket
