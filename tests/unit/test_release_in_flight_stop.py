"""What a manual rollback does to the release in flight, pure: each stage ends as the rollback needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.release.in_flight_stop import paused_off_live, stop_in_flight
from chalicelib.release.state import Candidate, Deployed, GroupState, Stage
from tests.fakes.release import fixed_clock
from tests.support.paused import paused_state

NOW = fixed_clock()
ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/"
LIVE = Deployed(1, ARN + "1", "g-v1-prod", "gate", NOW - timedelta(days=1), history_key="k1")
WHY = "stopped: rollback to v1 by bo"


def state_at(stage: Stage) -> GroupState:
    paused = paused_state(GroupState("g", live=LIVE), 2, NOW)
    assert paused.release is not None
    return replace(paused, release=replace(paused.release, stage=stage))


@pytest.mark.parametrize("stage", [Stage.STAGING, Stage.SMOKE_TESTING, Stage.SHADOW, Stage.PRODUCTION])
def test_a_release_not_yet_serving_ends_failed_where_it_was(stage: Stage) -> None:
    stopped, rows = stop_in_flight(state_at(stage), WHY, NOW)
    assert stopped.release is not None
    assert (stopped.release.stage, stopped.release.reached) == (Stage.FAILED, stage.value)
    assert [(row.version, row.outcome, row.reason) for row in rows] == [(2, "FAILED", WHY)]


def test_a_paused_release_that_never_served_alone_ends_rolled_back_with_its_row() -> None:
    stopped, rows = stop_in_flight(state_at(Stage.PAUSED), WHY, NOW)
    assert stopped.release is not None and stopped.release.stage is Stage.ROLLED_BACK
    assert [(row.version, row.outcome, row.ended_at) for row in rows] == [(2, "ROLLED_BACK", NOW)]
    assert stopped.live == LIVE


def test_a_paused_release_serving_production_ends_rolled_back_its_live_row_says_so_elsewhere() -> None:
    serving = paused_state(GroupState("g", live=LIVE), 2, NOW, Stage.WATCHING)
    stopped, rows = stop_in_flight(serving, WHY, NOW)
    assert stopped.release is not None and stopped.release.stage is Stage.ROLLED_BACK
    assert rows == []
    assert paused_off_live(serving, None) is None  # it is live: the rollback goes to its predecessor


def test_a_waiting_version_is_dropped_and_an_ended_release_left_alone() -> None:
    waiting = Candidate(3, ARN + "3", "gate", NOW)
    ended = replace(state_at(Stage.LIVE), queued=waiting)
    stopped, rows = stop_in_flight(ended, WHY, NOW)
    assert (stopped.queued, stopped.release) == (None, ended.release)
    assert [(row.version, row.outcome, row.reason) for row in rows] == [(3, "SUPERSEDED", "dropped: " + WHY)]


def test_only_a_rollback_to_the_live_version_or_the_default_keeps_the_live_version() -> None:
    paused = state_at(Stage.PAUSED)
    assert paused_off_live(paused, None) == paused.release
    assert paused_off_live(paused, 1) == paused.release
    assert paused_off_live(paused, 0) is None  # an older version named: the live one goes too
    assert paused_off_live(replace(paused, live=None), None) is None
