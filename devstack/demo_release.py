"""The story's release steps: LIVE through staging, smoke tests and a canary; a Slack click; an alarm that
trips a canary; a manual rollback. Each acts as a user would (boto3, `shepherd`, the fake Slack) and then
watches what the release engine recorded, saying what happened."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

from devstack.demo_steps import GROUP, StepFailed, Story, expect

APPROVER = "U024BE7LH"  # in the policy's slack.approvers


def good_goes_live(story: Story) -> None:
    wait_live(story, "good")


def borderline_approved_in_slack(story: Story) -> None:
    version = story.version("borderline")
    story.wait_for("the review message in the fake Slack", lambda: has_button(GROUP, version), timeout=10)
    story.say(f"Slack: {APPROVER} clicks Approve on the review message for v{version}")
    code = story.cli(["slack", "click", GROUP, str(version), "approve", "--as", APPROVER])
    if code != 0:
        raise StepFailed(f"shepherd slack click exited {code}")
    package = story.client("sagemaker").describe_model_package(ModelPackageName=story.arns["borderline"])
    expect(package["ModelApprovalStatus"], "Approved")
    story.say(f"registry: v{version} {package['ModelApprovalStatus']}: {package['ApprovalDescription'][:90]}...")


def borderline_goes_live(story: Story) -> None:
    wait_live(story, "borderline")


def canary_trips_an_alarm(story: Story) -> None:
    story.register("canary", story.canary_recipe)
    approved_by_gate_or_person(story, "canary")
    version, production = story.version("canary"), story.production_endpoint
    sagemaker, cloudwatch = story.client("sagemaker"), story.client("cloudwatch")
    story.wait_for(
        "the canary on production",
        lambda: sagemaker.describe_endpoint(EndpointName=production)["EndpointStatus"] == "Updating",
        timeout=60,
    )
    alarm = story.alarms[0]
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="demo: the canary returns 5xx")
    story.say(f"alarm {alarm} -> ALARM while the canary bakes")
    ended = story.wait_for(f"v{version}'s release to end", lambda: _ended(story, version), timeout=60)
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="demo: recovered")
    expect(ended.stage.value, "ROLLED_BACK")
    story.say(f"v{version} {ended.stage.value}: {ended.reason}")
    serving = sagemaker.describe_endpoint(EndpointName=production)["EndpointConfigName"]
    story.say(f"production serves {serving} (v{story.version('borderline')}) again; alarm {alarm} -> OK")


def approved_by_gate_or_person(story: Story, name: str) -> None:
    """The better model beats the champion on AUC by far; its p99 latency, measured on a shared machine, may
    come out more than the policy's 10% over the champion's. Then the gate asks people, and one approves."""
    outcome = story.decided(name)
    if outcome.startswith("Approved"):
        return
    expect(outcome, "PendingManualApproval")
    version = story.version(name)
    story.say(f"v{version} went to people (its measured latency, on this busy machine); approved with shepherd")
    reason = "AUC well above the champion's; latency measured on a busy machine"
    code = story.cli(["approve", GROUP, str(version), "--reason", reason, "--by", "demo"])
    if code != 0:
        raise StepFailed(f"shepherd approve exited {code}")


def manual_rollback(story: Story) -> None:
    reason = f"demo: complaints about v{story.version('borderline')}'s latency"
    code = story.cli(["rollback", GROUP, "--reason", reason, "--by", "demo"])
    if code != 0:
        raise StepFailed(f"shepherd rollback exited {code}")
    wait_live(story, "good", announce=False)
    story.wait_for("production back on the good version", lambda: _settled_on_live(story), timeout=30)
    story.say(f"production InService on v{story.version('good')}'s config again")


def wait_live(story: Story, name: str, announce: bool = True) -> None:
    arn = story.arns[name]

    def live() -> bool:
        state = story.state()
        if (
            state.release is not None
            and state.release.arn == arn
            and state.release.stage.value in ("FAILED", "ROLLED_BACK")
        ):
            raise StepFailed(f"{name} {state.release.stage.value}: {state.release.reason}")
        return state.live is not None and state.live.arn == arn

    story.wait_for(f"{name} LIVE", live, timeout=60)
    if announce:
        story.say(
            f"{name} (v{story.version(name)}) is LIVE in production; customer calls to "
            f"production so far: {story.traffic_answered()}"
        )


def _ended(story: Story, version: int) -> Any:
    release = story.state().release
    if release is not None and release.version == version and not release.in_flight:
        return release
    return None


def _settled_on_live(story: Story) -> bool:
    state = story.state()
    endpoint = story.client("sagemaker").describe_endpoint(EndpointName=story.production_endpoint)
    return bool(
        state.live and endpoint["EndpointStatus"] == "InService" and endpoint["EndpointConfigName"] == state.live.config
    )


def has_button(group: str, version: int) -> bool:
    """The fake Slack holds a message with a button for this version of the group: a review's buttons carry
    the package ARN (…/group/version), a promotion's a JSON {"group", "version"}."""
    base = os.environ["SHEPHERD_SLACK_API_URL"].rstrip("/").removesuffix("/api")
    with urllib.request.urlopen(f"{base}/fake/messages", timeout=5) as response:
        messages: list[dict[str, Any]] = json.loads(response.read())
    return any(_names(button["value"], group, version) for message in messages for button in message["buttons"])


def _names(value: str, group: str, version: int) -> bool:
    if value.endswith(f"/{group}/{version}"):
        return True
    try:
        named = json.loads(value)
    except ValueError:
        return False
    return isinstance(named, dict) and named.get("group") == group and named.get("version") == version
