"""A shadow test with the real endpoint and variants adapters against moto (our extension, every request
strictly validated): the challenger shown as the champion's shadow, then production as the deployment says;
a failed test back on the champion's config."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.release.service import on_approved
from chalicelib.release.state import Stage
from chalicelib.release.variant_ports import VariantView
from tests.fakes.judge import FAIL, ScriptedJudge
from tests.support.release import Clock
from tests.support.rollout import ARN, GROUP, PROD, judged_policy, on_moto, step


@pytest.fixture(autouse=True)
def shadow_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    judged_policy(monkeypatch, shadow={"sampling_percent": 50, "minutes": 30})


def v1_live(deps: Any, clock: Clock) -> None:
    on_approved(ARN + "1", deps)
    for minutes in (0, 0, 61):  # no champion: no shadow test, all at once, watched, live
        step(deps, clock, minutes)


def test_a_shadow_test_on_sagemaker_then_the_canary(aws: None) -> None:
    deps, clock, variants, client = on_moto(ScriptedJudge())
    v1_live(deps, clock)
    on_approved(ARN + "2", deps)
    step(deps, clock)
    step(deps, clock)
    assert deps.store.load(GROUP).release.stage is Stage.SHADOW
    assert variants.variants(PROD) == (VariantView("AllTraffic", 1.0), VariantView("Challenger", 0.5, shadow=True))
    step(deps, clock, 30)
    step(deps, clock)
    release = deps.store.load(GROUP).release
    assert release.stage is Stage.WATCHING, release.reason
    assert client.describe_endpoint(EndpointName=PROD)["EndpointConfigName"] == release.production_config


def test_a_failed_shadow_test_on_sagemaker_leaves_the_champion_alone(aws: None) -> None:
    deps, clock, variants, client = on_moto(ScriptedJudge())
    v1_live(deps, clock)
    champion = deps.store.load(GROUP).live.config
    on_approved(ARN + "2", deps)
    step(deps, clock)
    step(deps, clock)
    deps.judge.script.append(FAIL)
    step(deps, clock, 5)
    assert deps.store.load(GROUP).release.stage is Stage.FAILED
    assert client.describe_endpoint(EndpointName=PROD)["EndpointConfigName"] == champion
    assert variants.variants(PROD) == (VariantView("AllTraffic", 1.0),)
