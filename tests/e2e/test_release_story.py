"""The demo's release story on the local stack, over the wire, on real models: versions trained and measured as
the demo trains them, served by the local endpoints from their own artifacts. LIVE through staging, smoke tests
judging the model's predictions and a counted canary; a worse model (shuffled labels) rejected on its real
metrics; a borderline one approved by a click through the fake Slack; a canary tripped by an alarm and rolled
back by (local) SageMaker; `shepherd history` and `rollback`. One stack for the module, with the demo's
policies (watch window in seconds); the tests run in order, each building on the last."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from devstack import demo_setup, example_versions, fraud_model, policy_alarms, seed
from devstack.traffic import Traffic
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
GROUP, STAGING, PRODUCTION = seed.GROUP, "fraud-detection-staging", "fraud-detection-prod"
APPROVER = "U024BE7LH"  # in the policy's slack.approvers


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"))
    running = start_stack(
        "--policy-dir",
        str(policies),
        "--clock-speed",
        "300",
        "--bake-seconds",
        "3",
        "--canary-calls",  # the policy's min_canary_invocations: the bake waits for them on a loaded machine
        "100",
    )
    seed.create_group(running.client("sagemaker"))
    policy_alarms.create_alarms(running.client("cloudwatch"), demo_setup.release_section(GROUP, policies))
    traffic = Traffic(running.client("sagemaker-runtime"), PRODUCTION).start()  # customers, all along
    yield running
    traffic.stop()
    running.stop()


def shepherd(stack: RunningStack, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [".venv/bin/shepherd", *argv], env=stack.environment, capture_output=True, text=True, timeout=60, check=False
    )


def register(stack: RunningStack, name: str, recipe: fraud_model.Recipe) -> int:
    return example_versions.register(stack.client, recipe, name).version


def approved(stack: RunningStack, version: int) -> None:
    """Approved by the gate, or (its p99 measured on a busy machine over the champion's) by a person."""
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    sagemaker = stack.client("sagemaker")
    wait_for(
        lambda: (
            "shepherd:outcome"
            in sagemaker.describe_model_package(ModelPackageName=arn).get("CustomerMetadataProperties", {})
        ),
        20,
    )
    if sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] != "Approved":
        assert (
            shepherd(stack, "approve", GROUP, str(version), "--reason", "latency noise", "--by", "e2e").returncode == 0
        )


