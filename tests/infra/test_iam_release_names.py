"""The rendered IAM policy allows every call a release makes on the names it generates, for any group name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.release.names import ATTEMPT_SPACE, name_prefix, resource_names
from chalicelib.shared.model_version import MAX_VERSION
from infra import iam
from infra.iam_rules import violations
from infra.names import PROJECT, load_config, stage_names
from tests.support.iam_match import allows
from tests.support.sagemaker_names import group_names

CONFIG = load_config()
RELEASING = "release_reconcile"  # the function that may run every step of a release (it repairs any of them)
STAGES = sorted(CONFIG["stages"])
LONG_GROUPS = ("A" * 30 + "-risk-scoring-models-europe-west", "A" * 30 + "-risk-scoring-models-europe-east")
versions = st.integers(1, MAX_VERSION)
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))
attempts = st.integers(0, ATTEMPT_SPACE - 1)


def release_policies(directory: Path, *groups: str) -> Path:
    """The example policy, once per group, each with its own endpoints: as a team with long group names has it."""
    example = json.loads((PROJECT / "policies" / "fraud-detection-models.json").read_text())
    for index, group in enumerate(groups):
        document = {**example, "group": group, "release": json.loads(json.dumps(example["release"]))}
        document["release"]["staging"]["endpoint_name"] = f"Team{index}-Staging"  # mixed case on purpose
        document["release"]["production"]["endpoint_name"] = f"Team{index}-Prod"
        (directory / f"{group}.json").write_text(json.dumps(document))
    return directory


def rendered(stage: str, policy_dir: Path) -> dict[str, Any]:
    names = stage_names(CONFIG, stage)
    documents = iam.render(names, iam.load_target(stage), iam.groups(policy_dir), iam.release_targets(policy_dir))
    return documents[RELEASING]


def uncovered(document: dict[str, Any], stage: str, policy: Path, names: tuple[str, str, str]) -> list[str]:
    """Every (action, ARN) a release under `policy` sends with `names` that the document does not allow."""
    arn = iam.load_target(stage).arn
    model, *configs = names
    release = json.loads(policy.read_text())["release"]
    endpoints = [release[kind]["endpoint_name"] for kind in ("staging", "production")]
    # IAM sees SageMaker ARNs lowercased: the ARN a request is authorised against is the lowercase one.
    calls = [("sagemaker:CreateModel", arn("sagemaker", f"model/{model}".lower()))]
    calls += [("sagemaker:CreateEndpointConfig", arn("sagemaker", f"endpoint-config/{c}".lower())) for c in configs]
    for endpoint in endpoints:
        for action in ("sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:DescribeEndpoint"):
            calls.append((action, arn("sagemaker", f"endpoint/{endpoint}".lower())))
        # UpdateEndpoint and CreateEndpoint are authorised on the endpoint config too
        for config in configs:
            calls.append(("sagemaker:UpdateEndpoint", arn("sagemaker", f"endpoint-config/{config}".lower())))
            calls.append(("sagemaker:CreateEndpoint", arn("sagemaker", f"endpoint-config/{config}".lower())))
    calls.append(("sagemaker:InvokeEndpoint", arn("sagemaker", f"endpoint/{endpoints[0]}".lower())))
    return [f"{action} {resource}" for action, resource in calls if not allows(document, action, resource)]


@pytest.fixture(scope="module")
def long_groups(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release_policies(tmp_path_factory.mktemp("policies"), "b" * 63, "C" * 63, *LONG_GROUPS)


@pytest.mark.parametrize("stage", STAGES)
@settings(deadline=None)
@given(versions, times, attempts)
def test_the_committed_policy_covers_every_release_of_every_group(
    stage: str, version: int, started: datetime, attempt: int
) -> None:
    document = json.loads((PROJECT / ".chalice" / iam.policy_file(stage, RELEASING)).read_text())
    for group in iam.groups():
        names = resource_names(group, version, started, attempt)
        assert uncovered(document, stage, PROJECT / "policies" / f"{group}.json", names) == [], group


@pytest.mark.parametrize("stage", STAGES)
@settings(deadline=None)
@given(versions, times, attempts)
def test_a_policy_for_63_character_groups_covers_their_releases(
    long_groups: Path, stage: str, version: int, started: datetime, attempt: int
) -> None:
    document = rendered(stage, long_groups)
    assert violations(document) == []
    for group in iam.groups(long_groups):
        names = resource_names(group, version, started, attempt)
        assert uncovered(document, stage, long_groups / f"{group}.json", names) == [], group


@settings(deadline=None)
@given(group_names(), versions, times, attempts)
def test_any_group_with_a_release_policy_is_covered(group: str, version: int, started: datetime, attempt: int) -> None:
    document = iam.render(stage_names(CONFIG, "prod"), iam.load_target("prod"), [group])[RELEASING]
    arn = iam.load_target("prod").arn
    model, *configs = resource_names(group, version, started, attempt)
    assert allows(document, "sagemaker:CreateModel", arn("sagemaker", f"model/{model}"))
    for config in configs:
        assert allows(document, "sagemaker:CreateEndpointConfig", arn("sagemaker", f"endpoint-config/{config}"))


def test_one_groups_grant_does_not_reach_a_similar_groups_names() -> None:
    first, second = LONG_GROUPS
    document = iam.render(stage_names(CONFIG, "prod"), iam.load_target("prod"), [first])[RELEASING]
    model, *_ = resource_names(second, 1, datetime(2026, 11, 26, tzinfo=UTC), 0)
    assert not allows(document, "sagemaker:CreateModel", iam.load_target("prod").arn("sagemaker", f"model/{model}"))


@pytest.mark.parametrize("stage", STAGES)
def test_models_and_configs_are_granted_exactly_their_groups_prefixes(stage: str) -> None:
    document = json.loads((PROJECT / ".chalice" / iam.policy_file(stage, RELEASING)).read_text())
    granted = {
        resource.split(":", 5)[5]
        for statement in document["Statement"]
        if "sagemaker:CreateModel" in statement["Action"]
        for resource in statement["Resource"]
        if not resource.split(":", 5)[5].startswith("endpoint/")
    }
    expected = {f"{kind}/{name_prefix(group)}-v*" for group in iam.groups() for kind in ("model", "endpoint-config")}
    assert granted == expected
