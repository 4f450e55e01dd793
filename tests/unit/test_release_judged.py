"""The metric analysis in the release machine, pure: measurements recorded, counted, and what they decide."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.analysis.verdict import Verdict
from chalicelib.release.judged import KEPT_RESULTS, Measured
from chalicelib.release.machine import Action, AlarmsFiring, EndpointSeen, Tick, VersionRejected, next_state
from chalicelib.release.state import Release, Rollout, Rules, Stage
from tests.fakes.judge import ANALYSIS, FAIL, NO_DATA, PASS, judgement
from tests.support.rollout import T0, V1, v2

MINUTE = timedelta(minutes=1)


def watching(judged_until: datetime | None = T0, verdict: str = "PASS", **changes: object) -> Release:
    """Watched since T0 for 30 minutes, measured to `judged_until`, the last measurement's verdict `verdict`."""
    base = v2(
        Stage.WATCHING,
        Rules(watch=timedelta(minutes=30)),
        T0 + timedelta(minutes=40),
        live_since=T0,
        watch_until=T0 + timedelta(minutes=30),
        rollout=Rollout(judged_until=judged_until, last_verdict=verdict),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def measured(at: datetime, verdict_or_none: object = PASS, error: str = "") -> Measured:
    return Measured(at, at, ANALYSIS, verdict_or_none, error)  # type: ignore[arg-type]


def in_service(judged_every: timedelta | None = MINUTE) -> EndpointSeen:
    return EndpointSeen(T0, "production", "InService", "m-v2-prd", judged_every=judged_every)


def test_production_serving_a_judged_release_starts_its_measurements_there() -> None:
    production = replace(watching(None), stage=Stage.PRODUCTION, live_since=None, watch_until=None)
    moved = next_state(production, in_service())
    assert (moved.release.stage, moved.release.rollout.judged_until) == (Stage.WATCHING, T0)
    assert moved.notify == "release.live"


def test_a_judged_release_without_a_watch_window_is_watched_for_one_interval() -> None:
    production = replace(watching(None), stage=Stage.PRODUCTION, live_since=None, rules=Rules(watch=timedelta(0)))
    moved = next_state(production, in_service())
    assert (moved.release.stage, moved.release.watch_until) == (Stage.WATCHING, T0 + MINUTE)


def test_a_release_not_judged_goes_live_as_before() -> None:
    unjudged = watching(None, verdict="")
    production = replace(unjudged, stage=Stage.PRODUCTION, live_since=None, rules=Rules(watch=timedelta(0)))
    moved = next_state(production, in_service(None))
    assert (moved.release.stage, moved.release.rollout) == (Stage.LIVE, Rollout())


def test_a_passing_measurement_is_recorded_and_moves_the_judged_window_on() -> None:
    moved = next_state(watching(), measured(T0 + 5 * MINUTE))
    rollout = moved.release.rollout
    assert (moved.release.stage, rollout.judged_until, rollout.failures, rollout.inconclusive) == (
        Stage.WATCHING,
        T0 + 5 * MINUTE,
        0,
        0,
    )
    assert rollout.results == (PASS.summary,)


def test_a_failed_measurement_beyond_the_limit_rolls_back_naming_it() -> None:
    moved = next_state(watching(), measured(T0 + 5 * MINUTE, FAIL))
    assert (moved.release.stage, moved.actions, moved.notify) == (
        Stage.ROLLED_BACK,
        (Action.RESTORE_PREVIOUS,),
        "release.rolled_back",
    )
    assert moved.release.reason == f"the metric analysis failed 1 time(s): {FAIL.summary}"


def test_failures_within_the_limit_are_counted_and_tolerated() -> None:
    tolerant = replace(ANALYSIS, failure_limit=1)
    once = next_state(watching(), Measured(T0 + MINUTE, T0 + MINUTE, tolerant, FAIL))
    assert (once.release.stage, once.release.rollout.failures) == (Stage.WATCHING, 1)
    twice = next_state(once.release, Measured(T0 + 2 * MINUTE, T0 + 2 * MINUTE, tolerant, FAIL))
    assert twice.release.stage is Stage.ROLLED_BACK


def test_no_data_beyond_the_limit_pauses_the_release_for_people() -> None:
    release = watching()
    for minute in (1, 2):
        release = next_state(release, measured(T0 + minute * MINUTE, NO_DATA)).release
    assert (release.stage, release.rollout.inconclusive) == (Stage.WATCHING, 2)
    moved = next_state(release, measured(T0 + 3 * MINUTE, NO_DATA))
    paused = moved.release
    assert (paused.stage, paused.rollout.paused_from, moved.notify) == (Stage.PAUSED, Stage.WATCHING, "release.paused")
    assert paused.deadline == T0 + 3 * MINUTE + paused.rules.production_deadline
    assert paused.reason.startswith("the metric analysis had no verdict 3 time(s): INCONCLUSIVE")


def test_a_judge_that_did_not_answer_counts_neither_way_and_leaves_the_window_to_judge_again() -> None:
    moved = next_state(watching(), measured(T0 + 5 * MINUTE, None, "MetricsReadError: GetMetricData refused"))
    rollout = moved.release.rollout
    assert (rollout.judged_until, rollout.inconclusive, rollout.failures) == (T0, 0, 0)
    assert rollout.results == ("UNAVAILABLE: MetricsReadError: GetMetricData refused",)


def test_a_watch_window_whose_end_cannot_be_measured_asks_people_a_production_deadline_later() -> None:
    release = watching(T0 + 10 * MINUTE)  # the judge stopped answering ten minutes in
    ended = T0 + timedelta(minutes=30)
    assert next_state(release, Tick(ended + release.rules.production_deadline - MINUTE)).release == release
    moved = next_state(release, Tick(ended + release.rules.production_deadline))
    assert (moved.release.stage, moved.notify) == (Stage.PAUSED, "release.paused")
    assert moved.release.reason.startswith("the metric analysis could not measure the watch window's end")


def test_a_window_is_judged_to_its_end_in_whole_minutes() -> None:
    release = watching(T0 + 30 * MINUTE + timedelta(seconds=5), watch_until=T0 + 30 * MINUTE + timedelta(seconds=40))
    moved = next_state(release, Tick(T0 + 31 * MINUTE))  # the rest of its last minute is no minute to measure
    assert moved.release.stage is Stage.LIVE


def test_a_late_duplicate_of_a_window_already_judged_changes_nothing() -> None:
    judged = next_state(watching(), measured(T0 + 5 * MINUTE, FAIL)).release
    again = watching(T0 + 5 * MINUTE)
    assert next_state(again, measured(T0 + 5 * MINUTE, FAIL)).release == again
    assert judged.stage is Stage.ROLLED_BACK


def test_the_watch_window_does_not_end_live_while_its_end_is_unjudged() -> None:
    release = watching(T0 + 29 * MINUTE)
    assert next_state(release, Tick(T0 + 31 * MINUTE)).release == release
    moved = next_state(release, Measured(T0 + 31 * MINUTE, T0 + 30 * MINUTE, ANALYSIS, PASS))
    assert (moved.release.stage, moved.release.ended_at) == (Stage.LIVE, T0 + 31 * MINUTE)
    assert moved.release.reason == f"watched; last measurement {PASS.summary}"


def test_an_unjudged_release_ends_its_watch_window_as_before() -> None:
    release = watching(None)
    moved = next_state(release, Tick(T0 + 31 * MINUTE))
    assert (moved.release.stage, moved.release.reason) == (Stage.LIVE, "")


def test_a_measurement_outside_the_judged_stages_changes_nothing() -> None:
    staging = watching(stage=Stage.STAGING)
    assert next_state(staging, measured(T0 + MINUTE)).release == staging


def test_only_the_newest_results_are_kept() -> None:
    release = watching()
    for minute in range(1, KEPT_RESULTS + 6):
        verdict = judgement(Verdict.PASS, f"measurement {minute}")
        release = next_state(release, measured(T0 + minute * MINUTE, verdict)).release
    assert len(release.rollout.results) == KEPT_RESULTS
    assert release.rollout.results[-1].endswith(f"measurement {KEPT_RESULTS + 5}")


def paused() -> Release:
    rollout = Rollout(judged_until=T0, inconclusive=3, paused_from=Stage.WATCHING)
    return watching(stage=Stage.PAUSED, deadline=T0 + timedelta(minutes=60), rollout=rollout)


def test_a_paused_release_waits_for_people_until_its_deadline() -> None:
    release = paused()
    assert next_state(release, Tick(T0 + timedelta(minutes=60))).release == release
    assert next_state(release, measured(T0 + 5 * MINUTE)).release == release  # no measurement while paused


def test_a_paused_release_nobody_continued_is_rolled_back_at_its_deadline() -> None:
    moved = next_state(paused(), Tick(T0 + timedelta(minutes=61)))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason.startswith("paused, and nobody continued it before")


def test_an_alarm_while_a_serving_release_is_paused_rolls_it_back() -> None:
    moved = next_state(paused(), AlarmsFiring(T0 + MINUTE, ("p99-latency",)))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))


