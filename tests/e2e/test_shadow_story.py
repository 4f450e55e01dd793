"""A shadow test on `make local --app-clock-speed 60`: before any production traffic, the challenger answers
copies of production's requests as a shadow variant, judged against the champion; 3x slower, it fails the
test, and production, which never served it, is back on the champion's own config."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack import demo_progressive as progressive
from devstack import demo_setup, fraud_model, seed
from devstack.demo_steps import Story
from devstack.traffic import Traffic
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e
GROUP = "fraud-detection-shadowed"
PRODUCTION = "fraud-shadowed-prod"


def shadowed_policy(directory: Path) -> None:
    """The progressive chapter's policy for another group: its own endpoints, all at once after a shadow test."""
    document: dict[str, Any] = json.loads((directory / f"{progressive.GROUP}.json").read_text(encoding="utf-8"))
    document["group"] = GROUP
    release = document["release"]
    release["staging"]["endpoint_name"] = "fraud-shadowed-staging"
    release["production"]["endpoint_name"] = PRODUCTION
    release["deployment"] = {"type": "ALL_AT_ONCE"}
    release["shadow"] = {"sampling_percent": 100, "minutes": progressive.STEP_MINUTES}
    (directory / f"{GROUP}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"), clock_speed=60)
    progressive.progressive_policy(policies)
    shadowed_policy(policies)
    running = start_stack("--policy-dir", str(policies), "--clock-speed", "300", "--app-clock-speed", "60")
    wait_for(lambda: "SHEPHERD_STATE_TABLE" in running.environment)  # the exports follow the ready line
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _on_the_stack(stack: RunningStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story reads the release state as `shepherd status` does, from the stack's environment."""
    for name, value in stack.environment.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def story(stack: RunningStack) -> Iterator[Story]:
    told = Story(stack.client, print, lambda argv: stack.shepherd(*argv).returncode)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in stack.environment.items():  # as each test has it (a module's setup runs before theirs)
            patch.setenv(name, value)
        yield from _told(told)


def _told(told: Story) -> Iterator[Story]:
    try:
        yield told
    finally:
        for customers in told.customers.values():
            customers.stop()


def test_a_shadow_3x_slower_than_the_champion_fails_its_test_and_production_never_serves_it(story: Story) -> None:
    sagemaker = story.client("sagemaker")
    seed.create_group(sagemaker, group=GROUP)
    story.register("shadowed-v1", fraud_model.GOOD, group=GROUP)
    wait_for(lambda: (state := story.state(GROUP)).live is not None and state.live.version == 1, timeout=60)
    arn = sagemaker.describe_endpoint(EndpointName=PRODUCTION)["EndpointArn"]
    tags = [{"Key": "shepherd-local:latency-ms@AllTraffic", "Value": "50"}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[*tags, {"Key": "shepherd-local:latency-ms@Challenger", "Value": "150"}])
    for number in range(progressive.CUSTOMERS):
        story.customers[f"{PRODUCTION}-{number}"] = Traffic(story.client("sagemaker-runtime"), PRODUCTION).start()
    story.register("shadowed-v2", fraud_model.BETTER, group=GROUP)
    progressive.approved(story, "shadowed-v2", group=GROUP)
    shadowed = wait_for(lambda: _release(story, 2, "SHADOW"), timeout=60)
    assert shadowed.stage.value == "SHADOW"
    ended = wait_for(lambda: _ended(story, 2), timeout=90)
    assert ended.stage.value == "FAILED" and "the shadow test failed" in ended.reason, ended.reason
    assert any(result.startswith("FAIL: latency") and "p=" in result for result in ended.rollout.results)
    live = story.state(GROUP).live
    assert live is not None and live.version == 1

    def champion_alone() -> bool:
        endpoint = sagemaker.describe_endpoint(EndpointName=PRODUCTION)
        return bool(
            endpoint["EndpointStatus"] == "InService"
            and endpoint["EndpointConfigName"] == live.config
            and not endpoint.get("ShadowProductionVariants")
        )

    wait_for(champion_alone, timeout=30)


def _release(story: Story, version: int, stage: str) -> Any:
    release = story.state(GROUP).release
    return release if release is not None and release.version == version and release.stage.value == stage else None


def _ended(story: Story, version: int) -> Any:
    release = story.state(GROUP).release
    return release if release is not None and release.version == version and not release.in_flight else None
