"""The shadow stage through the release services, on fakes: the shadow config deployed and judged against the
champion, then production as the deployment type says; a failure returns production to the champion."""

from __future__ import annotations

import pytest

from chalicelib.analysis.ports import Subject
from chalicelib.release.rollback import rollback
from chalicelib.release.service import on_approved
from chalicelib.release.state import Stage
from tests.fakes.judge import FAIL
from tests.support.rollout import ARN, PROD, PROGRESSIVE, World, challenger, judged_policy, world

SHADOW = {"sampling_percent": 50, "minutes": 30}


@pytest.fixture(autouse=True)
def shadow_policy(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    progressive = {"deployment": PROGRESSIVE} if "progressive" in request.node.name else {}
    judged_policy(monkeypatch, shadow=SHADOW, **progressive)


def v2_shadowed() -> World:
    """v1, the first release, has no champion to shadow: it goes straight to production. v2 is shadowed."""
    here = world()
    on_approved(ARN + "1", here.deps)
    here.advance()
    here.advance()
    here.advance(61)
    assert here.deps.store.load("fraud-detection-models").live.version == 1  # type: ignore[union-attr]
    assert here.variants.calls == []
    on_approved(ARN + "2", here.deps)
    here.advance()  # staging InService: smoke tests, then the shadow config
    here.advance()  # production InService on the shadow config: the test starts
    assert (here.release.stage, here.release.rollout.step_since) == (Stage.SHADOW, here.clock.now)
    return here


def test_a_passed_shadow_test_hands_production_to_the_deployment_type() -> None:
    here = v2_shadowed()
    v1_config = here.deps.store.load("fraud-detection-models").live.config  # type: ignore[union-attr]
    shadow = f"{here.release.model}-shd"
    assert here.variants.configs[shadow].champion_config == v1_config
    asked_from = len(here.judge.asked)
    here.advance(30)  # judged to its end: passed, production deployed (the example's CANARY)
    assert here.judge.asked[asked_from][0] == Subject(PROD, "Challenger", "AllTraffic")
    deployed = here.release
    assert deployed.stage is Stage.PRODUCTION
    assert here.deps.endpoints.describe(PROD).config == deployed.production_config  # type: ignore[union-attr]
    here.advance()
    assert here.release.stage is Stage.WATCHING


def test_a_failed_shadow_test_fails_the_release_with_production_back_on_the_champion() -> None:
    here = v2_shadowed()
    v1_config = here.deps.store.load("fraud-detection-models").live.config  # type: ignore[union-attr]
    here.judge.script.append(FAIL)
    here.advance(5)
    ended = here.release
    assert (ended.stage, ended.reached) == (Stage.FAILED, "SHADOW")
    assert ended.reason.startswith("the shadow test failed: the metric analysis failed 1 time(s)")
    assert here.deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
    assert here.deps.store.load("fraud-detection-models").live.version == 1  # type: ignore[union-attr]
    [row] = [row for row in here.deps.store.history("fraud-detection-models") if row.version == 2]
    assert (row.outcome, row.served_from) == ("FAILED", None)  # production never served it


def test_a_shadow_test_then_progressive_steps() -> None:
    here = v2_shadowed()
    here.advance(30)  # the shadow test passed: the split config replaces the shadow config
    split = f"{here.release.model}-spl"
    assert here.variants.calls[-1] == f"create_split_config {split} 5"
    here.advance()
    assert (here.release.stage, here.release.rollout.step) == (Stage.PRODUCTION, 0)
    here.advance(10)
    assert here.variants.calls[-1] == f"set_weights {challenger(25)}"


def test_a_person_rolling_back_during_a_shadow_test_fails_the_release() -> None:
    here = v2_shadowed()
    for minutes in (30, 0, 61):  # v2 passes its shadow test, goes live, its watch window ends
        here.advance(minutes)
    assert here.release.stage is Stage.LIVE
    on_approved(ARN + "3", here.deps)
    here.advance()
    here.advance()
    assert (here.release.version, here.release.stage) == (3, Stage.SHADOW)
    rolled = rollback("fraud-detection-models", None, "alice", "not this week", here.deps)
    assert (rolled.to_version, here.release.stage, here.release.reached) == (1, Stage.FAILED, "SHADOW")
    assert not here.deps.store.load("fraud-detection-models").in_flight
