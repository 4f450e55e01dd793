"""Four eyes on the local stack, over the wire: a borderline version registered by one approver waits for two
others; its registrant's click is not counted (users.info of the fake Slack), the first other click shows
who approved so far, the second approves it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack import demo_setup, seed
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
GROUP = seed.GROUP
REGISTRANT, OTHER, THIRD = "U024BE7LH", "U0G9QF9C6", "U0LEAD01"
EMAIL = "jane.doe@example.com"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"))
    path = policies / f"{GROUP}.json"
    document = json.loads(path.read_text())
    document["slack"].update(approvers=[REGISTRANT, OTHER, THIRD], required_approvals=2)
    path.write_text(json.dumps(document))
    running = start_stack("--policy-dir", str(Path(policies)))
    seed.create_group(running.client("sagemaker"))
    yield running
    running.stop()


def approve(stack: RunningStack, version: int, user: str) -> subprocess.CompletedProcess[str]:
    return stack.shepherd("slack", "click", GROUP, str(version), "approve", "--as", user)


def review_posted(stack: RunningStack, arn: str) -> bool:
    messages = json.loads(stack.shepherd("slack", "messages", "--json").stdout)
    return any(button["value"] == arn for message in messages for button in message["buttons"])


def test_two_approvers_other_than_the_registrant_approve_a_review(stack: RunningStack) -> None:
    assert stack.shepherd("slack", "user", REGISTRANT, "--email", EMAIL).returncode == 0
    sagemaker, s3 = stack.client("sagemaker"), stack.client("s3")
    champion = seed.register_version(sagemaker, seed.upload_metrics(s3, "my-bucket", "good", seed.GOOD), "good")
    wait_for(lambda: sagemaker.describe_model_package(ModelPackageName=champion)["ModelApprovalStatus"] == "Approved")
    uri = seed.upload_metrics(s3, "my-bucket", "borderline", seed.BORDERLINE)
    arn = seed.register_version(sagemaker, uri, "borderline", registered_by=EMAIL)
    version = int(arn.rsplit("/", 1)[1])
    wait_for(lambda: review_posted(stack, arn), 30)

    own = approve(stack, version, REGISTRANT)
    assert own.returncode == 1 and f"you ({EMAIL}) registered this version" in own.stdout
    first = approve(stack, version, OTHER)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Approved so far (1 of 2): u0g9qf9c6 (U0G9QF9C6). 1 more approval needed." in first.stdout
    assert sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "PendingManualApproval"
    second = approve(stack, version, THIRD)
    assert second.returncode == 0, second.stdout + second.stderr
    package = sagemaker.describe_model_package(ModelPackageName=arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert "2 approvals: u0g9qf9c6 (U0G9QF9C6), u0lead01 (U0LEAD01)" in package["ApprovalDescription"]
