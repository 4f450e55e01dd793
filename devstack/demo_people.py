"""The story's people steps: a Reject in Slack that asks why, and a group whose releases wait for a person
before production (manual promotion). Each acts as a person would (the fake Slack's buttons and modals,
through `shepherd slack`) and then reads what the registry and the release engine recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devstack import fraud_model, seed
from devstack.demo_release import APPROVER, has_button
from devstack.demo_steps import GROUP, StepFailed, Story, expect

REGULATED = "fraud-detection-regulated"  # the same model for a market where a person signs off production
REJECTION_REASON = "recall too low for the holiday season"


def regulated_policy(directory: Path, source_group: str = GROUP) -> Path:
    """The example group's policy for another group: its own endpoints, all at once, and manual promotion."""
    document: dict[str, Any] = json.loads((directory / f"{source_group}.json").read_text(encoding="utf-8"))
    document["group"] = REGULATED
    document["description"] = "Fraud detection for a regulated market: a person signs off every production release."
    release = document["release"]
    release["staging"]["endpoint_name"] = "fraud-regulated-staging"
    release["production"]["endpoint_name"] = "fraud-regulated-prod"
    release["deployment"] = {"type": "ALL_AT_ONCE"}
    release["alarms"] = []
    release["promotion"] = {"mode": "manual", "expires_hours": 72, "remind_after_hours": 24}
    target = directory / f"{REGULATED}.json"
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def rejected_with_a_reason(story: Story) -> None:
    story.register("second-borderline", fraud_model.BORDERLINE)
    expect(story.decided("second-borderline"), "PendingManualApproval")
    version = story.version("second-borderline")
    story.wait_for("the review message in the fake Slack", lambda: has_button(GROUP, version), timeout=10)
    story.say(f"Slack: {APPROVER} clicks Reject on v{version}; a modal asks why; they type: {REJECTION_REASON}")
    _click(story, GROUP, version, "reject", "--reason", REJECTION_REASON)
    package = story.client("sagemaker").describe_model_package(ModelPackageName=story.arns["second-borderline"])
    expect(package["ModelApprovalStatus"], "Rejected")
    if REJECTION_REASON not in package["ApprovalDescription"]:
        raise StepFailed(f"the reason is not in the registry: {package['ApprovalDescription']!r}")
    story.say(f"registry: v{version} Rejected: {package['ApprovalDescription'][:100]}")


def regulated_waits_for_a_person(story: Story) -> None:
    seed.create_group(story.client("sagemaker"), group=REGULATED)
    story.say(f"created {REGULATED}: its policy says release.promotion manual (a person signs off production)")
    story.register("regulated", fraud_model.GOOD, group=REGULATED)
    expect(story.decided("regulated"), "Approved")
    version = story.version("regulated")
    awaiting = story.wait_for(
        f"v{version} staged, smoke-tested and waiting for a person",
        lambda: _release_at(story, version, "AWAITING_PROMOTION"),
        timeout=60,
    )
    story.say(f"v{version} {awaiting.stage.value}: staging serves it; production untouched until someone promotes")


def regulated_promoted_in_slack(story: Story) -> None:
    version = story.version("regulated")
    story.wait_for("the promotion message in the fake Slack", lambda: has_button(REGULATED, version), timeout=10)
    story.say(f"Slack: {APPROVER} clicks Promote on v{version}'s smoke-test results")
    _click(story, REGULATED, version, "promote")
    story.wait_for(
        f"v{version} LIVE",
        lambda: (state := story.state(REGULATED)).live is not None and state.live.version == version,
        timeout=60,
    )
    promoted = [row for row in story.history(REGULATED) if row.version == version and row.outcome == "PROMOTED"]
    if not promoted:
        raise StepFailed(f"no PROMOTED row in {REGULATED}'s history for v{version}")
    story.say(f"v{version} is LIVE on fraud-regulated-prod; history: PROMOTED {promoted[-1].reason}")


def _click(story: Story, group: str, version: int, action: str, *more: str) -> None:
    code = story.cli(["slack", "click", group, str(version), action, "--as", APPROVER, *more])
    if code != 0:
        raise StepFailed(f"shepherd slack click {action} exited {code}")


def _release_at(story: Story, version: int, stage: str) -> Any:
    release = story.state(REGULATED).release
    if release is not None and release.version == version:
        if release.stage.value in ("FAILED", "ROLLED_BACK", "EXPIRED", "STOPPED"):
            raise StepFailed(f"v{version} {release.stage.value}: {release.reason}")
        if release.stage.value == stage:
            return release
    return None