def history(stack: RunningStack) -> list[dict[str, Any]]:
    result = shepherd(stack, "history", GROUP, "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["history"]
    return rows


def live_version(stack: RunningStack) -> int | None:
    [group] = json.loads(shepherd(stack, "status", GROUP, "--json").stdout)["groups"]
    return next((v["version"] for v in group["versions"] if v["role"].startswith("LIVE")), None)


def production(stack: RunningStack) -> dict[str, Any]:
    endpoint: dict[str, Any] = stack.client("sagemaker").describe_endpoint(EndpointName=PRODUCTION)
    return endpoint


def slack_messages(stack: RunningStack) -> list[dict[str, Any]]:
    listed = shepherd(stack, "slack", "messages", "--json")
    assert listed.returncode == 0, listed.stderr
    messages: list[dict[str, Any]] = json.loads(listed.stdout)
    return messages


def sns(stack: RunningStack) -> list[dict[str, Any]]:
    sqs = stack.client("sqs")
    url = sqs.get_queue_url(QueueName="model-shepherd-local-inbox")["QueueUrl"]
    received = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            received.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return received


def test_good_version_goes_live_through_staging_smoke_tests_and_production(stack: RunningStack) -> None:
    version = register(stack, "good", fraud_model.GOOD)
    wait_for(lambda: live_version(stack) == version, 30)
    assert f"-v{version}-" in production(stack)["EndpointConfigName"]
    assert stack.client("sagemaker").describe_endpoint(EndpointName=STAGING)["EndpointStatus"] == "InService"
    [row] = history(stack)
    assert (row["version"], row["outcome"], row["approved_by"]) == (version, "LIVE", "model-shepherd gate")
    types = [(m["type"], m.get("version")) for m in sns(stack)]
    assert ("release.live", version) in types and ("gate.decision", version) in types
    assert any("release_endpoint" in line and "WATCHING" in line for line in stack.output)
    [group] = json.loads(shepherd(stack, "status", GROUP, "--json").stdout)["groups"]
    lifecycle = next(v["lifecycle"] for v in group["versions"] if v["version"] == version)
    # Its ModelLifeCycle in the registry, as Studio shows it (the local watch window may be over already).
    assert lifecycle in ("Production/Watching", "Production/Approved")
    assert any(f"{GROUP} v{version}" in m["text"] for m in slack_messages(stack))  # and in Slack
    legit = stack.client("sagemaker-runtime").invoke_endpoint(EndpointName=PRODUCTION, Body=b"120.5,0,1,0,3,14,0.2")
    assert float(legit["Body"].read()) < 0.1  # the trained model answers, as SageMaker's XGBoost container does


def test_model_trained_on_shuffled_labels_is_rejected_on_its_measured_metrics(stack: RunningStack) -> None:
    version = register(stack, "bad", fraud_model.BAD)
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    sagemaker = stack.client("sagemaker")
    wait_for(lambda: sagemaker.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"] == "Rejected", 20)
    assert "auc" in sagemaker.describe_model_package(ModelPackageName=arn)["ApprovalDescription"]


def test_slack_click_through_the_fake_slack_approves_and_the_canary_goes_live(stack: RunningStack) -> None:
    version = register(stack, "borderline", fraud_model.BORDERLINE)  # recall under the bar: people decide
    wait_for(lambda: f"/{GROUP}/{version}" in shepherd(stack, "slack", "messages", "--json").stdout, 20)
    clicked = shepherd(stack, "slack", "click", GROUP, str(version), "approve", "--as", APPROVER, "--json")
    assert clicked.returncode == 0, clicked.stdout + clicked.stderr
    assert json.loads(clicked.stdout)["status"] == 200
    package = stack.client("sagemaker").describe_model_package(
        ModelPackageName=f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/{version}"
    )
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["ApprovalDescription"].startswith(f"Approved by u024be7lh ({APPROVER}) in Slack")
    messages = json.loads(shepherd(stack, "slack", "messages", "--json").stdout)
    review = next(m for m in messages if m["ts"] == json.loads(clicked.stdout)["message_ts"])
    assert review["updates"] >= 1 and not review["buttons"]  # replaced: who decided, buttons gone
    wait_for(lambda: live_version(stack) == version, 40)  # staging, smoke tests, a canary with traffic
    assert history(stack)[0]["approved_by"] == f"slack:u024be7lh {APPROVER}"


def test_canary_that_trips_an_alarm_is_rolled_back_and_production_keeps_the_live_version(stack: RunningStack) -> None:
    serving = production(stack)["EndpointConfigName"]
    version = register(stack, "canary", fraud_model.BETTER)
    approved(stack, version)
    wait_for(lambda: production(stack)["EndpointStatus"] == "Updating", 40)
    cloudwatch = stack.client("cloudwatch")
    cloudwatch.set_alarm_state(AlarmName="fraud-detection-prod-5xx", StateValue="ALARM", StateReason="e2e")
    try:
        wait_for(lambda: history(stack)[0]["version"] == version, 30)
    finally:
        cloudwatch.set_alarm_state(AlarmName="fraud-detection-prod-5xx", StateValue="OK", StateReason="e2e")
    newest = history(stack)[0]
    assert newest["outcome"] == "ROLLED_BACK"
    assert "alarm(s) fraud-detection-prod-5xx in ALARM" in newest["reason"]
    assert (production(stack)["EndpointStatus"], production(stack)["EndpointConfigName"]) == ("InService", serving)
    assert ("release.rolled_back", version) in [(m["type"], m.get("version")) for m in sns(stack)]
    told = next(m for m in reversed(slack_messages(stack)) if f"{GROUP} v{version}" in m["text"])
    assert [b["action_id"] for b in told["buttons"]] == ["shepherd_rollback"]  # people may roll back further


def test_manual_rollback_from_the_cli_and_its_history(stack: RunningStack) -> None:
    before = live_version(stack)
    rolled = shepherd(stack, "rollback", GROUP, "--reason", "latency complaints", "--by", "e2e")
    assert rolled.returncode == 0, rolled.stderr
    wait_for(
        lambda: (
            production(stack)["EndpointStatus"] == "InService" and "-v1-" in production(stack)["EndpointConfigName"]
        ),
        20,
    )
    newest = history(stack)[0]
    assert (newest["version"], newest["outcome"], newest["replaced"]) == (1, "ROLLBACK", before)
    assert newest["reason"] == "by e2e (shepherd CLI): latency complaints"
    table = shepherd(stack, "history", GROUP).stdout
    assert "ROLLBACK" in table and "ROLLED_BACK" in table and "approved by" in table
    again = shepherd(stack, "rollback", GROUP, "--to", "1", "--reason", "again")
    assert (again.returncode, "already live" in again.stderr) == (1, True)
    assert shepherd(stack, "history", "no-such-group").returncode == 3
