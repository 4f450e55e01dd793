"""Group rules, pure: admission (one in flight, newest waiting wins, never downgrade) and the history rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json
from chalicelib.release.group import admit, after, new_release
from chalicelib.release.names import resource_names
from chalicelib.release.state import Candidate, GroupState, Rules, Stage

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def candidate(version: int) -> Candidate:
    return Candidate(version, f"arn:aws:sagemaker:us-east-1:1:model-package/g/{version}", "gate", T0)


def started(state: GroupState, version: int) -> GroupState:
    names = resource_names("g", version, T0, attempt=0)
    return replace(state, release=new_release(state, candidate(version), names, Rules(), T0))


def live(state: GroupState, at: datetime) -> GroupState:
    assert state.release is not None
    moved, _ = after(state, replace(state.release, stage=Stage.WATCHING, live_since=at, watch_until=at))
    return moved


def test_a_free_group_starts_the_version_and_a_busy_one_queues_it() -> None:
    assert admit(GroupState("g"), candidate(1)).start == candidate(1)
    busy = started(GroupState("g"), 1)
    queued = admit(busy, candidate(2))
    assert (queued.start, queued.state.queued) == (None, candidate(2))


def test_the_newest_waiting_version_wins_and_the_older_is_superseded() -> None:
    busy = replace(started(GroupState("g"), 1), queued=candidate(2))
    admission = admit(busy, candidate(3))
    assert (admission.state.queued, admission.superseded) == (candidate(3), (candidate(2),))


def test_older_and_duplicate_versions_are_ignored() -> None:
    busy = replace(started(GroupState("g"), 1), queued=candidate(3))
    assert "older than v3" in admit(busy, candidate(2)).ignored
    assert "already known" in admit(busy, candidate(3)).ignored
    assert "already known" in admit(busy, candidate(1)).ignored


def test_going_live_makes_the_old_live_a_rollback_target_and_closes_its_row() -> None:
    one = live(started(GroupState("g"), 1), T0)
    two_started = started(one, 2)
    assert two_started.release is not None
    two_release = replace(two_started.release, stage=Stage.WATCHING, live_since=T0 + timedelta(days=1))
    two, rows = after(two_started, two_release)
    assert (two.live.version if two.live else None, [d.version for d in two.good]) == (2, [1])
    assert [(row.version, row.served_to) for row in rows] == [(2, None), (1, T0 + timedelta(days=1))]
    assert rows[0].replaced == 1


def test_state_survives_the_store_codec() -> None:
    state = replace(live(started(GroupState("g"), 1), T0), queued=candidate(4), revision=7)
    state = replace(state, newest_approved=replace(candidate(4), metrics='{"auc":0.9}', metrics_uri="s3://b/k"))
    assert state_from_json(state_to_json(state)) == state


def test_the_newest_approved_version_is_remembered_whether_it_starts_or_waits() -> None:
    assert admit(GroupState("g"), candidate(1)).state.newest_approved == candidate(1)
    busy = replace(started(GroupState("g"), 1), newest_approved=candidate(1))
    assert admit(busy, candidate(2)).state.newest_approved == candidate(2)


def test_an_older_approved_version_does_not_replace_the_newest() -> None:
    state = replace(live(started(GroupState("g"), 3), T0), newest_approved=candidate(3))
    assert admit(state, candidate(2)).state.newest_approved == candidate(3)


def test_resource_names_fit_sagemaker_limits() -> None:
    names = resource_names("a" * 63, 123456, T0, attempt=0)
    assert all(len(name) <= 63 for name in names)
    assert len(set(names)) == 3
