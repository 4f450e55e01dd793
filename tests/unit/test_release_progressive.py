"""PROGRESSIVE in the release machine, pure: the split config, each step held and judged, a failure that names
its step, the move to the challenger's own config after 100%."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.release.judged import Measured
from chalicelib.release.machine import Action, EndpointSeen, Tick, VersionRejected, next_state
from chalicelib.release.progressive import split_config
from chalicelib.release.state import Release, Rollout, Rules, Stage
from tests.fakes.judge import ANALYSIS, FAIL, PASS
from tests.support.rollout import T0, V1, v2

MINUTE = timedelta(minutes=1)
STEP = timedelta(minutes=10)
RULES = Rules(production_deadline=timedelta(minutes=30), progressive_steps=(5, 25, 100), step_duration=STEP)


def production(rollout: Rollout | None = None, **changes: object) -> Release:
    base = v2(Stage.PRODUCTION, RULES, T0 + timedelta(minutes=30), rollout=rollout or Rollout())
    return replace(base, **changes)  # type: ignore[arg-type]


def in_step(step: int, since: datetime = T0, judged: datetime | None = None, verdict: str = "PASS") -> Release:
    """In `step` since `since`, measured to `judged`, the last measurement's verdict `verdict`."""
    return production(Rollout(step=step, step_since=since, judged_until=judged or since, last_verdict=verdict))


def seen(config: str = "m-v2-spl", status: str = "InService", at: datetime = T0, **extra: object) -> EndpointSeen:
    return EndpointSeen(at, "production", status, config, **extra)  # type: ignore[arg-type]


def test_the_split_config_in_service_starts_the_first_step_judged_from_then() -> None:
    moved = next_state(production(), seen())
    rollout = moved.release.rollout
    assert (rollout.step, rollout.step_since, rollout.judged_until) == (0, T0, T0)
    assert moved.release.deadline == T0 + STEP + RULES.production_deadline
    assert split_config(production()) == "m-v2-spl"


def test_production_still_on_the_champion_gets_the_split_deployed_again() -> None:
    moved = next_state(production(), seen("cfg-v1-prd"))
    assert (moved.release, moved.actions) == (production(), (Action.DEPLOY_PRODUCTION,))


def test_sagemaker_refusing_the_split_fails_the_release_with_production_on_the_champion() -> None:
    moved = next_state(production(), seen("cfg-v1-prd", failure="capacity"))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, ())
    assert moved.release.reason == "SageMaker refused the split config: capacity"


def test_an_updating_endpoint_is_waited_for() -> None:
    release = in_step(1)
    assert next_state(release, seen(status="Updating")).release == release


def test_a_weight_that_never_landed_is_set_again_without_a_write() -> None:
    release = in_step(1)
    moved = next_state(release, seen(challenger_weight=5))
    assert (moved.release, moved.actions) == (release, (Action.SET_WEIGHTS,))


def test_a_step_judged_to_its_end_moves_to_the_next_weights() -> None:
    release = in_step(0, judged=T0 + 9 * MINUTE)
    moved = next_state(release, Measured(T0 + 11 * MINUTE, T0 + STEP, ANALYSIS, PASS))
    rollout = moved.release.rollout
    assert (rollout.step, rollout.step_since, moved.actions) == (1, T0 + 11 * MINUTE, (Action.SET_WEIGHTS,))
    assert rollout.results == (PASS.summary,)


def test_a_step_whose_time_is_over_waits_for_its_last_measurement() -> None:
    release = in_step(0, judged=T0 + 9 * MINUTE)
    assert next_state(release, Tick(T0 + 12 * MINUTE)).release == release
    assert next_state(release, seen(at=T0 + 12 * MINUTE)).release == release


def test_after_the_last_step_production_moves_to_the_challengers_own_config() -> None:
    release = in_step(2, judged=T0 + STEP)
    moved = next_state(release, Tick(T0 + 11 * MINUTE))
    assert (moved.release.rollout.step, moved.actions) == (3, (Action.DEPLOY_PRODUCTION,))
    assert moved.release.deadline == T0 + 11 * MINUTE + RULES.production_deadline
    live = next_state(moved.release, seen("m-v2-prd", at=T0 + 15 * MINUTE, judged_every=MINUTE))
    assert (live.release.stage, live.notify) == (Stage.WATCHING, "release.live")
    assert live.release.rollout.judged_until == T0 + 15 * MINUTE


def test_the_final_move_rolled_back_by_sagemaker_restores_the_champions_own_config() -> None:
    final = production(Rollout(step=3, step_since=T0, judged_until=T0))
    moved = next_state(final, seen("m-v2-spl", failure="alarm fired"))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))