def test_a_paused_release_rejected_is_rolled_back_as_a_live_one() -> None:
    moved = next_state(paused(), VersionRejected(T0 + MINUTE))
    assert (moved.release.stage, moved.actions) == (Stage.ROLLED_BACK, (Action.RESTORE_PREVIOUS,))
    assert moved.release.reason == "v2 was Rejected while live"


def test_a_paused_judged_release_survives_the_store_codec() -> None:
    import json

    from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json
    from chalicelib.release.state import GroupState

    rollout = Rollout(2, T0, T0 + MINUTE, 1, 3, (PASS.summary, NO_DATA.summary), Stage.WATCHING)
    state = GroupState("g", 7, watching(stage=Stage.PAUSED, rollout=rollout), live=V1)
    assert state_from_json(json.loads(json.dumps(state_to_json(state)))) == state


def test_a_measurement_is_due_an_interval_on_in_whole_minutes_and_at_the_windows_end() -> None:
    from chalicelib.release.measuring import due_window

    release = watching(T0 + timedelta(seconds=10))
    assert due_window(release, ANALYSIS, T0 + timedelta(seconds=65)) is None  # an interval, but no whole minute
    assert due_window(release, ANALYSIS, T0 + 2 * MINUTE) == (T0 + timedelta(seconds=10), T0 + 2 * MINUTE)
    late = T0 + timedelta(minutes=45)  # past the window's end: measured up to it, not beyond
    assert due_window(watching(T0 + 20 * MINUTE), ANALYSIS, late) == (T0 + 20 * MINUTE, T0 + 30 * MINUTE)
    assert due_window(watching(T0 + 30 * MINUTE), ANALYSIS, late) is None
    assert due_window(watching(None), ANALYSIS, late) is None  # not judged


