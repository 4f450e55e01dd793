"""The story's steps, and the Story they share: the local stack's clients, the CLI, what happened so far.

Steps talk to the local stack the way users do: the seed's boto3 calls against AWS_ENDPOINT_URL,
and `shepherd` commands. Nothing here reaches into the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack import example_versions, fraud_model, seed
from devstack.moto_ext.version_age import AGE_TAG

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
    canary_recipe: fraud_model.Recipe = fraud_model.BETTER
    traffic_answered: Callable[[], int] = lambda: 0
    app_url: str = "http://127.0.0.1:8000"  # the local stack's app port (the Slack route, /report/<group>)
    customers: dict[str, Any] = field(default_factory=dict)  # a chapter's own traffic, per endpoint: stopped at the end
    _container: Any = None

    def version(self, name: str) -> int:
        return int(self.arns[name].rsplit("/", 1)[1])

    def state(self, group: str = GROUP) -> Any:
        """The release engine's record of the group, as `shepherd status` reads it."""
        return self._store().load(group)

    def history(self, group: str = GROUP) -> list[Any]:
        """The group's history rows, as `shepherd history` reads them."""
        rows: list[Any] = self._store().history(group)
        return rows

    def _store(self) -> Any:
        if self._container is None:
            from chalicelib.bootstrap import Container

            self._container = Container()
        return self._container.release_store

    def register(self, name: str, recipe: fraud_model.Recipe, group: str = GROUP) -> str:
        """Train the recipe, measure it, upload model.tar.gz and metrics, register it as the seed does."""
        registered = example_versions.register(self.client, recipe, name, group=group)
        self.arns[name] = registered.arn
        self.say(f"registered {name} as v{registered.version}: {_recipe(recipe)}; measured {registered.metrics}")
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
    sagemaker = story.client("sagemaker")
    arns = [seed.register_version(sagemaker, None, f"q3-{n}", status="Rejected") for n in range(6)]
    for age, arn in enumerate(reversed(arns)):  # the newest stays the newest, a day apart
        example_versions.age(sagemaker, arn, days=90 + age)
    story.say(
        f"{len(arns)} versions people rejected last quarter: v1-v{len(arns)}, made about 90 days old with the "
        f"local stack's clock control (the tag {AGE_TAG})"
    )


def good_version(story: Story) -> None:
    story.register("good", fraud_model.GOOD)
    expect(story.decided("good"), "Approved")


def bad_version(story: Story) -> None:
    story.register("bad", fraud_model.BAD)
    expect(story.decided("bad"), "Rejected")


def borderline_version(story: Story) -> None:
    story.register("borderline", fraud_model.BORDERLINE)
    expect(story.decided("borderline"), "PendingManualApproval")


def _recipe(recipe: fraud_model.Recipe) -> str:
    how = f"{recipe.rounds} rounds of depth {recipe.depth} on {recipe.samples} transactions"
    if recipe.hidden:
        how += f", without {' or '.join(recipe.hidden)}"
    return how + (", labels shuffled" if recipe.shuffled_labels else "")


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
