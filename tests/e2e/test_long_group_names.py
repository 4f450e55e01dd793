"""A group with SageMaker's longest name (63 characters, mixed case) goes LIVE on the local stack, and every
model and endpoint config the release made is valid by SageMaker's rules and inside what IAM grants."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.release.names import name_prefix
from devstack import demo_setup, policy_alarms, seed
from infra import iam
from infra.names import load_config, stage_names
from tests.support.iam_match import allows
from tests.support.local_stack import RunningStack, start_stack, wait_for
from tests.support.sagemaker_names import problems

pytestmark = pytest.mark.e2e
GROUP = "Payments-Risk-Scoring-Models-For-The-EMEA-Region-Card-Not-Prese"
STAGING, PRODUCTION = "Payments-Risk-Scoring-Staging", "Payments-Risk-Scoring-Production"


def long_group_policy(directory: Path) -> Path:
    """The demo's policies (and schema), plus the example policy for the long group with endpoints of its own."""
    policies = demo_setup.demo_policies(directory)
    example = json.loads((policies / f"{seed.GROUP}.json").read_text())
    release = example["release"]
    release["staging"]["endpoint_name"], release["production"]["endpoint_name"] = STAGING, PRODUCTION
    release["alarms"] = [f"{PRODUCTION}-5xx", f"{PRODUCTION}-latency-p99"]
    for smoke_test in release["smoke_tests"]:  # names are what this checks, not a loaded machine's latency
        smoke_test["max_latency_ms"] = 30_000
    (policies / f"{GROUP}.json").write_text(json.dumps({**example, "group": GROUP}), encoding="utf-8")
    return policies


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return long_group_policy(tmp_path_factory.mktemp("long-group"))


@pytest.fixture(scope="module")
def stack(policies: Path) -> Iterator[RunningStack]:
    answers = [f"{name}={demo_setup.MODEL_ANSWER}" for name in (STAGING, PRODUCTION)]
    running = start_stack(
        "--policy-dir", str(policies), *(a for answer in answers for a in ("--endpoint-response", answer))
    )
    seed.create_group(running.client("sagemaker"), GROUP)
    policy_alarms.create_alarms(running.client("cloudwatch"), demo_setup.release_section(GROUP, policies))
    yield running
    running.stop()


def live_version(stack: RunningStack) -> int | None:
    listed = subprocess.run(
        [".venv/bin/shepherd", "status", GROUP, "--json"],
        env=stack.environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stdout + listed.stderr
    [group] = json.loads(listed.stdout)["groups"]
    return next((v["version"] for v in group["versions"] if v["role"].startswith("LIVE")), None)


def test_a_version_of_a_63_character_group_goes_live_with_valid_names_inside_the_iam_grants(
    stack: RunningStack, policies: Path
) -> None:
    assert len(GROUP) == 63 and problems("group", GROUP) == []
    sagemaker = stack.client("sagemaker")
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "long-good", seed.GOOD)
    version = int(seed.register_version(sagemaker, uri, "long-good", group=GROUP).rsplit("/", 1)[1])

    wait_for(lambda: live_version(stack) == version, 40)

    serving = sagemaker.describe_endpoint(EndpointName=PRODUCTION)["EndpointConfigName"]
    assert serving.startswith(f"{name_prefix(GROUP)}-v{version}-")
    models = [m["ModelName"] for m in sagemaker.list_models()["Models"]]
    configs = [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]]
    assert len(models) == 1 and len(configs) == 2  # the model, its staging and its production config
    assert [problem for name in models for problem in problems("model", name)] == []
    assert [problem for name in configs for problem in problems("endpoint-config", name)] == []

    document = iam.render(
        stage_names(load_config(), "prod"),
        iam.load_target("prod"),
        iam.groups(policies),
        iam.release_targets(policies),
    )["release_decided"]  # the role of the function that starts releases (models, configs, endpoints)
    arn = iam.load_target("prod").arn
    assert all(allows(document, "sagemaker:CreateModel", arn("sagemaker", f"model/{name.lower()}")) for name in models)
    for name in configs:
        assert allows(document, "sagemaker:CreateEndpointConfig", arn("sagemaker", f"endpoint-config/{name.lower()}"))
    for endpoint in (STAGING, PRODUCTION):
        assert allows(document, "sagemaker:UpdateEndpoint", arn("sagemaker", f"endpoint/{endpoint.lower()}"))
