"""A PROGRESSIVE release with the real endpoint and variants adapters against moto (our extension, every
request strictly validated): the split config beside the champion's, each step's weights as SageMaker shows
them, the challenger's own config after 100%, and an aborted step back on the champion's config."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.release.service import on_approved
from chalicelib.release.state import Stage
from chalicelib.release.variant_ports import VariantView
from tests.fakes.judge import FAIL, ScriptedJudge
from tests.support.release import Clock
from tests.support.rollout import ARN, GROUP, PROD, PROGRESSIVE, judged_policy, on_moto, step


@pytest.fixture(autouse=True)
def progressive_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    judged_policy(monkeypatch, deployment=PROGRESSIVE)


def v2_at_5_percent(deps: Any, clock: Clock) -> None:
    on_approved(ARN + "1", deps)
    for minutes in (0, 0, 61):  # v1 has no champion: all at once, watched, live
        step(deps, clock, minutes)
    on_approved(ARN + "2", deps)
    step(deps, clock)  # smoke tests, then the split config
    step(deps, clock)  # InService on it: the first step


def test_steps_shift_sagemakers_weights_and_the_challenger_ends_on_its_own_config(aws: None) -> None:
    deps, clock, variants, client = on_moto(ScriptedJudge())
    v2_at_5_percent(deps, clock)
    assert variants.variants(PROD) == (VariantView("AllTraffic", 0.95), VariantView("Challenger", 0.05))
    step(deps, clock, 10)
    assert variants.variants(PROD) == (VariantView("AllTraffic", 0.75), VariantView("Challenger", 0.25))
    step(deps, clock)  # a repeated look: the weights are already the step's, nothing is sent
    step(deps, clock, 10)
    assert variants.variants(PROD)[1] == VariantView("Challenger", 1.0)
    step(deps, clock, 10)  # 100% passed: the challenger's own config
    step(deps, clock)
    release = deps.store.load(GROUP).release
    assert release.stage is Stage.WATCHING
    assert client.describe_endpoint(EndpointName=PROD)["EndpointConfigName"] == release.production_config


def test_an_aborted_step_puts_production_back_on_the_champions_config(aws: None) -> None:
    deps, clock, variants, client = on_moto(ScriptedJudge())
    v2_at_5_percent(deps, clock)
    champion = deps.store.load(GROUP).live.config
    deps.judge.script.append(FAIL)
    step(deps, clock, 2)
    release = deps.store.load(GROUP).release
    assert (release.stage, release.reason.startswith("aborted at 5%")) == (Stage.ROLLED_BACK, True)
    assert client.describe_endpoint(EndpointName=PROD)["EndpointConfigName"] == champion
    assert variants.variants(PROD) == (VariantView("AllTraffic", 1.0),)
