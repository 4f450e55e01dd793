"""Across accounts on the local stack: the registry in the app's moto account, staging in another account and
region, production in a third. A trained version registered at home goes LIVE in the production account (its
endpoint events forwarded home as the target-account template does); a second one whose canary serves no
traffic there is rolled back, the production account's endpoint returned to the first."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from devstack import accounts_setup, seed
from tests.support.accounts import PRODUCTION_ROLE, STAGING_AT, STAGING_ROLE
from tests.support.local_stack import ROOT, RunningStack, start_stack, wait_for
from tests.support.policies import example_document, policies_with_release

pytestmark = pytest.mark.e2e
GROUP, PRODUCTION = seed.GROUP, "fraud-detection-prod"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    release = example_document()["release"]
    staging = {**release["staging"], "account": STAGING_AT[0], "region": STAGING_AT[1], "role_arn": STAGING_ROLE}
    production = {**release["production"], "role_arn": PRODUCTION_ROLE}
    directory = tmp_path_factory.mktemp("p") / "policies"
    # A watch window of seconds: the second version need not wait an hour behind the first.
    policies = policies_with_release(directory, staging=staging, production=production, watch_minutes=0.1)
    running = start_stack("--policy-dir", str(policies), "--clock-speed", "300")  # the watch window in seconds
    seed.create_group(running.client("sagemaker"))
    yield running
    running.stop()


def in_account(stack: RunningStack, role: str, service: str, region: str = "us-east-1") -> Any:
    """A client of the role's account, as moto sees credentials from AssumeRole."""
    return accounts_setup.in_account(stack.aws_url, stack.client("sts"), role, service, region)


def register(stack: RunningStack, name: str) -> int:
    command = [".venv/bin/python", "-m", "devstack.register_example", name]
    done = subprocess.run(command, cwd=ROOT, env=stack.environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    version: int = json.loads(done.stdout.strip().splitlines()[-1])["version"]
    return version


def approved(stack: RunningStack, version: int) -> None:
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    sagemaker = stack.client("sagemaker")

    def described() -> dict[str, Any]:
        package: dict[str, Any] = sagemaker.describe_model_package(ModelPackageName=arn)
        return package

    wait_for(lambda: "shepherd:outcome" in described().get("CustomerMetadataProperties", {}), 20)
    if described()["ModelApprovalStatus"] != "Approved":
        approve = stack.shepherd("approve", GROUP, str(version), "--reason", "same model", "--by", "e2e")
        assert approve.returncode == 0, approve.stderr


def newest(stack: RunningStack) -> dict[str, Any]:
    listed = stack.shepherd("history", GROUP, "--json")
    rows: list[dict[str, Any]] = json.loads(listed.stdout)["history"] if listed.returncode == 0 else []
    return rows[0] if rows else {}


def serving(stack: RunningStack) -> int | None:
    """The version the production account's endpoint serves (its model names the package)."""
    return accounts_setup.serving(in_account(stack, PRODUCTION_ROLE, "sagemaker"), PRODUCTION)


def test_a_version_registered_at_home_goes_live_in_the_production_account(stack: RunningStack) -> None:
    version = register(stack, "v-accounts-1")
    wait_for(lambda: newest(stack).get("version") == version and newest(stack).get("outcome") == "LIVE", 60)
    assert serving(stack) == version
    staging = in_account(stack, STAGING_ROLE, "sagemaker", STAGING_AT[1])
    assert staging.describe_endpoint(EndpointName="fraud-detection-staging")["EndpointStatus"] == "InService"
    home = {e["EndpointName"] for e in stack.client("sagemaker").list_endpoints()["Endpoints"]}
    assert home == set()  # nothing of the release is in the registry's account
    status = stack.shepherd("status", GROUP)
    assert "staging: fraud-detection-staging (account 222222222222, region eu-west-1)" in status.stdout


def test_a_canary_with_no_traffic_in_the_production_account_is_rolled_back_there(stack: RunningStack) -> None:
    # The policy wants 100 canary invocations and nobody calls production in its own account: SageMaker's
    # update goes through, model-shepherd rolls production back to the first version, in that account.
    first = serving(stack)
    second = register(stack, "v-accounts-2")
    approved(stack, second)  # no better than the champion: the gate asks a person, who approves
    wait_for(lambda: newest(stack).get("version") == second and newest(stack).get("outcome") == "ROLLED_BACK", 90)
    assert "canary saw 0 invocations" in newest(stack)["reason"]
    wait_for(lambda: serving(stack) == first, 30)
