"""A PROGRESSIVE release on `make local --app-clock-speed 60`, told as the demo's chapter tells it: customers
call the group's production endpoint, each step is judged against the champion on per-minute latency. A
challenger made 3x slower as it reaches 25% is aborted there by the Mann-Whitney comparison, production back
on the champion alone; a good challenger goes through 5, 25, 50 and 100% and is LIVE on one variant. A
shadow test, before any production traffic: a shadow 3x slower than the champion fails it, and production,
which never served it, is back on the champion's own config."""

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
from tests.support.local_stack import RunningStack, wait_for
from tests.support.story_stack import fast_stack, told_on, use_stack_environment

pytestmark = pytest.mark.e2e
SHADOWED = "fraud-detection-shadowed"
SHADOWED_PRODUCTION = "fraud-shadowed-prod"


def shadowed_policy(directory: Path) -> None:
    """The progressive chapter's policy for another group: its own endpoints, all at once after a shadow test."""
    document: dict[str, Any] = json.loads((directory / f"{progressive.GROUP}.json").read_text(encoding="utf-8"))
    document["group"] = SHADOWED
    release = document["release"]
    release["staging"]["endpoint_name"] = "fraud-shadowed-staging"
    release["production"]["endpoint_name"] = SHADOWED_PRODUCTION
    release["deployment"] = {"type": "ALL_AT_ONCE"}
    release["shadow"] = {"sampling_percent": 100, "minutes": progressive.STEP_MINUTES}
    (directory / f"{SHADOWED}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    running = fast_stack(tmp_path_factory.mktemp("policies"), shadowed_policy)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _on_the_stack(stack: RunningStack, monkeypatch: pytest.MonkeyPatch) -> None:
    use_stack_environment(stack, monkeypatch)


@pytest.fixture(scope="module")
def story(stack: RunningStack) -> Iterator[Story]:
    yield from told_on(stack, progressive.champion_live_with_customers)


def test_a_challenger_slowed_at_25_percent_is_aborted_there_and_production_serves_the_champion_alone(
    story: Story,
) -> None:
    progressive.aborted_at_25_percent(story)  # raises StepFailed unless each of these happened, in order
    history = [row for row in story.history(progressive.GROUP) if row.version == 2]
    assert history and "aborted at 25%" in history[-1].reason and "p=" in history[-1].reason


def test_a_good_challenger_goes_through_every_step_and_is_live_on_one_variant(story: Story) -> None:
    sagemaker = story.client("sagemaker")
    arn = sagemaker.describe_endpoint(EndpointName=progressive.PRODUCTION)["EndpointArn"]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["shepherd-local:latency-ms@Challenger"])  # as fast as v1
    story.register("progressive-v3", fraud_model.BETTER, group=progressive.GROUP)
    progressive.approved(story, "progressive-v3")
    watch = progressive.StepWatch(story, story.version("progressive-v3"), slow_at=None)
    ended: Any = story.wait_for("v3's progressive release to end", lambda: watch.look(arn), timeout=150)
    assert ended.stage.value == "LIVE", ended.reason
    state = story.state(progressive.GROUP)
    assert state.live.version == 3 and not state.in_flight
    endpoint = sagemaker.describe_endpoint(EndpointName=progressive.PRODUCTION)
    assert endpoint["EndpointConfigName"] == state.live.config
    assert [variant["VariantName"] for variant in endpoint["ProductionVariants"]] == [progressive.CHAMPION_VARIANT]
    assert watch.steps_seen == [5, 25, 50, 100]
    assert len(state.release.rollout.results) >= 4 and all("FAIL" not in r for r in state.release.rollout.results)


def test_the_policy_the_story_runs_is_a_valid_progressive_policy(tmp_path: Path) -> None:
    from chalicelib.adapters.policy_files import FilePolicyRepository

    progressive.progressive_policy(demo_setup.demo_policies(tmp_path, clock_speed=60))
    release = FilePolicyRepository(tmp_path).get(progressive.GROUP).document["release"]
    assert release["deployment"]["steps"] == progressive.STEPS and release["analysis"] == progressive.ANALYSIS


def test_a_shadow_3x_slower_than_the_champion_fails_its_test_and_production_never_serves_it(story: Story) -> None:
    sagemaker = story.client("sagemaker")
    seed.create_group(sagemaker, group=SHADOWED)
    story.register("shadowed-v1", fraud_model.GOOD, group=SHADOWED)
    wait_for(lambda: (state := story.state(SHADOWED)).live is not None and state.live.version == 1, timeout=60)
    arn = sagemaker.describe_endpoint(EndpointName=SHADOWED_PRODUCTION)["EndpointArn"]
    tags = [{"Key": "shepherd-local:latency-ms@AllTraffic", "Value": "50"}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[*tags, {"Key": "shepherd-local:latency-ms@Challenger", "Value": "150"}])
    for number in range(progressive.CUSTOMERS):
        story.customers[f"{SHADOWED_PRODUCTION}-{number}"] = Traffic(
            story.client("sagemaker-runtime"), SHADOWED_PRODUCTION
        ).start()
    story.register("shadowed-v2", fraud_model.BETTER, group=SHADOWED)
    progressive.approved(story, "shadowed-v2", group=SHADOWED)
    shadowed = wait_for(lambda: _shadowed_release(story, 2, "SHADOW"), timeout=60)
    assert shadowed.stage.value == "SHADOW"
    ended = wait_for(lambda: _shadowed_ended(story, 2), timeout=90)
    assert ended.stage.value == "FAILED" and "the shadow test failed" in ended.reason, ended.reason
    assert any(result.startswith("FAIL: latency") and "p=" in result for result in ended.rollout.results)
    live = story.state(SHADOWED).live
    assert live is not None and live.version == 1

    def champion_alone() -> bool:
        endpoint = sagemaker.describe_endpoint(EndpointName=SHADOWED_PRODUCTION)
        return bool(
            endpoint["EndpointStatus"] == "InService"
            and endpoint["EndpointConfigName"] == live.config
            and not endpoint.get("ShadowProductionVariants")
        )

    wait_for(champion_alone, timeout=30)


def _shadowed_release(story: Story, version: int, stage: str) -> Any:
    release = story.state(SHADOWED).release
    return release if release is not None and release.version == version and release.stage.value == stage else None


def _shadowed_ended(story: Story, version: int) -> Any:
    release = story.state(SHADOWED).release
    return release if release is not None and release.version == version and not release.in_flight else None
