"""The release state machine, pure: every transition from what is seen, no AWS."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.release.machine import (
    Action,
    AlarmsFiring,
    EndpointSeen,
    SmokeTested,
    Tick,
    VersionRejected,
    next_state,
)
from chalicelib.release.state import Deployed, Release, Rules, Stage

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
V1 = Deployed(1, "arn:.../1", "cfg-v1-prd", "gate", T0 - timedelta(days=1))


def release(stage: Stage = Stage.STAGING, **changes: object) -> Release:
    base = Release(
        "g",
        2,
        "arn:.../2",
        "gate",
        stage,
        T0,
        T0 + timedelta(minutes=30),
        "m-v2",
        "cfg-v2-stg",
        "cfg-v2-prd",
        Rules(min_canary_invocations=100),
        previous=V1,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def seen(role: str, status: str = "InService", config: str | None = None, **extra: object) -> EndpointSeen:
    default = "cfg-v2-stg" if role == "staging" else "cfg-v2-prd"
    return EndpointSeen(T0 + timedelta(minutes=5), role, status, config or default, **extra)  # type: ignore[arg-type]


def test_staging_in_service_on_its_config_runs_the_smoke_tests() -> None:
    moved = next_state(release(), seen("staging"))
    assert (moved.release.stage, moved.actions) == (Stage.SMOKE_TESTING, (Action.RUN_SMOKE_TESTS,))


def test_staging_failed_fails_without_touching_production() -> None:
    moved = next_state(release(), seen("staging", "Failed", failure="bad image"))
    assert (moved.release.stage, moved.actions, moved.notify) == (Stage.FAILED, (), "release.failed")
    assert moved.release.reason == "staging endpoint Failed: bad image"


def test_passing_smoke_tests_deploy_production_with_a_fresh_deadline() -> None:
    moved = next_state(release(Stage.SMOKE_TESTING), SmokeTested(T0 + timedelta(minutes=9), ()))
    assert (moved.release.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))
    assert moved.release.deadline == T0 + timedelta(minutes=69)


def test_failing_smoke_tests_fail_the_release() -> None:
    moved = next_state(release(Stage.SMOKE_TESTING), SmokeTested(T0, ("a: status 500", "b: slow")))
    assert moved.release.reason == "smoke tests failed: a: status 500; b: slow"


def test_production_in_service_on_the_new_config_with_enough_canary_traffic_is_live() -> None:
    moved = next_state(release(Stage.PRODUCTION), seen("production", canary_invocations=100))
    assert (moved.release.stage, moved.notify) == (Stage.WATCHING, "release.live")
    assert moved.release.watch_until == T0 + timedelta(minutes=65)


def test_a_canary_with_too_few_invocations_is_rolled_back() -> None:
    moved = next_state(release(Stage.PRODUCTION), seen("production", canary_invocations=99))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))


def test_production_back_on_the_old_config_with_a_failure_is_sagemakers_rollback() -> None:
    moved = next_state(release(Stage.PRODUCTION), seen("production", config="cfg-v1-prd", failure="alarm"))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, ())


def test_production_on_the_old_config_without_a_failure_redeploys() -> None:
    moved = next_state(release(Stage.PRODUCTION), seen("production", config="cfg-v1-prd"))
    assert (moved.release, moved.actions) == (release(Stage.PRODUCTION), (Action.DEPLOY_PRODUCTION,))


@pytest.mark.parametrize("status", ["Failed", "UpdateRollbackFailed"])
def test_production_failure_restores_the_previous_version(status: str) -> None:
    moved = next_state(release(Stage.PRODUCTION), seen("production", status))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))


def test_a_first_release_has_nothing_to_restore() -> None:
    moved = next_state(release(Stage.PRODUCTION, previous=None), seen("production", "Failed"))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, ())


@pytest.mark.parametrize("status", ["Creating", "Updating", "RollingBack", "SystemUpdating"])
def test_production_in_progress_waits(status: str) -> None:
    assert not next_state(release(Stage.PRODUCTION), seen("production", status)).moved(release(Stage.PRODUCTION))


def test_watch_window_alarm_rolls_back_but_not_after_the_window() -> None:
    watching = release(Stage.WATCHING, watch_until=T0 + timedelta(hours=1), live_since=T0)
    inside = next_state(watching, AlarmsFiring(T0 + timedelta(minutes=59), ("p99",)))
    assert (inside.release.stage, inside.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    after = next_state(watching, AlarmsFiring(T0 + timedelta(hours=1), ("p99",)))
    assert (after.release.stage, after.actions) == (Stage.LIVE, ())


def test_deadlines_fail_a_step_and_restore_only_from_production() -> None:
    late = Tick(T0 + timedelta(minutes=31))
    assert next_state(release(), late).actions == ()
    assert next_state(release(Stage.PRODUCTION), late).actions == (Action.RESTORE_PREVIOUS,)
    assert next_state(release(), Tick(T0 + timedelta(minutes=29))).release == release()


def test_rejected_mid_release_fails_and_while_live_rolls_back() -> None:
    assert next_state(release(), VersionRejected(T0)).release.stage is Stage.FAILED
    live = next_state(release(Stage.LIVE, live_since=T0), VersionRejected(T0))
    assert (live.release.stage, live.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))


EVENTS = st.one_of(
    st.builds(
        seen,
        st.sampled_from(["staging", "production"]),
        st.sampled_from(["InService", "Failed", "Updating", "Missing", "UpdateRollbackFailed"]),
        st.sampled_from([None, "cfg-v1-prd", "other"]),
    ),
    st.builds(SmokeTested, st.just(T0), st.lists(st.text(max_size=3), max_size=2).map(tuple)),
    st.builds(AlarmsFiring, st.just(T0), st.lists(st.text(min_size=1, max_size=3), max_size=2).map(tuple)),
    st.builds(Tick, st.just(T0 + timedelta(hours=5))),
)


@given(st.sampled_from([Stage.FAILED, Stage.ROLLED_BACK, Stage.SUPERSEDED]), EVENTS)
def test_an_ended_release_never_moves_again(stage: Stage, event: object) -> None:
    ended = release(stage)
    moved = next_state(ended, event)  # type: ignore[arg-type]
    assert (moved.release, moved.actions, moved.notify) == (ended, (), None)


@given(st.lists(EVENTS, max_size=8))
def test_any_event_sequence_moves_forward_only(events: list[object]) -> None:
    order = [Stage.STAGING, Stage.SMOKE_TESTING, Stage.PRODUCTION, Stage.WATCHING, Stage.LIVE]
    current = release()
    for event in events:
        moved = next_state(current, event).release  # type: ignore[arg-type]
        if moved.stage in order and current.stage in order:
            assert order.index(moved.stage) >= order.index(current.stage)
        current = moved
