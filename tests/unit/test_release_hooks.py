"""Rollout hooks in the release engine, on in-memory fakes: when each hook is asked and what its answer does."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.policy_files import FilePolicyRepository
from chalicelib.hooks.answer import HookResult
from chalicelib.hooks.record import ERROR, HALT, HOOK_ROW
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Release, Stage
from tests.fakes.hooks import FakeHooks
from tests.fakes.release import MemoryEndpoints, MemoryStore, memory_deps
from tests.support.policies import policies_with_release

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/"
PROD = "fraud-detection-prod"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fraud-checks"
EVERY_HOOK = {hook: {"lambda_arn": FUNCTION} for hook in ("pre_rollout", "confirm_promotion", "post_rollout")}


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 7, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Engine:
    deps: ReleaseDeps
    hooks: FakeHooks
    clock: Clock
    endpoints: MemoryEndpoints

    @property
    def release(self) -> Release:
        release = self.deps.store.load(GROUP).release
        assert release is not None
        return release

    def rows(self, outcome: str) -> list[str]:
        return [row.reason for row in self.deps.store.history(GROUP) if row.outcome == outcome]

    def approve(self, version: int) -> None:
        on_approved(ARN + str(version), self.deps)  # staging deployed (InService at once)
        advance(GROUP, self.deps)  # smoke tests, then production

    def after_the_watch_window(self) -> None:
        self.clock.now += timedelta(minutes=61)
        advance(GROUP, self.deps)


def engine(tmp_path: Path, answers: FakeHooks | None = None, **release: Any) -> Engine:
    release.setdefault("hooks", EVERY_HOOK)
    policies = FilePolicyRepository(policies_with_release(tmp_path / "policies", **release))
    endpoints = MemoryEndpoints()
    clock = Clock()
    fake = answers or FakeHooks()
    deps = replace(memory_deps(GROUP, MemoryStore(), endpoints), policies=policies, clock=clock, hooks=fake)
    deps.sleep = lambda _: None
    return Engine(deps, fake, clock, endpoints)


def live_v1(tmp_path: Path, answers: FakeHooks | None = None, **release: Any) -> Engine:
    """v1 LIVE on production (every hook proceeding), the scripted answers then apply to v2."""
    started = engine(tmp_path, FakeHooks(), **release)
    started.approve(1)
    advance(GROUP, started.deps)  # production InService: WATCHING
    started.after_the_watch_window()
    assert started.release.stage is Stage.LIVE
    if answers is not None:
        started.deps.hooks = started.hooks = answers
    return started


def test_a_pre_rollout_halt_fails_the_release_and_production_is_untouched(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks({"pre_rollout": [HookResult(HALT, "change freeze")]}))
    run.approve(2)
    assert run.release.stage is Stage.FAILED
    assert run.release.reason == "pre_rollout hook halted: change freeze"
    assert run.endpoints.endpoints[PROD].config == run.deps.store.load(GROUP).live.config  # type: ignore[union-attr]
    assert run.deps.store.load(GROUP).live.version == 1  # type: ignore[union-attr]
    assert any(reason.startswith("pre_rollout halted") for reason in run.rows(HOOK_ROW))


def test_pre_rollout_is_asked_once_before_production_and_sent_the_release(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks())
    run.approve(2)
    [asked] = run.hooks.asked("pre_rollout")
    assert (asked["model_version"], asked["previous_version"], asked["stage"]) == (2, 1, "PRODUCTION")
    assert run.endpoints.endpoints[PROD].config == run.release.production_config
    assert [record.hook for record in run.release.hooks] == ["pre_rollout"]


def test_a_repeated_deploy_repair_does_not_ask_pre_rollout_again(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks())
    old = run.endpoints.endpoints[PROD]
    run.approve(2)
    run.endpoints.endpoints[PROD] = old  # our production update never landed
    advance(GROUP, run.deps)  # the repair: DEPLOY_PRODUCTION again
    assert run.endpoints.endpoints[PROD].config == run.release.production_config
    assert len(run.hooks.asked("pre_rollout")) == 1


def test_an_unreachable_pre_rollout_hook_halts_too(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks({"pre_rollout": [HookResult(ERROR, "no answer within 5 s", True)]}))
    run.approve(2)
    assert run.release.stage is Stage.FAILED
    assert run.release.reason == "pre_rollout hook halted: no answer within 5 s"
    assert len(run.hooks.asked("pre_rollout")) == 2  # the default: one retry


def test_a_confirm_halt_at_the_end_of_the_watch_window_rolls_back_and_restores(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks({"confirm_promotion": [HookResult(HALT, "business KPIs down")]}))
    v1_config = run.endpoints.endpoints[PROD].config
    run.approve(2)
    advance(GROUP, run.deps)
    assert (run.release.stage, run.hooks.asked("confirm_promotion")) == (Stage.WATCHING, [])
    run.after_the_watch_window()
    assert run.release.stage is Stage.ROLLED_BACK
    assert run.release.reason == "confirm_promotion hook halted: business KPIs down"
    assert run.endpoints.endpoints[PROD].config == v1_config
    assert run.deps.store.load(GROUP).live.version == 1  # type: ignore[union-attr]
    assert not run.hooks.asked("post_rollout")  # post runs on success only


def test_without_a_watch_window_confirm_is_asked_once_production_is_in_service(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks({"confirm_promotion": [HookResult(HALT, "no")]}), watch_minutes=0)
    v1_config = run.endpoints.endpoints[PROD].config
    run.approve(2)
    advance(GROUP, run.deps)  # production InService on v2's config
    assert run.release.stage is Stage.ROLLED_BACK
    assert run.endpoints.endpoints[PROD].config == v1_config


def test_a_confirmed_release_goes_live_and_post_rollout_is_told_and_recorded(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks({"post_rollout": [HookResult(HALT, "dashboard not updated")]}))
    run.approve(2)
    advance(GROUP, run.deps)
    run.after_the_watch_window()
    assert run.release.stage is Stage.LIVE  # a post answer changes nothing
    [post] = run.hooks.asked("post_rollout")
    assert (post["stage"], post["model_version"]) == ("LIVE", 2)
    assert [record.hook for record in run.release.hooks] == ["pre_rollout", "confirm_promotion", "post_rollout"]
    rows = run.rows(HOOK_ROW)
    assert any(row.startswith("post_rollout halted") and "dashboard not updated" in row for row in rows)


def test_a_live_notification_lists_the_hooks_answers(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks(), watch_minutes=0)
    run.approve(2)
    advance(GROUP, run.deps)
    live = [sent for sent in run.deps.notifier.sent if sent.kind == "release.live"][-1]  # type: ignore[attr-defined]
    assert [hook["hook"] for hook in live.body["hooks"]] == ["pre_rollout", "confirm_promotion"]


def test_a_release_without_hooks_asks_none(tmp_path: Path) -> None:
    run = live_v1(tmp_path, FakeHooks(), hooks={})
    run.approve(2)
    advance(GROUP, run.deps)
    run.after_the_watch_window()
    assert run.release.stage is Stage.LIVE and run.hooks.sent == [] and run.release.hooks == ()


@pytest.mark.parametrize("stage", [Stage.STAGING, Stage.FAILED])
def test_a_late_answer_changes_nothing(stage: Stage) -> None:
    from chalicelib.hooks.engine import HookAnswered
    from chalicelib.hooks.record import PROCEED, HookRecord
    from chalicelib.release.machine import next_state

    t0 = datetime(2026, 12, 7, tzinfo=UTC)
    release = Release("g", 2, "arn:.../2", "gate", stage, t0, t0, "m", "s", "p")
    for hook in ("pre_rollout", "confirm_promotion", "post_rollout"):
        moved = next_state(release, HookAnswered(t0, HookRecord(hook, PROCEED, at=t0)))
        assert (moved.release, moved.actions) == (release, ())


def test_a_stored_release_keeps_its_hooks_and_their_answers_exactly() -> None:
    import json

    from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json
    from chalicelib.hooks.record import PROCEED, HookRecord
    from chalicelib.release.state import GroupState, Rules

    t0 = datetime(2026, 12, 7, tzinfo=UTC)
    answered = (HookRecord("pre_rollout", PROCEED, "green", 0.25, 2, t0), HookRecord("confirm_promotion", HALT))
    rules = Rules(hooks=("pre_rollout", "confirm_promotion"))
    release = Release("g", 2, "arn:.../2", "gate", Stage.WATCHING, t0, t0, "m", "s", "p", rules, hooks=answered)
    state = GroupState("g", 3, release)
    assert state_from_json(json.loads(json.dumps(state_to_json(state)))) == state
    older = state_to_json(state)
    del older["release"]["hooks"], older["release"]["rules"]["hooks"]  # stored before hooks existed
    assert state_from_json(older).release == replace(release, rules=Rules(), hooks=())


def test_under_manual_promotion_pre_rollout_is_asked_at_promote_and_its_halt_fails_the_release(tmp_path: Path) -> None:
    from chalicelib.release.promotion import promote
    from tests.support.policies import MANUAL_PROMOTION

    run = live_v1(tmp_path, FakeHooks({"pre_rollout": [HookResult(HALT, "owner on leave")]}))
    run.deps.policies = FilePolicyRepository(policies_with_release(tmp_path / "policies", promotion=MANUAL_PROMOTION))
    before = run.endpoints.endpoints[PROD]
    on_approved(ARN + "2", run.deps)
    advance(GROUP, run.deps)  # smoke tests pass: it waits for a person
    assert (run.release.stage, run.hooks.asked("pre_rollout")) == (Stage.AWAITING_PROMOTION, [])
    promote(GROUP, 2, "alice", "looks good", run.deps)
    assert run.release.stage is Stage.FAILED and run.release.reason == "pre_rollout hook halted: owner on leave"
    assert run.endpoints.endpoints[PROD] == before
