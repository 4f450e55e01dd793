"""The shadow stage in the release machine, pure: entered after the smoke tests (or a promotion), judged like a
step, passed on to production, or FAILED with production back on the champion's own config."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.hooks.engine import HookAnswered
from chalicelib.hooks.record import HALT, PRE_ROLLOUT, HookRecord
from chalicelib.release.awaiting import Promoted
from chalicelib.release.judged import Measured
from chalicelib.release.machine import Action, EndpointSeen, SmokeTested, Tick, VersionRejected, next_state
from chalicelib.release.shadow_stage import shadow_config
from chalicelib.release.state import Release, Rollout, Rules, Stage
from tests.fakes.judge import ANALYSIS, FAIL, NO_DATA, PASS
from tests.support.rollout import T0, v2

MINUTE = timedelta(minutes=1)
SHADOW = timedelta(minutes=30)
RULES = Rules(production_deadline=timedelta(minutes=60), shadow_percent=50, shadow_duration=SHADOW)


def release(stage: Stage = Stage.SHADOW, rollout: Rollout | None = None, **changes: object) -> Release:
    base = v2(stage, RULES, T0 + timedelta(minutes=60), rollout=rollout or Rollout())
    return replace(base, **changes)  # type: ignore[arg-type]


def shadowing(judged: datetime = T0) -> Release:
    return release(rollout=Rollout(step_since=T0, judged_until=judged))


def seen(config: str = "m-v2-shd", status: str = "InService", at: datetime = T0, **extra: object) -> EndpointSeen:
    return EndpointSeen(at, "production", status, config, **extra)  # type: ignore[arg-type]


def test_passing_smoke_tests_go_to_the_shadow_test_before_any_production_traffic() -> None:
    moved = next_state(release(Stage.SMOKE_TESTING), SmokeTested(T0, ()))
    assert (moved.release.stage, moved.actions) == (Stage.SHADOW, (Action.DEPLOY_SHADOW,))
    assert moved.release.deadline == T0 + RULES.production_deadline


def test_a_promotion_goes_to_the_shadow_test_too() -> None:
    waiting = release(Stage.AWAITING_PROMOTION, deadline=T0 + timedelta(hours=72))
    moved = next_state(waiting, Promoted(T0, "alice", "looks good"))
    assert (moved.release.stage, moved.actions, moved.notify) == (
        Stage.SHADOW,
        (Action.DEPLOY_SHADOW,),
        "release.promoted",
    )


def test_a_first_release_has_no_champion_to_shadow_and_goes_to_production() -> None:
    moved = next_state(release(Stage.SMOKE_TESTING, previous=None), SmokeTested(T0, ()))
    assert (moved.release.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))


def test_the_shadow_config_in_service_starts_the_test_judged_from_then() -> None:
    moved = next_state(release(), seen())
    assert (moved.release.rollout.step_since, moved.release.rollout.judged_until) == (T0, T0)
    assert moved.release.deadline == T0 + SHADOW + RULES.production_deadline
    assert shadow_config(release()) == "m-v2-shd"


def test_production_still_on_the_champion_gets_the_shadow_deployed_again() -> None:
    moved = next_state(release(), seen("cfg-v1-prd"))
    assert (moved.release, moved.actions) == (release(), (Action.DEPLOY_SHADOW,))


def test_sagemaker_refusing_the_shadow_config_fails_with_production_untouched() -> None:
    moved = next_state(release(), seen("cfg-v1-prd", failure="capacity"))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, ())


def test_a_shadow_test_judged_to_its_end_moves_on_to_production_keeping_its_results() -> None:
    moved = next_state(shadowing(T0 + 29 * MINUTE), Measured(T0 + 31 * MINUTE, T0 + SHADOW, ANALYSIS, PASS))
    after = moved.release
    assert (after.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))
    assert (after.rollout.step_since, after.rollout.judged_until, after.rollout.results) == (
        None,
        None,
        (PASS.summary,),
    )
    assert after.deadline == T0 + 31 * MINUTE + RULES.production_deadline


def test_a_shadow_test_whose_time_is_over_waits_for_its_last_measurement() -> None:
    release_ = shadowing(T0 + 29 * MINUTE)
    assert next_state(release_, Tick(T0 + 31 * MINUTE)).release == release_


def test_a_failed_measurement_fails_the_release_and_returns_production_to_the_champion() -> None:
    moved = next_state(shadowing(), Measured(T0 + 5 * MINUTE, T0 + 5 * MINUTE, ANALYSIS, FAIL))
    assert (moved.release.stage, moved.actions, moved.notify) == (
        Stage.FAILED,
        (Action.RESTORE_PREVIOUS,),
        "release.failed",
    )
    assert moved.release.reason == f"the shadow test failed: the metric analysis failed 1 time(s): {FAIL.summary}"


def test_no_data_too_often_pauses_the_shadow_test() -> None:
    release_ = shadowing()
    for minute in (1, 2, 3):
        release_ = next_state(release_, Measured(T0 + minute * MINUTE, T0 + minute * MINUTE, ANALYSIS, NO_DATA)).release
    assert (release_.stage, release_.rollout.paused_from) == (Stage.PAUSED, Stage.SHADOW)
    expired = next_state(release_, Tick(release_.deadline + MINUTE))
    assert (expired.release.stage, expired.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))
    assert expired.release.reason.startswith("the shadow test failed: paused, and nobody continued it")


def test_a_shadow_test_past_its_deadline_fails_and_restores() -> None:
    moved = next_state(shadowing(), Tick(T0 + timedelta(minutes=61)))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))


def test_production_failed_or_moved_during_the_shadow_test_fails_and_restores() -> None:
    for event in (seen(status="Failed", failure="oom"), seen("someone-elses-config")):
        moved = next_state(shadowing(), event)
        assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))


def test_a_version_rejected_during_the_shadow_test_fails_and_restores() -> None:
    moved = next_state(shadowing(), VersionRejected(T0 + MINUTE))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))


def test_an_updating_endpoint_is_waited_for() -> None:
    assert next_state(shadowing(), seen(status="Updating")).release == shadowing()


def test_a_pre_rollout_hook_halting_after_a_passed_shadow_test_restores_the_champions_config() -> None:
    after_shadow = release(Stage.PRODUCTION, rollout=Rollout(results=(PASS.summary,)))
    moved = next_state(after_shadow, HookAnswered(T0, HookRecord(PRE_ROLLOUT, HALT, "change freeze", at=T0)))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))
    first = release(Stage.PRODUCTION, previous=None)  # no champion, no shadow test: production untouched
    assert next_state(first, HookAnswered(T0, HookRecord(PRE_ROLLOUT, HALT, "no", at=T0))).actions == ()


def test_an_alarm_during_the_shadow_test_fails_it_and_restores_the_champions_config() -> None:
    from chalicelib.release.machine import AlarmsFiring

    moved = next_state(shadowing(T0 + 5 * MINUTE), AlarmsFiring(T0 + 6 * MINUTE, ("prod-5xx",)))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == "the shadow test failed: alarm prod-5xx fired during the shadow test"


def test_a_shadow_test_whose_last_measurement_had_no_data_is_held() -> None:
    held = next_state(shadowing(T0 + 29 * MINUTE), Measured(T0 + 31 * MINUTE, T0 + SHADOW, ANALYSIS, NO_DATA))
    assert (held.release.stage, held.actions) == (Stage.SHADOW, ())
    moved = next_state(held.release, Measured(T0 + 33 * MINUTE, T0 + 33 * MINUTE, ANALYSIS, PASS))
    assert (moved.release.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))
