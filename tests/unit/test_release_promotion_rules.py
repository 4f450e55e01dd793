"""Manual promotion, pure: AWAITING_PROMOTION after the smoke tests, Promote, Stop, the reminder, expiry,
supersede, and the history rows they leave. No AWS."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from chalicelib.adapters.policy_files import SCHEMA_PATH
from chalicelib.release.awaiting import Promoted, Stopped, supersede_awaiting
from chalicelib.release.group import after
from chalicelib.release.machine import Action, EndpointSeen, SmokeTested, Tick, VersionRejected, next_state
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.state import Candidate, Deployed, GroupState, Release, Rules, Stage
from tests.support.policies import example_document

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MANUAL = Rules(manual_promotion=True, promotion_expires=timedelta(hours=72), promotion_reminder=timedelta(hours=24))
V1 = Deployed(1, "arn:.../1", "cfg-v1-prd", "gate", T0 - timedelta(days=1))


def smoke_testing(rules: Rules = MANUAL) -> Release:
    return Release(
        "g", 2, "arn:.../2", "gate", Stage.SMOKE_TESTING, T0, T0 + timedelta(minutes=30), "m", "stg", "prd", rules, V1
    )


def awaiting() -> Release:
    return next_state(smoke_testing(), SmokeTested(T0, ())).release


def test_passing_smoke_tests_under_manual_promotion_wait_and_touch_nothing() -> None:
    moved = next_state(smoke_testing(), SmokeTested(T0, ()))
    assert moved.release.stage is Stage.AWAITING_PROMOTION
    assert moved.release.deadline == T0 + timedelta(hours=72)
    assert (moved.actions, moved.notify) == ((), "release.awaiting_promotion")


def test_passing_smoke_tests_under_auto_promotion_go_to_production_as_before() -> None:
    moved = next_state(smoke_testing(Rules()), SmokeTested(T0, ()))
    assert (moved.release.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))


def test_failing_smoke_tests_fail_the_release_whatever_the_promotion() -> None:
    assert next_state(smoke_testing(), SmokeTested(T0, ("bad",))).release.stage is Stage.FAILED


def test_promote_deploys_production_with_its_own_deadline_and_names_who() -> None:
    at = T0 + timedelta(hours=5)
    moved = next_state(awaiting(), Promoted(at, "slack:jane", "metrics look right"))
    assert (moved.release.stage, moved.actions) == (Stage.PRODUCTION, (Action.DEPLOY_PRODUCTION,))
    assert moved.release.deadline == at + MANUAL.production_deadline
    assert (moved.release.promoted_by, moved.release.promotion_reason) == ("slack:jane", "metrics look right")


def test_stop_ends_it_stopped_with_who_and_why_and_production_untouched() -> None:
    moved = next_state(awaiting(), Stopped(T0 + timedelta(hours=1), "cli:bo", "wrong features"))
    assert moved.release.stage is Stage.STOPPED
    assert moved.release.reason == "stopped by cli:bo: wrong features"
    assert (moved.actions, moved.notify) == ((), "release.stopped")


def test_one_reminder_after_remind_after_hours() -> None:
    waiting = awaiting()
    assert not next_state(waiting, Tick(T0 + timedelta(hours=23))).moved(waiting)
    reminded = next_state(waiting, Tick(T0 + timedelta(hours=24)))
    assert (reminded.release.reminded, reminded.notify) == (True, "release.promotion_reminder")
    again = next_state(reminded.release, Tick(T0 + timedelta(hours=30)))
    assert not again.moved(reminded.release) and again.notify is None


def test_at_expiry_it_ends_expired_and_production_is_untouched() -> None:
    moved = next_state(awaiting(), Tick(T0 + timedelta(hours=72)))
    assert moved.release.stage is Stage.EXPIRED
    assert (moved.actions, moved.notify) == ((), "release.expired")
    assert "production untouched" in moved.release.reason


def test_a_promote_after_the_deadline_expires_it_instead() -> None:
    moved = next_state(awaiting(), Promoted(T0 + timedelta(hours=72, seconds=1), "slack:jane", "late"))
    assert (moved.release.stage, moved.actions) == (Stage.EXPIRED, ())


def test_a_rejected_candidate_fails_and_is_never_promoted_afterwards() -> None:
    rejected = next_state(awaiting(), VersionRejected(T0 + timedelta(hours=1))).release
    assert rejected.stage is Stage.FAILED
    assert "while it awaited promotion" in rejected.reason
    late = next_state(rejected, Promoted(T0 + timedelta(hours=2), "slack:jane", "go"))
    assert not late.moved(rejected) and late.actions == ()


@pytest.mark.parametrize("stage", [Stage.STAGING, Stage.SMOKE_TESTING, Stage.PRODUCTION, Stage.WATCHING])
def test_promote_and_stop_move_nothing_but_a_release_awaiting_promotion(stage: Stage) -> None:
    before = replace(smoke_testing(), stage=stage)
    for event in (Promoted(T0, "a", "b"), Stopped(T0, "a", "b")):
        assert next_state(before, event).release == before


def test_endpoint_events_leave_a_waiting_release_alone() -> None:
    waiting = awaiting()
    seen = EndpointSeen(T0 + timedelta(minutes=1), "staging", "InService", "stg")
    assert next_state(waiting, seen).release == waiting


def test_history_rows_name_who_promoted_and_how_it_ended() -> None:
    waiting = awaiting()
    state = GroupState("g", release=waiting, live=V1)
    promoted = next_state(waiting, Promoted(T0 + timedelta(hours=2), "slack:jane", "ok")).release
    _, rows = after(state, promoted)
    assert [(row.outcome, row.reason) for row in rows] == [("PROMOTED", "by slack:jane: ok")]
    stopped = next_state(waiting, Stopped(T0 + timedelta(hours=2), "cli:bo", "no")).release
    _, rows = after(state, stopped)
    assert [(row.outcome, row.reason) for row in rows] == [("STOPPED", "stopped by cli:bo: no")]


def test_a_newer_approved_version_supersedes_the_waiting_release_an_older_one_does_not() -> None:
    state = GroupState("g", release=awaiting(), live=V1)
    newer = Candidate(3, "arn:.../3", "gate", T0)
    ended = supersede_awaiting(state, newer, T0 + timedelta(hours=1))
    assert ended is not None and ended.stage is Stage.SUPERSEDED
    assert ended.reason == "v3 was approved while it awaited promotion"
    assert supersede_awaiting(state, Candidate(1, "arn:.../1", "gate", T0), T0) is None
    assert supersede_awaiting(GroupState("g", release=smoke_testing()), newer, T0) is None


def test_the_policy_reads_promotion_auto_by_default_and_manual_with_its_hours() -> None:
    section = example_document()["release"]
    assert not ReleasePolicy.from_section(section).rules.manual_promotion
    manual = {**section, "promotion": {"mode": "manual", "expires_hours": 8, "remind_after_hours": 2}}
    rules = ReleasePolicy.from_section(manual).rules
    assert (rules.manual_promotion, rules.promotion_expires, rules.promotion_reminder) == (
        True,
        timedelta(hours=8),
        timedelta(hours=2),
    )
    defaults = ReleasePolicy.from_section({**section, "promotion": {"mode": "manual"}}).rules
    assert (defaults.promotion_expires, defaults.promotion_reminder) == (timedelta(hours=72), timedelta(hours=24))


SCHEMA = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


@pytest.mark.parametrize(
    ("promotion", "valid"),
    [
        ("auto", True),
        ({"mode": "manual"}, True),
        ({"mode": "manual", "expires_hours": 1, "remind_after_hours": 0.5}, True),
        ("manual", False),
        ({"mode": "auto"}, False),
        ({"expires_hours": 3}, False),
        ({"mode": "manual", "expires_hours": 0}, False),
        ({"mode": "manual", "extra": 1}, False),
    ],
)
def test_the_schema_accepts_auto_or_a_manual_object_only(promotion: object, valid: bool) -> None:
    document = example_document()
    document["release"]["promotion"] = promotion
    assert SCHEMA.is_valid(document) is valid


def test_a_waiting_release_and_its_promotion_rules_survive_the_state_table_codec() -> None:
    from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json

    promoted = next_state(awaiting(), Promoted(T0 + timedelta(hours=1), "slack:jane", "ok")).release
    for release in (awaiting(), replace(awaiting(), reminded=True), promoted):
        state = GroupState("g", release=release, live=V1)
        assert state_from_json(json.loads(json.dumps(state_to_json(state)))) == state


def test_a_release_stored_before_promotion_existed_reads_as_auto() -> None:
    from chalicelib.adapters.state_table.release_codec import state_from_json, state_to_json

    document = state_to_json(GroupState("g", release=smoke_testing(Rules())))
    for key in ("manual_promotion", "promotion_expires", "promotion_reminder"):
        del document["release"]["rules"][key]
    for key in ("promoted_by", "promotion_reason", "reminded"):
        del document["release"][key]
    release = state_from_json(document).release
    assert release is not None and not release.rules.manual_promotion and release.promoted_by == ""
