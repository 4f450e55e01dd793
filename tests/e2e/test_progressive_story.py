"""A PROGRESSIVE release on `make local --app-clock-speed 60`, told as the demo's chapter tells it: customers
call the group's production endpoint, each step is judged against the champion on per-minute latency. A
challenger made 3x slower as it reaches 25% is aborted there by the Mann-Whitney comparison, production back
on the champion alone; a good challenger goes through 5, 25, 50 and 100% and is LIVE on one variant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack import demo_progressive as progressive
from devstack import demo_setup, fraud_model
from devstack.demo_steps import Story
from tests.support.local_stack import RunningStack, start_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    policies = demo_setup.demo_policies(tmp_path_factory.mktemp("policies"), clock_speed=60)
    progressive.progressive_policy(policies)
    stack = start_stack("--policy-dir", str(policies), "--clock-speed", "300", "--app-clock-speed", "60")
    saved = dict(os.environ)
    os.environ.update(stack.environment)  # the story reads the release state as `shepherd status` does
    told = Story(stack.client, print, lambda argv: _shepherd(stack, argv))
    try:
        progressive.champion_live_with_customers(told)
        yield told
    finally:
        for customers in told.customers.values():
            customers.stop()
        os.environ.clear()
        os.environ.update(saved)
        stack.stop()


def _shepherd(stack: RunningStack, argv: list[str]) -> int:
    return stack.shepherd(*argv).returncode


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