def test_a_failed_measurement_aborts_the_step_naming_it() -> None:
    moved = next_state(in_step(1), Measured(T0 + 2 * MINUTE, T0 + 2 * MINUTE, ANALYSIS, FAIL))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == f"aborted at 25%: the metric analysis failed 1 time(s): {FAIL.summary}"


def test_production_found_off_the_split_mid_step_is_aborted_and_restored() -> None:
    moved = next_state(in_step(1), seen("someone-elses-config"))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == "aborted at 25%: production left the split config (it serves someone-elses-config)"


def test_a_step_past_its_deadline_fails_naming_it() -> None:
    release = replace(in_step(0), deadline=T0 + timedelta(minutes=40))
    moved = next_state(release, Tick(T0 + timedelta(minutes=41)))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason.startswith("aborted at 5%: PRODUCTION passed its deadline")


def test_a_version_rejected_mid_step_is_aborted_and_restored() -> None:
    moved = next_state(in_step(0), VersionRejected(T0 + MINUTE))
    assert (moved.release.stage, moved.actions) == (Stage.FAILED, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == "aborted at 5%: v2 was Rejected mid-release"


def test_a_paused_step_nobody_continued_is_aborted_naming_it() -> None:
    rollout = Rollout(step=1, step_since=T0, judged_until=T0, inconclusive=3, paused_from=Stage.PRODUCTION)
    paused = production(rollout, stage=Stage.PAUSED, deadline=T0 + timedelta(minutes=30))
    moved = next_state(paused, Tick(T0 + timedelta(minutes=31)))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason.startswith("aborted at 25%: paused, and nobody continued it")


def test_a_first_release_has_no_champion_and_goes_all_at_once() -> None:
    first = production(previous=None)
    moved = next_state(first, seen("m-v2-prd", judged_every=MINUTE))
    assert (moved.release.stage, moved.release.rollout.step) == (Stage.WATCHING, 0)
    assert next_state(first, seen("m-v2-spl")).actions == (Action.DEPLOY_PRODUCTION,)


def test_a_release_mid_step_survives_the_store_codec() -> None:
    import json

    from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json
    from chalicelib.release.state import GroupState

    release = replace(
        in_step(1, judged=T0 + 4 * MINUTE), rollout=Rollout(1, T0, T0 + 4 * MINUTE, 0, 1, (PASS.summary,))
    )
    state = GroupState("g", 3, release, live=V1)
    assert state_from_json(json.loads(json.dumps(state_to_json(state)))) == state


def test_a_step_whose_last_measurement_had_no_data_is_held_until_one_passes() -> None:
    from tests.fakes.judge import NO_DATA

    release = in_step(0, judged=T0 + 9 * MINUTE)
    held = next_state(release, Measured(T0 + 11 * MINUTE, T0 + STEP, ANALYSIS, NO_DATA))
    assert (held.release.rollout.step, held.actions) == (0, ())  # never a silent pass to 25%
    assert held.release.rollout.inconclusive == 1  # the step's end: no data counts
    assert next_state(held.release, Tick(T0 + 12 * MINUTE)).release.rollout.step == 0
    moved = next_state(held.release, Measured(T0 + 13 * MINUTE, T0 + 13 * MINUTE, ANALYSIS, PASS))
    assert (moved.release.rollout.step, moved.actions) == (1, (Action.SET_WEIGHTS,))


def test_too_few_samples_before_the_steps_end_is_not_counted_as_no_data() -> None:
    from tests.fakes.judge import NO_DATA

    early = Measured(T0 + 3 * MINUTE, T0 + 3 * MINUTE, ANALYSIS, NO_DATA, final=False)
    moved = next_state(in_step(0), early)
    assert (moved.release.rollout.inconclusive, moved.release.rollout.last_verdict) == (0, "INCONCLUSIVE")
    assert moved.release.stage is Stage.PRODUCTION


def test_an_alarm_while_the_challenger_takes_traffic_aborts_the_step_and_restores() -> None:
    from chalicelib.release.machine import AlarmsFiring

    moved = next_state(in_step(1, judged=T0 + 2 * MINUTE), AlarmsFiring(T0 + 3 * MINUTE, ("prod-5xx",)))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == "aborted at 25%: alarm prod-5xx fired while the challenger took traffic"


def test_a_comparison_judges_the_step_so_far_and_thresholds_the_interval() -> None:
    from chalicelib.analysis.ports import Subject
    from chalicelib.release.measuring import judged_from

    release = in_step(1, since=T0, judged=T0 + 8 * MINUTE)
    compared = Subject("prod", "Challenger", baseline="AllTraffic")
    assert judged_from(release, compared, T0 + 8 * MINUTE) == T0  # every sample of the step
    assert judged_from(release, Subject("prod", "Challenger"), T0 + 8 * MINUTE) == T0 + 8 * MINUTE
