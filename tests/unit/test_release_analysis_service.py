"""The metric analysis driven through the release services, on fakes: measurements due, duplicated or late
looks, a judge that raises, a pause nobody answers, a process restarted mid-window. No moto."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from chalicelib.analysis.ports import Subject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.placement import Placement
from chalicelib.release.places import StageAdapters
from chalicelib.release.rollback import rollback
from chalicelib.release.service import advance, on_approved
from chalicelib.release.state import Release, Stage
from tests.fakes.gate import RecordingNotifier
from tests.fakes.judge import FAIL, NO_DATA, PASS, ScriptedJudge
from tests.fakes.release import GoodAnswers, MemoryEndpoints, MemoryStore, QuietAlarms, fixed_clock, memory_deps
from tests.support.policies import example_document
from tests.support.release import Clock
from tests.support.rollout import ARN, GROUP, PROD, judged_policy

MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def with_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    judged_policy(monkeypatch)


def judged_deps(
    judge: ScriptedJudge | None,
    clock: Clock,
    store: MemoryStore | None = None,
    endpoints: MemoryEndpoints | None = None,
) -> ReleaseDeps:
    deps = memory_deps(GROUP, store, endpoints)
    deps.clock = clock
    deps.judge = judge
    return deps


def release(deps: ReleaseDeps) -> Release:
    found = deps.store.load(GROUP).release
    assert found is not None
    return found


def to_watching(deps: ReleaseDeps, version: int) -> Release:
    """Approved -> staging -> smoke tests -> production -> InService on its config: WATCHING, judged from now."""
    on_approved(ARN + str(version), deps)
    for _ in range(4):
        if release(deps).stage is Stage.WATCHING:
            break
        advance(GROUP, deps)
    assert release(deps).stage is Stage.WATCHING
    return release(deps)


def v1_live(deps: ReleaseDeps, clock: Clock) -> None:
    to_watching(deps, 1)
    clock.advance(minutes=61)
    advance(GROUP, deps)
    assert release(deps).stage is Stage.LIVE


def v2_watching() -> tuple[ReleaseDeps, Clock, ScriptedJudge, str]:
    """v1 live, v2 in its watch window: the deps, the clock, the judge and v1's production config."""
    clock, judge = Clock(fixed_clock()), ScriptedJudge()
    deps = judged_deps(judge, clock)
    v1_live(deps, clock)
    v1_config = deps.store.load(GROUP).live.config  # type: ignore[union-attr]
    to_watching(deps, 2)
    return deps, clock, judge, v1_config


def v2_paused() -> tuple[ReleaseDeps, Clock, str]:
    """v2 paused in its watch window: three measurements without data (the limit is two)."""
    deps, clock, judge, v1_config = v2_watching()
    judge.script.extend([NO_DATA, NO_DATA, NO_DATA])
    for _ in range(3):
        clock.advance(minutes=2)
        advance(GROUP, deps)
    return deps, clock, v1_config


def sent(deps: ReleaseDeps) -> list[str]:
    assert isinstance(deps.notifier, RecordingNotifier)
    return [notification.kind for notification in deps.notifier.sent]


def test_a_judged_release_is_measured_once_per_interval_on_production_variant() -> None:
    clock, judge = Clock(fixed_clock()), ScriptedJudge()
    deps = judged_deps(judge, clock)
    watching = to_watching(deps, 1)
    assert watching.rollout.judged_until == clock.now and judge.asked == []
    start = clock.now
    clock.advance(minutes=5)
    advance(GROUP, deps)
    advance(GROUP, deps)  # a duplicated look at the same moment: nothing due any more
    clock.advance(minutes=0.5)
    advance(GROUP, deps)  # half an interval later: nothing due yet
    assert judge.asked == [(Subject(PROD, "AllTraffic"), start, start + 5 * MINUTE)]
    assert release(deps).rollout.results == (PASS.summary,)


def test_a_failed_measurement_rolls_back_to_the_last_good_version_naming_it() -> None:
    deps, clock, judge, v1_config = v2_watching()
    judge.script.append(FAIL)
    clock.advance(minutes=2)
    advance(GROUP, deps)
    ended = release(deps)
    assert (ended.stage, ended.reason) == (Stage.ROLLED_BACK, f"the metric analysis failed 1 time(s): {FAIL.summary}")
    assert deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
    assert sent(deps)[-1] == "release.rolled_back"
    rows = {row.version: row for row in deps.store.history(GROUP) if row.outcome == "ROLLED_BACK"}
    assert FAIL.summary in rows[2].reason


def test_a_judge_that_raises_is_no_pass_and_the_window_is_judged_again() -> None:
    clock = Clock(fixed_clock())
    throttled = ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "GetMetricData")
    judge = ScriptedJudge([throttled])
    deps = judged_deps(judge, clock)
    start = to_watching(deps, 1).rollout.judged_until
    clock.advance(minutes=5)
    advance(GROUP, deps)  # no error escapes: no measurement this time
    rollout = release(deps).rollout
    assert (rollout.judged_until, rollout.inconclusive, release(deps).stage) == (start, 0, Stage.WATCHING)
    assert "ThrottlingException" in rollout.results[-1]
    clock.advance(minutes=5)
    advance(GROUP, deps)
    assert judge.asked[-1][1:] == (start, clock.now)  # the whole window since the last measurement
    assert release(deps).rollout.judged_until == clock.now


