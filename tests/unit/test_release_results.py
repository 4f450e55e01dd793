"""What the release handlers answer: each typed result's `as_dict()`, key for key, as the handlers always have."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.release.history import History
from chalicelib.release.machine import Action
from chalicelib.release.reactions import Reaction
from chalicelib.release.reconcile import GroupNotReconciled, GroupReconciled, Reconciled
from chalicelib.release.results import DroppedFromQueue, NothingInFlight, Progress, Queued, RolledBack, Skipped
from chalicelib.release.state import HistoryRow, Stage

GROUP = "fraud-detection-models"
ARN = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/3"
NOON = datetime(2026, 11, 26, 12, 0, 7, 250, tzinfo=UTC)


def test_a_release_step_answers_its_stage_reason_and_actions() -> None:
    step = Progress(GROUP, 3, Stage.PRODUCTION, "", (Action.DEPLOY_PRODUCTION,))
    assert step.as_dict() == {
        "group": GROUP,
        "version": 3,
        "stage": "PRODUCTION",
        "reason": "",
        "actions": ["deploy_production"],
    }
    assert list(step.as_dict()) == ["group", "version", "stage", "reason", "actions"]


def test_queued_dropped_and_idle_answers() -> None:
    assert Queued(GROUP, 4, (3,)).as_dict() == {"group": GROUP, "version": 4, "queued": True, "superseded": [3]}
    assert DroppedFromQueue(GROUP, 4).as_dict() == {"group": GROUP, "dropped_queued": 4}
    assert NothingInFlight(GROUP, Stage.LIVE).as_dict() == {"group": GROUP, "stage": "LIVE", "changed": False}
    assert NothingInFlight(GROUP, None).as_dict() == {"group": GROUP, "stage": None, "changed": False}


def test_a_skip_names_only_what_it_was_about() -> None:
    assert Skipped("status is Pending", arn=ARN).as_dict() == {"arn": ARN, "skipped": "status is Pending"}
    assert Skipped("old", group=GROUP, version=2).as_dict() == {"group": GROUP, "version": 2, "skipped": "old"}
    assert Skipped("no release policy", group=GROUP).as_dict() == {"group": GROUP, "skipped": "no release policy"}
    assert Skipped("no release policy").as_dict() == {"skipped": "no release policy"}


def test_a_rollback_answers_its_time_to_the_second() -> None:
    rolled = RolledBack(GROUP, None, 2, "alice", "bad", NOON)
    assert rolled.as_dict() == {
        "group": GROUP,
        "from_version": None,
        "to_version": 2,
        "actor": "alice",
        "reason": "bad",
        "at": "2026-11-26T12:00:07+00:00",
    }


def test_an_endpoint_or_alarm_event_answers_per_group_or_says_why_not() -> None:
    idle = NothingInFlight(GROUP, Stage.LIVE)
    assert Reaction("endpoint", "prod", {GROUP: idle}).as_dict() == {
        "endpoint": "prod",
        "groups": {GROUP: idle.as_dict()},
    }
    assert Reaction("alarm", "5xx").as_dict() == {
        "alarm": "5xx",
        "skipped": "no group's release policy names this alarm",
    }
    assert Reaction("endpoint", "x").as_dict()["skipped"] == "no group's release policy names this endpoint"


def test_the_reconciler_answers_each_group_with_what_it_restored_or_its_error() -> None:
    idle = NothingInFlight(GROUP, Stage.LIVE)
    run = Reconciled(
        {
            GROUP: GroupReconciled(idle, restored=1),
            "quiet": GroupReconciled(Skipped("no release policy")),
            "broken": GroupNotReconciled("throttled"),
        },
        settled=9997,
    )
    assert run.as_dict() == {
        "groups": {
            GROUP: {"group": GROUP, "stage": "LIVE", "changed": False, "restored": 1},
            "quiet": {"skipped": "no release policy"},
            "broken": {"error": "throttled"},
        },
        "settled": 9997,  # the groups with nothing to do: counted, not listed
    }
    assert GroupReconciled(idle).as_dict() == idle.as_dict()  # nothing restored: no key for it


def test_history_answers_each_row_without_its_storage_key() -> None:
    row = HistoryRow("k#v000002", 2, ARN, "gate", "LIVE", "", served_from=NOON, replaced=1)
    assert History(GROUP, (row,)).as_dict() == {
        "group": GROUP,
        "history": [
            {
                "version": 2,
                "served_from": NOON,
                "served_to": None,
                "approved_by": "gate",
                "replaced": 1,
                "outcome": "LIVE",
                "reason": "",
                "arn": ARN,
            }
        ],
    }
