"""People in the loop on the local stack, over the wire: a manual promotion from the fake Slack, a stop from
the CLI, a reminder and an expiry driven by the reconciler's schedule, a review that expires, /shepherd.
One stack for the module, the demo's policies with `release.promotion` manual, its hours and the review's
days in seconds; the tests run in order."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack import demo_setup, seed
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
GROUP, STAGING, PRODUCTION = seed.GROUP, "fraud-detection-staging", "fraud-detection-prod"
APPROVER = "U024BE7LH"  # in the policy's slack.approvers
EXPIRES_SECONDS, REMIND_SECONDS = 40, 12
REVIEW_SECONDS = 45  # slack.review_expires_days, in seconds: a reminder at half-time, then Rejected


def manual_policies(directory: Path) -> Path:
    policies = demo_setup.demo_policies(directory)
    path = policies / f"{GROUP}.json"
    document = json.loads(path.read_text())
    document["release"]["promotion"] = {
        "mode": "manual",
        "expires_hours": EXPIRES_SECONDS / 3600,
        "remind_after_hours": REMIND_SECONDS / 3600,
    }
    document["slack"]["review_expires_days"] = REVIEW_SECONDS / 86400
    path.write_text(json.dumps(document))
    return policies


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = manual_policies(tmp_path_factory.mktemp("policies"))
    answers = [f"{name}={demo_setup.MODEL_ANSWER}" for name in (STAGING, PRODUCTION)]
    running = start_stack(
        "--policy-dir",
        str(policies),
        "--clock-speed",
        "300",  # the reconciler every second
        *(arg for answer in answers for arg in ("--endpoint-response", answer)),
    )
    seed.create_group(running.client("sagemaker"))
    yield running
    running.stop()


def shepherd(stack: RunningStack, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/shepherd", *argv], env=stack.environment, capture_output=True, text=True, timeout=60, check=False
    )


def register(stack: RunningStack, name: str, auc: float) -> int:
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", name, {**seed.GOOD, "auc": auc})
    return int(seed.register_version(stack.client("sagemaker"), uri, name).rsplit("/", 1)[1])


def history(stack: RunningStack) -> list[dict[str, Any]]:
    result = shepherd(stack, "history", GROUP, "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["history"]
    return rows


def outcomes(stack: RunningStack, version: int) -> list[str]:
    return [row["outcome"] for row in history(stack) if row["version"] == version]


def in_flight(stack: RunningStack) -> dict[str, Any] | None:
    [group] = json.loads(shepherd(stack, "status", GROUP, "--json").stdout)["groups"]
    found: dict[str, Any] | None = group["in_flight"]
    return found


def awaiting(stack: RunningStack, version: int) -> bool:
    return in_flight(stack) == {"version": version, "stage": "AWAITING_PROMOTION"}


def slack_texts(stack: RunningStack) -> list[str]:
    return [message["text"] for message in json.loads(shepherd(stack, "slack", "messages", "--json").stdout)]


def serving(stack: RunningStack) -> str:
    return str(stack.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)["EndpointConfigName"])


def test_a_promote_click_in_slack_sends_the_release_to_production(stack: RunningStack) -> None:
    version = register(stack, "first", 0.95)
    wait_for(lambda: awaiting(stack, version), 30)
    assert PRODUCTION not in [e["EndpointName"] for e in stack.client("sagemaker").list_endpoints()["Endpoints"]]
    assert any(f"{GROUP} v{version} passed its smoke tests" in text for text in slack_texts(stack))
    clicked = shepherd(stack, "slack", "click", GROUP, str(version), "promote", "--as", APPROVER, "--json")
    assert clicked.returncode == 0, clicked.stdout + clicked.stderr
    wait_for(lambda: "LIVE" in outcomes(stack, version), 40)
    assert f"-v{version}-" in serving(stack)
    promoted = next(row for row in history(stack) if row["outcome"] == "PROMOTED")
    assert promoted["reason"].startswith(f"by slack:u024be7lh ({APPROVER})")


def test_stop_from_the_cli_ends_it_and_production_keeps_the_live_version(stack: RunningStack) -> None:
    before = serving(stack)
    version = register(stack, "second", 0.96)
    wait_for(lambda: awaiting(stack, version), 30)
    stopped = shepherd(stack, "stop", GROUP, "--reason", "feature drift", "--by", "ops")
    assert stopped.returncode == 0, stopped.stderr
    assert outcomes(stack, version) == ["STOPPED"]
    assert serving(stack) == before
    refused = shepherd(stack, "promote", GROUP, str(version), "--reason", "changed my mind")
    assert refused.returncode == 1 and "not promoted" in refused.stderr


def test_the_reconciler_reminds_then_expires_it_and_production_is_untouched(stack: RunningStack) -> None:
    before = serving(stack)
    version = register(stack, "third", 0.97)
    wait_for(lambda: awaiting(stack, version), 30)
    wait_for(lambda: any(f"Reminder: {GROUP} v{version}" in text for text in slack_texts(stack)), 40)
    wait_for(lambda: outcomes(stack, version) == ["EXPIRED"], EXPIRES_SECONDS + 30)
    assert any(f"{GROUP} v{version} EXPIRED" in text for text in slack_texts(stack))
    assert serving(stack) == before
    late = shepherd(stack, "slack", "click", GROUP, str(version), "promote", "--as", APPROVER, "--json")
    assert late.returncode == 1  # refused: only the clicker was told why
    assert serving(stack) == before


def test_a_reject_in_slack_asks_why_refuses_an_empty_reason_and_records_the_reason(stack: RunningStack) -> None:
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "borderline", seed.BORDERLINE)
    version = int(seed.register_version(stack.client("sagemaker"), uri, "borderline").rsplit("/", 1)[1])
    wait_for(lambda: f"/{GROUP}/{version}" in shepherd(stack, "slack", "messages", "--json").stdout, 30)
    empty = shepherd(
        stack, "slack", "click", GROUP, str(version), "reject", "--as", APPROVER, "--reason", " ", "--json"
    )
    assert empty.returncode == 1
    assert json.loads(empty.stdout)["modal"]["errors"] == {"reason": "A reason is required."}
    clicked = shepherd(
        stack, "slack", "click", GROUP, str(version), "reject", "--as", APPROVER, "--reason", "label leak", "--json"
    )
    assert clicked.returncode == 0, clicked.stdout + clicked.stderr
    package = stack.client("sagemaker").describe_model_package(
        ModelPackageName=f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    )
    assert package["ModelApprovalStatus"] == "Rejected"
    assert package["ApprovalDescription"].startswith(f"Rejected by u024be7lh ({APPROVER}) in Slack: label leak.")


def test_decide_again_in_slack_asks_why_and_says_the_gate_still_wants_people(stack: RunningStack) -> None:
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "borderline-again", seed.BORDERLINE)
    version = int(seed.register_version(stack.client("sagemaker"), uri, "borderline-again").rsplit("/", 1)[1])
    wait_for(lambda: f"/{GROUP}/{version}" in shepherd(stack, "slack", "messages", "--json").stdout, 30)
    argv = ("slack", "click", GROUP, str(version), "regate", "--as", APPROVER, "--reason", "second look", "--json")
    clicked = shepherd(stack, *argv)
    assert clicked.returncode == 0, clicked.stdout + clicked.stderr
    assert any("still in review" in reply["text"] for reply in json.loads(clicked.stdout)["replies"])


def test_a_stale_review_button_is_refused_before_it_asks_why(stack: RunningStack) -> None:
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "borderline-stale", seed.BORDERLINE)
    version = int(seed.register_version(stack.client("sagemaker"), uri, "borderline-stale").rsplit("/", 1)[1])
    wait_for(lambda: f"/{GROUP}/{version}" in shepherd(stack, "slack", "messages", "--json").stdout, 30)
    rejected = shepherd(stack, "reject", GROUP, str(version), "--reason", "drift", "--by", "ops")
    assert rejected.returncode == 0, rejected.stderr
    argv = ("slack", "click", GROUP, str(version), "regate", "--as", APPROVER, "--reason", "again", "--json")
    answer = json.loads(shepherd(stack, *argv).stdout)
    assert answer["modal"] is None  # no reason asked for a decision that cannot be made
    assert any("is already Rejected: cli:ops" in reply["text"] for reply in answer["replies"])


def test_a_review_nobody_decides_is_reminded_then_rejected_and_slash_shepherd_shows_it_meanwhile(
    stack: RunningStack,
) -> None:
    uri = seed.upload_metrics(stack.client("s3"), "my-bucket", "borderline-2", seed.BORDERLINE)
    arn = seed.register_version(stack.client("sagemaker"), uri, "borderline-2")
    version = int(arn.rsplit("/", 1)[1])
    wait_for(lambda: f"/{GROUP}/{version}" in shepherd(stack, "slack", "messages", "--json").stdout, 30)
    pending = shepherd(stack, "slack", "command", "pending", "--as", APPROVER)
    assert pending.returncode == 0, pending.stdout + pending.stderr
    assert f"{GROUP} v{version} awaits review" in pending.stdout
    status = shepherd(stack, "slack", "command", f"status {GROUP}", "--as", APPROVER, "--json")
    assert json.loads(status.stdout)["answer"]["response_type"] == "ephemeral"
    wait_for(lambda: any(f"Reminder: {GROUP} v{version}" in text for text in slack_texts(stack)), REVIEW_SECONDS)
    package = stack.client("sagemaker").describe_model_package
    wait_for(lambda: package(ModelPackageName=arn)["ModelApprovalStatus"] == "Rejected", REVIEW_SECONDS + 30)
    assert "review expired" in package(ModelPackageName=arn)["ApprovalDescription"]
    assert {"REVIEW_EXPIRED", "REVIEW_REMINDED"} <= set(outcomes(stack, version))
    assert sum(f"{GROUP} v{version} was Rejected: review expired" in text for text in slack_texts(stack)) == 1
    nothing = shepherd(stack, "slack", "command", "pending", "--as", APPROVER)
    assert f"v{version} awaits review" not in nothing.stdout
