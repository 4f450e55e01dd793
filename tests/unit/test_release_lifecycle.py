"""A release's stage as the registry's ModelLifeCycle, pure: the table, the limits, what a change moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import botocore.session
import pytest

from chalicelib.release.lifecycle import DESCRIPTION_LIMIT, STAGES, archived, description, of_release
from chalicelib.release.lifecycle_changes import changes, wanted
from chalicelib.release.state import Deployed, GroupState, LifeCycle, Release, Rollout, Stage
from devstack.aws_validation.java_regex import full_match

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MODEL = botocore.session.get_session().get_service_model("sagemaker")
NAME_PATTERN = MODEL.shape_for("EntityName").metadata["pattern"]  # Stage's and StageStatus's shape
DESCRIPTION_PATTERN = MODEL.shape_for("StageDescription").metadata["pattern"]


def arn(version: int) -> str:
    return f"arn:aws:sagemaker:us-east-1:123456789012:model-package/g/{version}"


def release(version: int, stage: Stage, **fields: object) -> Release:
    base = Release("g", version, arn(version), "gate", stage, T0, T0, "m", "s", "p")
    return replace(base, **fields)  # type: ignore[arg-type]


def deployed(version: int) -> Deployed:
    return Deployed(version, arn(version), f"p{version}", "gate", T0)


EXPECTED = {
    Stage.STAGING: ("Staging", "InProgress"),
    Stage.SMOKE_TESTING: ("Staging", "InProgress"),
    Stage.AWAITING_PROMOTION: ("Staging", "PendingApproval"),
    Stage.SHADOW: ("Production", "Shadow"),
    Stage.PRODUCTION: ("Production", "InProgress"),
    Stage.WATCHING: ("Production", "Watching"),
    Stage.LIVE: ("Production", "Approved"),
    Stage.PAUSED: ("Production", "OnHold"),
    Stage.FAILED: ("Staging", "Failed"),
    Stage.ROLLED_BACK: ("Production", "RolledBack"),
    Stage.SUPERSEDED: ("Staging", "Superseded"),
    Stage.STOPPED: ("Staging", "Stopped"),
    Stage.EXPIRED: ("Staging", "Expired"),
}


def test_every_release_stage_has_its_row_in_the_table() -> None:
    assert set(EXPECTED) == set(Stage)


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_maps_to_a_lifecycle_within_the_service_model(stage: Stage) -> None:
    lifecycle = of_release(release(1, stage))
    assert (lifecycle.stage, lifecycle.status) == EXPECTED[stage]
    assert lifecycle.stage in STAGES
    assert full_match(NAME_PATTERN, lifecycle.stage) and full_match(NAME_PATTERN, lifecycle.status)
    assert lifecycle.description and full_match(DESCRIPTION_PATTERN, lifecycle.description)


def test_a_failure_names_the_stage_it_reached() -> None:
    assert of_release(release(1, Stage.FAILED, reached="SMOKE_TESTING")).stage == "Staging"
    assert of_release(release(1, Stage.FAILED, reached="PRODUCTION")).stage == "Production"
    assert of_release(release(1, Stage.FAILED, reached="SHADOW")).stage == "Production"
    assert of_release(release(1, Stage.FAILED, live_since=T0)).stage == "Production"  # stored before `reached`


def test_a_paused_release_is_on_hold_where_it_paused() -> None:
    paused = release(1, Stage.PAUSED, rollout=Rollout(paused_from=Stage.SHADOW))
    assert (of_release(paused).stage, of_release(paused).status) == ("Production", "OnHold")


def test_the_reason_is_the_description() -> None:
    failed = release(1, Stage.FAILED, reason="smoke test 'fraud' failed: HTTP 500", reached="SMOKE_TESTING")
    assert of_release(failed).description == "smoke test 'fraud' failed: HTTP 500"


@pytest.mark.parametrize(
    "text",
    [
        "x" * 5000,
        "line one\nline two\r\nthree\u2028four\u0085five\u2029",
        "🦊" * 600,  # each counts twice in the service's (UTF-16) length
        "a" * 1023 + "🦊",
        "lone \ud800 surrogate",
    ],
)
def test_descriptions_are_cut_to_the_limit_and_the_alphabet(text: str) -> None:
    said = description(text)
    assert len(said.encode("utf-16-le")) // 2 <= DESCRIPTION_LIMIT
    assert full_match(DESCRIPTION_PATTERN, said)
    said.encode()  # no lone surrogate: botocore can send it


def test_a_long_description_ends_with_an_ellipsis_at_a_whole_character() -> None:
    said = description("🦊" * 600)
    assert said.endswith("…") and set(said[:-1]) == {"🦊"}
    assert description("short") == "short"


def test_a_version_going_live_archives_the_one_it_replaced() -> None:
    one_live = GroupState("g", live=deployed(1), release=release(1, Stage.LIVE, live_since=T0))
    two_watching = replace(
        one_live, release=release(2, Stage.WATCHING, live_since=T0), live=deployed(2), good=(deployed(1),)
    )
    moved = changes(one_live, two_watching)
    assert moved == {arn(2): of_release(two_watching.release), arn(1): archived(2)}  # type: ignore[arg-type]
    assert moved[arn(1)].stage == "Archived"


def test_a_rollback_makes_the_previous_version_live_again_and_says_the_release_rolled_back() -> None:
    watching = GroupState("g", live=deployed(2), release=release(2, Stage.WATCHING, live_since=T0), good=(deployed(1),))
    rolled = replace(watching, release=release(2, Stage.ROLLED_BACK, live_since=T0, reason="alarm"), live=deployed(1))
    moved = changes(watching, replace(rolled, good=()))
    assert (moved[arn(2)].status, moved[arn(2)].description) == ("RolledBack", "alarm")
    assert (moved[arn(1)].stage, moved[arn(1)].status) == ("Production", "Approved")


def test_a_manual_rollback_from_a_live_version_marks_it_rolled_back() -> None:
    live = GroupState("g", live=deployed(2), release=release(2, Stage.LIVE, live_since=T0), good=(deployed(1),))
    back = replace(live, live=deployed(1), good=())
    assert (changes(live, back)[arn(2)].status, changes(live, back)[arn(1)].status) == ("RolledBack", "Approved")


def test_a_version_production_left_entirely_is_rolled_back_from() -> None:
    live = GroupState("g", live=deployed(3))  # a named rollback target, not a release of this state
    back = GroupState("g", live=deployed(1))
    said = "rolled back: production returned to v1"
    assert changes(live, back)[arn(3)] == LifeCycle("Production", "RolledBack", said)


def test_nothing_moved_means_nothing_to_write() -> None:
    state = GroupState("g", live=deployed(2), release=release(2, Stage.LIVE, live_since=T0), good=(deployed(1),))
    assert changes(state, replace(state, revision=7)) == {}
    assert set(wanted(state)) == {arn(1), arn(2)}


def test_a_live_version_paused_in_its_watch_window_is_on_hold_not_approved() -> None:
    paused = release(2, Stage.PAUSED, live_since=T0, rollout=Rollout(paused_from=Stage.WATCHING))
    state = GroupState("g", live=deployed(2), release=paused, good=(deployed(1),))
    assert (wanted(state)[arn(2)].stage, wanted(state)[arn(2)].status) == ("Production", "OnHold")


def test_a_version_rolled_back_then_made_live_again_by_a_person_serves() -> None:
    rolled = release(2, Stage.ROLLED_BACK, live_since=T0, reason="alarm")
    assert wanted(GroupState("g", live=deployed(2), release=rolled))[arn(2)].status == "Approved"
