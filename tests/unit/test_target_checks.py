"""A release section's endpoints fit its target; serverless takes only what SageMaker can run serverless."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from chalicelib.adapters.policy_files import SCHEMA_PATH, FilePolicyRepository
from chalicelib.release.endpoint_spec import AsyncSpec, EndpointSpec, ServerlessSpec
from chalicelib.release.policy import ReleasePolicy
from chalicelib.shared.policy_checks import policy_problems
from chalicelib.shared.target_checks import allowed_deployments
from devstack.batch_setup import batch_release
from tests.support.policies import (
    async_document,
    batch_document,
    example_document,
    serverless_document,
    serverless_endpoint,
)


def with_release(document: dict[str, Any], **release: Any) -> dict[str, Any]:
    document["release"].update(release)
    return document


def test_the_serverless_example_has_no_problem_and_becomes_serverless_specs() -> None:
    document = serverless_document()
    assert policy_problems(document) == []
    policy = ReleasePolicy.from_section(document["release"])
    assert policy.staging == EndpointSpec("fraud-detection-staging", None, serverless=ServerlessSpec(2048, 20))
    assert policy.production.serverless == ServerlessSpec(4096, 50, provisioned_concurrency=5)


def test_a_realtime_policy_without_a_target_reads_as_before() -> None:
    policy = ReleasePolicy.from_section(example_document()["release"])
    assert policy.production == EndpointSpec("fraud-detection-prod", "ml.m5.xlarge", 2)


@pytest.mark.parametrize("kind", ["CANARY", "LINEAR"])
def test_serverless_refuses_stepped_traffic_and_says_which_deployments_it_allows(kind: str) -> None:
    deployment = {"type": kind, "canary_size": {"type": "CAPACITY_PERCENT", "value": 10}}
    deployment["linear_step_size"] = deployment["canary_size"]
    [problem] = policy_problems(with_release(serverless_document(), deployment=deployment))
    assert problem.startswith(f"release.deployment.type: {kind} is not available for a serverless target")
    assert problem.endswith("allowed: ALL_AT_ONCE")
    assert allowed_deployments("realtime") == ("ALL_AT_ONCE", "CANARY", "LINEAR")


def test_a_serverless_endpoint_with_instances_or_without_capacity_is_refused() -> None:
    staging = {**serverless_endpoint("fraud-detection-staging"), "instance_type": "ml.m5.large"}
    production = {"endpoint_name": "fraud-detection-prod"}
    problems = policy_problems(with_release(serverless_document(), staging=staging, production=production))
    assert problems == [
        "release.staging: instance_type do not apply to a serverless endpoint (its capacity is serverless)",
        "release.production: a serverless endpoint needs serverless (memory_size_mb, max_concurrency)",
    ]


def test_more_provisioned_than_maximum_concurrency_is_refused() -> None:
    production = serverless_endpoint("fraud-detection-prod", max_concurrency=4, provisioned_concurrency=5)
    [problem] = policy_problems(with_release(serverless_document(), production=production))
    assert problem == "release.production.serverless: provisioned_concurrency 5 is more than max_concurrency 4"


def test_a_realtime_endpoint_needs_an_instance_type_and_no_serverless_capacity() -> None:
    document = example_document()
    del document["release"]["staging"]["instance_type"]
    document["release"]["production"]["serverless"] = {"memory_size_mb": 1024, "max_concurrency": 1}
    assert policy_problems(document) == [
        'release.staging: instance_type is needed for release.target "realtime"',
        'release.production.serverless: only for release.target "serverless" (it is "realtime")',
    ]


@pytest.mark.parametrize(
    ("capacity", "why"),
    [
        ({"memory_size_mb": 1500, "max_concurrency": 5}, "1500 is not one of"),
        ({"memory_size_mb": 8192, "max_concurrency": 5}, "8192 is not one of"),
        ({"memory_size_mb": 1024, "max_concurrency": 201}, "201 is greater than the maximum of 200"),
        ({"memory_size_mb": 1024, "max_concurrency": 5, "provisioned_concurrency": 0}, "0 is less than"),
        ({"memory_size_mb": 1024}, "'max_concurrency' is a required property"),
    ],
)
def test_serverless_capacity_outside_sagemakers_limits_fails_the_schema(
    capacity: dict[str, Any], why: str, tmp_path: Path
) -> None:
    production = {"endpoint_name": "fraud-detection-prod", "serverless": capacity}
    problems = FilePolicyRepository(tmp_path).problems(with_release(serverless_document(), production=production))
    assert any(why in problem for problem in problems), problems


def test_the_schema_serverless_limits_are_botocores() -> None:
    shape: Any = (
        botocore.session.get_session().get_service_model("sagemaker").shape_for("ProductionVariantServerlessConfig")
    )
    ours = _schema_serverless()
    memory = shape.members["MemorySizeInMB"].metadata
    assert (min(ours["memory_size_mb"]["enum"]), max(ours["memory_size_mb"]["enum"])) == (memory["min"], memory["max"])
    for key, member in (("max_concurrency", "MaxConcurrency"), ("provisioned_concurrency", "ProvisionedConcurrency")):
        limits = shape.members[member].metadata
        assert (ours[key]["minimum"], ours[key]["maximum"]) == (limits["min"], limits["max"]), key
    assert set(shape.required_members) == {"MemorySizeInMB", "MaxConcurrency"}


def _schema_serverless() -> dict[str, Any]:
    properties: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())["$defs"]["serverless_config"]["properties"]
    return properties


def test_the_serverless_example_in_policy_md_is_a_valid_policy(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "docs" / "policy.md").read_text()
    section = text.split("### A serverless target", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    release = json.loads("{" + block.group(1) + "}")["release"]
    document = example_document()
    document["release"] = {**document["release"], **release}
    assert FilePolicyRepository(tmp_path).problems(document) == []
    assert ReleasePolicy.from_section(document["release"]).production.serverless == ServerlessSpec(4096, 50, 5)


def test_the_async_example_has_no_problem_and_both_endpoints_write_to_its_paths() -> None:
    document = async_document()
    assert policy_problems(document) == []
    policy = ReleasePolicy.from_section(document["release"])
    expected = AsyncSpec(
        "s3://my-bucket/async/answers",
        "s3://my-bucket/async/failures",
        "s3://my-bucket/async/smoke",
        max_concurrent_invocations=4,
    )
    assert policy.staging.asynchronous == policy.production.asynchronous == expected
    assert policy.production.instance_type == "ml.m5.xlarge"  # async endpoints run on instances


def test_async_needs_its_section_and_only_async_may_have_one() -> None:
    document = async_document()
    del document["release"]["async_inference"]
    assert policy_problems(document) == [
        "release: an async target needs async_inference (output_path, failure_path, smoke_input_path)"
    ]
    document = example_document()
    document["release"]["async_inference"] = async_document()["release"]["async_inference"]
    assert policy_problems(document) == ['release.async_inference: only for release.target "async" (it is "realtime")']
    assert ReleasePolicy.from_section(document["release"]).staging.asynchronous is None


def test_the_schema_async_limits_are_botocores(tmp_path: Path) -> None:
    model: Any = botocore.session.get_session().get_service_model("sagemaker")
    ours = json.loads(SCHEMA_PATH.read_text())["$defs"]["async_inference"]["properties"]
    limits = model.shape_for("AsyncInferenceClientConfig").members["MaxConcurrentInvocationsPerInstance"].metadata
    assert (ours["max_concurrent_invocations"]["minimum"], ours["max_concurrent_invocations"]["maximum"]) == (
        limits["min"],
        limits["max"],
    )
    document = async_document()
    document["release"]["async_inference"]["output_path"] = "my-bucket/answers"  # not an S3 URI
    document["release"]["async_inference"]["error_topic"] = "errors"  # not a topic ARN
    problems = FilePolicyRepository(tmp_path).problems(document)
    assert len(problems) == 2 and all("does not match" in problem for problem in problems), problems


def test_the_async_example_in_policy_md_is_a_valid_policy(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "docs" / "policy.md").read_text()
    block = re.search(r"```json\n(.*?)```", text.split("### An asynchronous target", 1)[1], re.S)
    assert block is not None
    document = example_document()
    document["release"] = {**document["release"], **json.loads("{" + block.group(1) + "}")["release"]}
    assert FilePolicyRepository(tmp_path).problems(document) == []
    assert ReleasePolicy.from_section(document["release"]).staging.asynchronous is not None


def test_an_async_staging_endpoint_in_another_account_is_valid() -> None:
    # Its smoke tests put requests and read answers with the stage's own credentials (StageAdapters).
    document = async_document()
    document["release"]["staging"]["account"] = "222222222222"
    document["release"]["staging"]["role_arn"] = "arn:aws:iam::222222222222:role/model-shepherd-deploy"
    assert policy_problems(document) == []


def test_the_batch_example_has_no_problem_and_becomes_transform_settings_without_endpoints() -> None:
    document = batch_document()
    assert policy_problems(document) == []
    policy = ReleasePolicy.from_section(document["release"])
    assert policy.batch is not None and policy.batch.instance_type == "ml.m5.large"
    assert policy.staging.name == policy.production.name == ""  # no name an endpoint event can carry


def test_batch_refuses_endpoints_and_needs_its_transform_settings() -> None:
    document = batch_document()
    document["release"]["staging"] = example_document()["release"]["staging"]
    del document["release"]["batch_transform"]
    problems = policy_problems(document)
    assert "release.staging: a batch target has no endpoint (remove it)" in problems
    assert any(problem.startswith("release: a batch target needs batch_transform") for problem in problems)


def test_other_targets_need_both_endpoints_and_refuse_transform_settings() -> None:
    document = example_document()
    del document["release"]["production"]
    document["release"]["batch_transform"] = batch_document()["release"]["batch_transform"]
    assert policy_problems(document) == [
        'release: production (an endpoint) is needed for release.target "realtime"',
        'release.batch_transform: only for release.target "batch" (it is "realtime")',
    ]


def test_batch_allows_only_all_at_once() -> None:
    document = batch_document()
    document["release"]["deployment"] = {
        "type": "LINEAR",
        "linear_step_size": {"type": "CAPACITY_PERCENT", "value": 10},
    }
    [problem] = policy_problems(document)
    assert problem.startswith("release.deployment.type: LINEAR is not available for a batch target")
    assert problem.endswith("allowed: ALL_AT_ONCE")


def test_the_schema_admits_exactly_sagemakers_transform_instance_types_and_split_types() -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    schema = json.loads(SCHEMA_PATH.read_text())["$defs"]["batch_transform"]["properties"]
    assert schema["instance_type"]["enum"] == model.shape_for("TransformInstanceType").metadata["enum"]
    assert schema["split_type"]["enum"] == model.shape_for("SplitType").metadata["enum"]


def test_the_batch_example_in_policy_md_is_a_valid_policy(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "docs" / "policy.md").read_text()
    block = re.search(r"```json\n(.*?)```", text.split("### A batch target", 1)[1], re.S)
    assert block is not None
    document = example_document()
    section = json.loads("{" + block.group(1) + "}")["release"]
    document["release"] = {**batch_release(document["release"]), **section}
    assert FilePolicyRepository(tmp_path).problems(document) == []
    assert ReleasePolicy.from_section(document["release"]).batch is not None
