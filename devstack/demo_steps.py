"""The story's steps. Each names the capability it needs; a missing one marks the step PENDING.

Steps talk to the local stack the way users do: the seed's boto3 calls against AWS_ENDPOINT_URL,
and `shepherd` commands. Nothing here reaches into the app.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack import seed

GROUP = seed.GROUP
RELEASE = ("chalicelib.services.rollback", "the release engine (issue 3)")
SLACK = ("devstack.fake_slack", "Slack approvals and the fake Slack (issue 4)")
ROLLBACK_CLI = ("shepherd_cli.commands.rollback", "`shepherd rollback` (issue 3)")
HISTORY_CLI = ("shepherd_cli.commands.history", "`shepherd history` (issue 3)")
CLEANUP_CLI = ("shepherd_cli.commands.cleanup", "`shepherd cleanup` (issue 5)")


class StepFailed(Exception):
    """A capability is present but the story did not happen as it should."""


@dataclass
class Story:
    client: Callable[[str], Any]
    say: Callable[[str], None]
    cli: Callable[[list[str]], int]
    arns: dict[str, str] = field(default_factory=dict)

    def register(self, name: str, metrics: dict[str, Any]) -> str:
        uri = seed.upload_metrics(self.client("s3"), "my-bucket", name, metrics)
        self.arns[name] = seed.register_version(self.client("sagemaker"), uri, name)
        self.say(f"registered {name} as v{self.arns[name].rsplit('/', 1)[1]} (metrics {metrics})")
        return self.arns[name]

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := check():
                return found
            time.sleep(0.2)
        raise StepFailed(f"{what}: did not happen within {timeout:.0f}s")

    def decided(self, name: str) -> str:
        def outcome() -> str | None:
            package = self.client("sagemaker").describe_model_package(ModelPackageName=self.arns[name])
            recorded = package.get("CustomerMetadataProperties", {}).get("shepherd:outcome")
            return f"{package['ModelApprovalStatus']} (gate: {recorded})" if recorded else None

        result: str = self.wait_for(f"the gate's decision on {name}", outcome)
        self.say(f"{name}: {result}")
        return result


def missing(*needs: tuple[str, str]) -> list[str]:
    return [label for module, label in needs if importlib.util.find_spec(module) is None]


def register_group(story: Story) -> None:
    seed.create_group(story.client("sagemaker"))
    story.say(f"created model package group {GROUP} (the seed's create_model_package_group)")


def good_version(story: Story) -> None:
    story.register("good", seed.GOOD)
    _expect(story.decided("good"), "Approved")


def good_goes_live(story: Story) -> None:
    from chalicelib.bootstrap import Container

    live = Container().live_versions
    story.wait_for("v1 LIVE", lambda: live.live_arn(GROUP) == story.arns["good"], timeout=90)
    story.say("good is LIVE in production")


def bad_version(story: Story) -> None:
    story.register("bad", seed.BAD)
    _expect(story.decided("bad"), "Rejected")


def borderline_version(story: Story) -> None:
    story.register("borderline", seed.BORDERLINE)
    _expect(story.decided("borderline"), "PendingManualApproval")


def borderline_approved_by_a_person(story: Story) -> None:
    # Until the fake Slack lands, the same decision a Slack click makes, through the CLI.
    version = story.arns["borderline"].rsplit("/", 1)[1]
    code = story.cli(["approve", GROUP, version, "--reason", "latency fine for batch scoring", "--by", "demo"])
    if code != 0:
        raise StepFailed(f"shepherd approve exited {code}")


def canary_trips_an_alarm(story: Story) -> None:
    story.register("canary", {**seed.GOOD, "auc": 0.97})
    sagemaker, cloudwatch = story.client("sagemaker"), story.client("cloudwatch")
    story.wait_for("a production update", lambda: [e for e in sagemaker.list_endpoints()["Endpoints"]
                                                   if e["EndpointStatus"] == "Updating"], timeout=90)
    for alarm in cloudwatch.describe_alarms()["MetricAlarms"]:
        cloudwatch.set_alarm_state(AlarmName=alarm["AlarmName"], StateValue="ALARM", StateReason="demo: canary errors")
        story.say(f"alarm {alarm['AlarmName']} -> ALARM during the bake")
    story.wait_for("the rollback", lambda: not [e for e in sagemaker.list_endpoints()["Endpoints"]
                                                if e["EndpointStatus"] != "InService"], timeout=90)


def run_cli(*argv: str) -> Callable[[Story], None]:
    def step(story: Story) -> None:
        code = story.cli(list(argv))
        if code != 0:
            raise StepFailed(f"shepherd {' '.join(argv)} exited {code}")

    return step


def _expect(found: str, status: str) -> None:
    if not found.startswith(status):
        raise StepFailed(f"expected {status}, found {found}")