def test_a_deployment_without_a_judge_never_passes_a_judged_release() -> None:
    clock = Clock(fixed_clock())
    deps = judged_deps(None, clock)
    to_watching(deps, 1)
    clock.advance(minutes=61)
    advance(GROUP, deps)
    assert release(deps).stage is Stage.WATCHING  # its window is over, but unmeasured: it does not end LIVE
    clock.advance(minutes=90)  # production's deadline after the window's end: people are asked
    advance(GROUP, deps)
    paused = release(deps)
    assert paused.stage is Stage.PAUSED
    assert paused.reason.endswith("UNAVAILABLE: this deployment has no metric judge")


def test_a_release_paused_for_want_of_data_is_rolled_back_when_nobody_continues_it() -> None:
    deps, clock, v1_config = v2_paused()
    paused = release(deps)
    assert (paused.stage, paused.rollout.paused_from) == (Stage.PAUSED, Stage.WATCHING)
    assert sent(deps)[-1] == "release.paused"
    assert isinstance(deps.notifier, RecordingNotifier)
    notice = deps.notifier.sent[-1]
    assert "fraud-detection-models v2 is PAUSED at WATCHING" in notice.text
    assert (notice.body["judgements"][-1], notice.body["stage"]) == (NO_DATA.summary, "PAUSED")
    clock.advance(minutes=89)
    advance(GROUP, deps)
    assert release(deps).stage is Stage.PAUSED  # its deadline (90 minutes, production's) not passed yet
    clock.advance(minutes=2)
    advance(GROUP, deps)
    assert release(deps).stage is Stage.ROLLED_BACK
    assert deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
    assert deps.store.load(GROUP).live.version == 1  # type: ignore[union-attr]


def test_the_watch_window_ends_live_only_after_its_last_part_is_judged() -> None:
    clock, judge = Clock(fixed_clock()), ScriptedJudge()
    deps = judged_deps(judge, clock)
    watching = to_watching(deps, 1)
    clock.advance(minutes=75)  # the reconciler was late: past the window's end
    advance(GROUP, deps)
    assert judge.asked[-1][1:] == (watching.live_since, watching.watch_until)
    live = release(deps)
    assert (live.stage, live.reason) == (Stage.LIVE, f"watched; last measurement {PASS.summary}")
    [row] = deps.store.history(GROUP)
    assert (row.outcome, row.reason, row.served_from) == ("LIVE", live.reason, watching.live_since)


def test_a_restarted_process_continues_the_measurements_from_the_stored_state() -> None:
    clock, store, endpoints = Clock(fixed_clock()), MemoryStore(), MemoryEndpoints()
    deps = judged_deps(ScriptedJudge(), clock, store, endpoints)
    to_watching(deps, 1)
    clock.advance(minutes=5)
    advance(GROUP, deps)
    judged_until = release(deps).rollout.judged_until
    fresh_judge = ScriptedJudge([FAIL])
    fresh = judged_deps(fresh_judge, clock, store, endpoints)  # a new container: nothing but the store
    clock.advance(minutes=3)
    advance(GROUP, fresh)
    assert fresh_judge.asked[0][1] == judged_until
    assert release(fresh).stage is Stage.ROLLED_BACK


def test_a_person_rolling_back_a_paused_release_ends_it_rolled_back() -> None:
    deps, _, v1_config = v2_paused()
    assert release(deps).stage is Stage.PAUSED
    rolled = rollback(GROUP, None, "alice", "no metrics, no release", deps)
    assert (rolled.to_version, release(deps).stage) == (1, Stage.ROLLED_BACK)
    assert deps.endpoints.describe(PROD).config == v1_config  # type: ignore[union-attr]
    assert not deps.store.load(GROUP).in_flight


@dataclass
class ProductionElsewhere:
    """Production's stage in another account: its own endpoints, alarms and judge."""

    judge: ScriptedJudge = field(default_factory=ScriptedJudge)
    endpoints: MemoryEndpoints = field(default_factory=MemoryEndpoints)

    def at(self, place: Placement, stage: str) -> StageAdapters:
        assert stage == "production", stage
        return StageAdapters(self.endpoints, GoodAnswers(), QuietAlarms(), judge=self.judge)


def test_production_in_another_account_is_judged_by_that_accounts_judge(monkeypatch: pytest.MonkeyPatch) -> None:
    production = {**example_document()["release"]["production"], "account": "333333333333"}
    production["role_arn"] = "arn:aws:iam::333333333333:role/deploy"
    judged_policy(monkeypatch, production=production)
    clock, home_judge, elsewhere = Clock(fixed_clock()), ScriptedJudge(), ProductionElsewhere()
    deps = judged_deps(home_judge, clock)
    deps.places = elsewhere
    to_watching(deps, 1)
    clock.advance(minutes=5)
    advance(GROUP, deps)
    assert (len(elsewhere.judge.asked), home_judge.asked) == (1, [])
