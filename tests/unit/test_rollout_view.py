"""What people see of a judged rollout, pure: the step and its percent, the shadow test, the steps done, current,
to come or aborted, and the analysis's counts against the limits of the policy the release started under."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from chalicelib.release.rollout_view import ABORTED, CURRENT, DONE, TO_COME, rollout_view
from chalicelib.release.state import Release, Rollout, Rules, Stage
from tests.support.rollout import T0, v2

RULES = Rules(progressive_steps=(5, 25, 50, 100), step_duration=timedelta(minutes=10), shadow_percent=50)
POLICY = json.dumps(
    {"analysis": {"checks": [{"name": "p99", "metric": "ModelLatency", "statistic": "p99", "maximum": 250000}],
                  "failure_limit": 1, "inconclusive_limit": 3}}
)  # fmt: skip
JUDGED = Rollout(step=1, step_since=T0, failures=1, inconclusive=2, results=("PASS: a", "INCONCLUSIVE: no data"))


def release(stage: Stage, rollout: Rollout = JUDGED, **changes: object) -> Release:
    base = v2(stage, RULES, T0 + timedelta(minutes=30), rollout=rollout, policy=POLICY)
    return replace(base, **changes)  # type: ignore[arg-type]


def states(found: Release) -> list[str]:
    view = rollout_view(found)
    assert view is not None
    return [step.state for step in view.steps]


def test_a_step_in_production_says_which_of_how_many_its_percent_and_the_counts_against_the_limits() -> None:
    view = rollout_view(release(Stage.PRODUCTION))
    assert view is not None
    assert view.headline == "step 2/4: 25% to v2"
    assert view.counts == "failures 1/1, no data 2/3"
    assert (view.since, view.last_judgement) == (T0, "INCONCLUSIVE: no data")
    assert states(release(Stage.PRODUCTION)) == [DONE, CURRENT, TO_COME, TO_COME]
    assert view.as_dict()["step"] == 2 and view.as_dict()["failure_limit"] == 1


def test_the_shadow_test_names_its_sampling_and_no_step_has_begun() -> None:
    view = rollout_view(release(Stage.SHADOW, Rollout(step_since=T0)))
    assert view is not None
    assert view.headline == "shadow test: 50% of requests copied to v2"
    assert states(release(Stage.SHADOW)) == [TO_COME] * 4
    assert view.as_dict()["step"] is None


def test_a_paused_release_shows_the_step_it_paused_at() -> None:
    paused = release(Stage.PAUSED, replace(JUDGED, paused_from=Stage.PRODUCTION))
    view = rollout_view(paused)
    assert view is not None and view.headline == "step 2/4: 25% to v2"


def test_an_aborted_release_shows_the_step_it_ended_at_and_a_live_one_every_step_done() -> None:
    aborted = release(Stage.ROLLED_BACK, reached="PRODUCTION", reason="aborted at 25%: FAIL: p99")
    view = rollout_view(aborted)
    assert view is not None and view.headline == "aborted at step 2/4: 25% to v2"
    assert states(aborted) == [DONE, ABORTED, TO_COME, TO_COME]
    live = release(Stage.LIVE, replace(JUDGED, step=4))
    assert states(live) == [DONE] * 4
    assert rollout_view(live) is not None and "all 4 steps passed" in rollout_view(live).headline  # type: ignore[union-attr]


def test_a_release_without_steps_or_shadow_a_first_release_or_an_unreadable_policy() -> None:
    plain = release(Stage.PRODUCTION, rules=Rules())
    assert rollout_view(plain) is None
    assert rollout_view(release(Stage.PRODUCTION, previous=None)) is None
    assert rollout_view(release(Stage.STAGING)) is None
    assert rollout_view(None) is None
    for stored in (None, "{not json", "[1, 2]", json.dumps({"analysis": {"checks": "x"}})):
        view = rollout_view(release(Stage.PRODUCTION, policy=stored))
        assert view is not None and view.counts == "not judged by metrics"
