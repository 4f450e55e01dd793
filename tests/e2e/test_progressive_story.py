"""A PROGRESSIVE release on `make local --app-clock-speed 60`, told as the demo's chapter tells it: customers
call the group's production endpoint, each step is judged against the champion on per-minute latency. A
challenger made 3x slower as it reaches 25% is aborted there by the Mann-Whitney comparison, production back
on the champion alone; a good challenger goes through 5, 25, 50 and 100% and is LIVE on one variant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack import demo_progressive as progressive
from devstack import demo_setup, fraud_model
from devstack.demo_steps import Story
from tests.support.local_stack import RunningStack, start_stack, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"), clock_speed=60)
    progressive.progressive_policy(policies)
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
        progressive.champion_live_with_customers(told)
        yield told
    finally:
        for customers in told.customers.values():
            customers.stop()


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