def test_a_continued_release_whose_window_is_still_unmeasured_is_asked_about_again_only_after_its_deadline() -> None:
    ended = T0 + timedelta(minutes=30)
    late = ended + timedelta(hours=3)
    continued = watching(T0 + 10 * MINUTE, deadline=late + timedelta(minutes=30))  # Continue: its deadline moved on
    assert next_state(continued, Tick(late)).release == continued
    assert next_state(continued, Tick(late + timedelta(minutes=31))).release.stage is Stage.PAUSED


def test_a_watch_window_whose_last_measurement_had_no_data_is_held_and_measured_again() -> None:
    from chalicelib.release.measuring import due_window

    held = watching(T0 + 30 * MINUTE, verdict="INCONCLUSIVE")
    assert next_state(held, Tick(T0 + 31 * MINUTE)).release.stage is Stage.WATCHING  # never a silent pass
    assert due_window(held, ANALYSIS, T0 + 30 * MINUTE + timedelta(seconds=30)) is None  # an interval later...
    assert due_window(held, ANALYSIS, T0 + 32 * MINUTE) == (T0 + 30 * MINUTE, T0 + 32 * MINUTE)  # ...past its end
    passed = next_state(held, measured(T0 + 32 * MINUTE))
    assert (passed.release.stage, passed.release.rollout.last_verdict) == (Stage.LIVE, "PASS")


def test_a_held_window_that_keeps_having_no_data_pauses_for_people() -> None:
    held = watching(T0 + 30 * MINUTE, verdict="INCONCLUSIVE")
    held = replace(held, rollout=replace(held.rollout, inconclusive=2))
    moved = next_state(held, measured(T0 + 32 * MINUTE, NO_DATA))
    assert (moved.release.stage, moved.notify) == (Stage.PAUSED, "release.paused")
