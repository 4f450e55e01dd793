"""The story's steps, and the Story they share: the local stack's clients, the CLI, what happened so far.

Steps talk to the local stack the way users do: the seed's boto3 calls against AWS_ENDPOINT_URL,
and `shepherd` commands. Nothing here reaches into the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack import seed

GROUP = seed.GROUP


class StepFailed(Exception):
    """The story did not happen as it should."""


@dataclass
class Story:
    client: Callable[[str], Any]
    say: Callable[[str], None]
    cli: Callable[[list[str]], int]
    arns: dict[str, str] = field(default_factory=dict)
    production_endpoint: str = "fraud-detection-prod"
    alarms: list[str] = field(default_factory=list)
    canary_metrics: dict[str, Any] = field(default_factory=lambda: {**seed.GOOD, "auc": 0.97})
    traffic_answered: Callable[[], int] = lambda: 0
    app_url: str = "http://127.0.0.1:8000"  # the local stack's app port (the Slack route, /report/<group>)
    _container: Any = None

    def version(self, name: str) -> int:
        return int(self.arns[name].rsplit("/", 1)[1])

    def state(self) -> Any:
        """The release engine's record of the group, as `shepherd status` and `history` read it."""
        if self._container is None:
            from chalicelib.bootstrap import Container

            self._container = Container()
        return self._container.release_store.load(GROUP)

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


def register_group(story: Story) -> None:
    seed.create_group(story.client("sagemaker"))
    story.say(f"created model package group {GROUP} (the seed's create_model_package_group)")
    if story.alarms:
        story.say(f"the team's guardrail alarms, OK: {', '.join(story.alarms)}")


def rejected_last_quarter(story: Story) -> None:
    from devstack.demo_setup import backdate

    arns = [seed.register_version(story.client("sagemaker"), None, f"q3-{n}", status="Rejected") for n in range(6)]
    backdate(arns, days=90)
    story.say(f"{len(arns)} versions people rejected last quarter: v1-v{len(arns)}, about 90 days old")


def good_version(story: Story) -> None:
    story.register("good", seed.GOOD)
    expect(story.decided("good"), "Approved")


def bad_version(story: Story) -> None:
    story.register("bad", seed.BAD)
    expect(story.decided("bad"), "Rejected")


def borderline_version(story: Story) -> None:
    story.register("borderline", seed.BORDERLINE)
    expect(story.decided("borderline"), "PendingManualApproval")


def cleanup_for_real(story: Story) -> None:
    before = _versions(story)
    run_cli("cleanup", GROUP)(story)
    gone = sorted(before - _versions(story))
    if not gone:
        raise StepFailed("the cleanup deleted nothing")
    story.say(
        f"registry: {', '.join(f'v{v}' for v in gone)} deleted; the newest rejected ones and every "
        f"approved version kept"
    )


def _versions(story: Story) -> set[int]:
    pages = story.client("sagemaker").get_paginator("list_model_packages").paginate(ModelPackageGroupName=GROUP)
    return {int(p["ModelPackageVersion"]) for page in pages for p in page["ModelPackageSummaryList"]}


def run_cli(*argv: str) -> Callable[[Story], None]:
    def step(story: Story) -> None:
        code = story.cli(list(argv))
        if code != 0:
            raise StepFailed(f"shepherd {' '.join(argv)} exited {code}")

    return step


def expect(found: str, status: str) -> None:
    if not found.startswith(status):
        raise StepFailed(f"expected {status}, found {found}")
