"""The judged rollout's policy keys: PROGRESSIVE parsed into the deployment and the release's frozen rules, and
refused where it cannot run or cannot be judged."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.release.policy import ReleasePolicy, ShadowTest
from chalicelib.shared.errors import InvalidPolicyError
from chalicelib.shared.policy_checks import policy_problems
from tests.support.policies import example_document, policies_with_release

PROGRESSIVE = {"type": "PROGRESSIVE", "steps": [5, 25, 50, 100], "step_minutes": 10}
ANALYSIS_SECTION: dict[str, Any] = {"checks": []}  # its keys are the analysis part's: only its presence is checked here


def progressive(**release: Any) -> dict[str, Any]:
    document = example_document()
    document["release"].update({"deployment": PROGRESSIVE, "analysis": ANALYSIS_SECTION, **release})
    return document


def test_progressive_steps_are_parsed_and_frozen_into_the_release_rules() -> None:
    policy = ReleasePolicy.from_section(progressive()["release"])
    assert (policy.deployment.traffic, policy.deployment.steps, policy.deployment.step_minutes) == (
        "PROGRESSIVE",
        (5, 25, 50, 100),
        10,
    )
    assert (policy.rules.progressive_steps, policy.rules.step_duration) == ((5, 25, 50, 100), timedelta(minutes=10))
    assert policy.deployment.blue_green.traffic == "ALL_AT_ONCE"  # the last move, and a first release


def test_the_existing_deployment_types_parse_as_before() -> None:
    policy = ReleasePolicy.from_section(example_document()["release"])
    assert (policy.deployment.steps, policy.rules.progressive_steps) == ((), ())
    assert policy.deployment.blue_green == policy.deployment


@pytest.mark.parametrize("steps", [[5, 25, 50], [25, 5, 100], [5, 5, 100]])
def test_steps_that_do_not_rise_to_100_are_refused(steps: list[int]) -> None:
    [problem] = policy_problems(progressive(deployment={**PROGRESSIVE, "steps": steps}))
    assert problem.startswith("release.deployment.steps: [") and "must rise strictly and end at 100" in problem


def test_a_single_step_of_100_is_refused_it_would_never_compare_with_the_champion() -> None:
    [problem] = policy_problems(progressive(deployment={**PROGRESSIVE, "steps": [100]}))
    assert problem == "release.deployment.steps: [100] needs a step below 100 (the champion beside the challenger)"


def test_progressive_without_an_analysis_is_refused() -> None:
    document = progressive()
    del document["release"]["analysis"]
    [problem] = policy_problems(document)
    assert problem.startswith("release.deployment: PROGRESSIVE is judged by release.analysis")


def test_progressive_needs_steps_and_their_minutes_in_the_schema(tmp_path: Any) -> None:
    directory = policies_with_release(tmp_path / "policies", deployment={"type": "PROGRESSIVE", "steps": [100]})
    with pytest.raises(InvalidPolicyError, match="step_minutes"):
        FilePolicyRepository(directory).get("fraud-detection-models")


def test_progressive_only_on_a_realtime_target() -> None:
    problems = policy_problems(progressive(target="async"))
    assert any(
        problem.startswith("release.deployment: PROGRESSIVE runs a second variant on instances") for problem in problems
    )


def test_a_shadow_test_is_parsed_and_frozen_into_the_release_rules() -> None:
    section = {**example_document()["release"], "shadow": {"sampling_percent": 50, "minutes": 30}}
    policy = ReleasePolicy.from_section(section)
    assert policy.shadow == ShadowTest(50, 30)
    assert (policy.rules.shadow_percent, policy.rules.shadow_duration) == (50, timedelta(minutes=30))
    assert ReleasePolicy.from_section(example_document()["release"]).rules.shadow_percent == 0


def test_a_shadow_test_needs_an_analysis_and_a_realtime_target() -> None:
    document = example_document()
    document["release"]["shadow"] = {"sampling_percent": 50, "minutes": 30}
    [problem] = policy_problems(document)
    assert problem.startswith("release.shadow: a shadow test is judged by release.analysis")
    document["release"].update(analysis=ANALYSIS_SECTION, target="async")
    problems = policy_problems(document)
    assert any(problem.startswith("release.shadow: a shadow test runs a second variant") for problem in problems)


@pytest.mark.parametrize(
    ("shadow", "problem"),
    [
        ({"sampling_percent": 0, "minutes": 30}, "release/shadow/sampling_percent: 0 is less than the minimum of 1"),
        ({"sampling_percent": 50}, "release/shadow: 'minutes' is a required property"),
    ],
)
def test_a_shadow_test_outside_the_schema_is_refused(tmp_path: Any, shadow: dict[str, Any], problem: str) -> None:
    directory = policies_with_release(tmp_path / "policies", shadow=shadow)
    with pytest.raises(InvalidPolicyError, match=re.escape(problem)):
        FilePolicyRepository(directory).get("fraud-detection-models")


def test_a_progressive_policy_with_a_shadow_test_and_an_analysis_loads_whole(tmp_path: Any) -> None:
    analysis = {"checks": [{"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}]}
    shadow = {"sampling_percent": 100, "minutes": 30}
    directory = policies_with_release(tmp_path / "policies", deployment=PROGRESSIVE, shadow=shadow, analysis=analysis)
    section = FilePolicyRepository(directory).get("fraud-detection-models").section("release")
    policy = ReleasePolicy.from_section(section)
    assert policy.analysis is not None and policy.analysis.checks[0].name == "latency"
    assert (policy.rules.progressive_steps, policy.rules.shadow_percent) == ((5, 25, 50, 100), 100)


COMPARED = {"checks": [{"name": "latency", "metric": "ModelLatency", "statistic": "p99", "tolerance": 0.1}]}


@pytest.mark.parametrize(
    ("release", "problem"),
    [
        (
            {"deployment": {**PROGRESSIVE, "step_minutes": 4}},
            "release.deployment.step_minutes: 4 minute(s) hold fewer than release.analysis.min_samples (5)",
        ),
        (
            {"shadow": {"sampling_percent": 100, "minutes": 30}, "analysis": {**COMPARED, "min_samples": 60}},
            "release.shadow.minutes: 30 minute(s) hold fewer than release.analysis.min_samples (60)",
        ),
    ],
)
def test_a_step_or_shadow_test_too_short_for_min_samples_is_refused(release: dict[str, Any], problem: str) -> None:
    problems = policy_problems(progressive(**{"analysis": COMPARED, **release}))
    assert any(
        found.startswith(problem) and "latency with the champion could never conclude" in found for found in problems
    )


def test_a_short_step_is_accepted_when_nothing_compares_or_the_samples_fit() -> None:
    thresholds = {"checks": [{"name": "latency", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}]}
    short = {**PROGRESSIVE, "step_minutes": 2}
    assert policy_problems(progressive(deployment=short, analysis=thresholds)) == []
    assert policy_problems(progressive(deployment=short, analysis={**COMPARED, "min_samples": 4})) == [
        "release.deployment.step_minutes: 2 minute(s) hold fewer than release.analysis.min_samples (4) per-minute "
        "samples: the comparison of latency with the champion could never conclude"
    ]
    assert policy_problems(progressive(deployment={**PROGRESSIVE, "step_minutes": 5}, analysis=COMPARED)) == []
