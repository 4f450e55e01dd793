"""Rollout hooks through the handlers (Chalice's test client, moto), the hooks themselves faked: a halt at
pre_rollout leaves production alone, a halt at confirm_promotion rolls it back, post_rollout is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.bootstrap import Container, use_container
from chalicelib.hooks.answer import HookResult
from chalicelib.hooks.record import HALT, HOOK_ROW
from chalicelib.shared.settings import load_settings
from devstack.resources import LocalResources
from tests.fakes.hooks import FakeHooks
from tests.support import release as r
from tests.support.policies import policies_with_release
from tests.support.sns_inbox import inbox

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fraud-checks"
HOOKS = {hook: {"lambda_arn": FUNCTION} for hook in ("pre_rollout", "confirm_promotion", "post_rollout")}


@pytest.fixture
def world(
    resources: LocalResources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Container, FakeHooks, r.Clock]]:
    for name, value in resources.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHEPHERD_POLICY_DIR", str(policies_with_release(tmp_path / "policies", hooks=HOOKS)))
    hooks = FakeHooks()
    container = Container(settings=load_settings(), hooks=hooks)
    use_container(container)
    clock = r.release_world(container)
    container.release_deps.sleep = lambda _: None
    yield container, hooks, clock
    use_container(None)


def live(arn: str, clock: r.Clock) -> Any:
    """Through staging and production to WATCHING, then past the watch window: confirmed, LIVE."""
    assert r.release_to_live(arn, clock)["stage"] == "WATCHING"
    clock.advance(minutes=61)
    return r.reconcile()


def outcomes(container: Container) -> list[tuple[int, str, str]]:
    rows = container.release_store.history(r.GROUP)
    return sorted((row.version, row.outcome, row.reason) for row in rows if row.outcome == HOOK_ROW)


def test_every_hook_is_asked_once_and_recorded_on_a_release_that_goes_live(world: Any) -> None:
    container, hooks, clock = world
    live(r.register_approved("v1"), clock)
    release = container.release_store.load(r.GROUP).release
    assert release.stage.value == "LIVE"
    assert [sent["hook"] for sent in hooks.sent] == ["pre_rollout", "confirm_promotion", "post_rollout"]
    assert [row[2].split(" ")[:2] for row in outcomes(container)] == [
        ["confirm_promotion", "proceed"],
        ["post_rollout", "proceed"],
        ["pre_rollout", "proceed"],
    ]


def test_a_pre_rollout_halt_fails_the_release_and_production_keeps_serving(
    world: Any, resources: LocalResources
) -> None:
    container, hooks, clock = world
    live(r.register_approved("v1"), clock)
    hooks.answers["pre_rollout"] = [HookResult(HALT, "change freeze until Monday")]
    r.decided(r.register_approved("v2"), "Approved")
    r.answers(*r.GOOD_ANSWERS)
    assert r.endpoint_event(r.STAGING)["groups"][r.GROUP]["stage"] == "FAILED"
    assert r.serving_version(r.production_config()) == 1
    release = container.release_store.load(r.GROUP).release
    assert release.reason == "pre_rollout hook halted: change freeze until Monday"
    failed = [m for m in inbox(resources) if m["type"] == "release.failed"]
    assert failed[-1]["hooks"][0]["outcome"] == HALT


def test_a_confirm_halt_rolls_back_to_the_last_good_version(world: Any) -> None:
    container, hooks, clock = world
    live(r.register_approved("v1"), clock)
    hooks.answers["confirm_promotion"] = [HookResult(HALT, "conversion down 4%")]
    assert live(r.register_approved("v2"), clock)["groups"][r.GROUP]["stage"] == "ROLLED_BACK"
    state = container.release_store.load(r.GROUP)
    assert state.release.reason == "confirm_promotion hook halted: conversion down 4%"
    assert state.live.version == 1
    assert r.serving_version(r.production_config()) == 1
    assert len(hooks.asked("post_rollout")) == 1  # v1's only: no post after a rollback
