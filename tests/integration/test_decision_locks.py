"""The once-only lock on DynamoDB (moto): conditional writes decide who wins, even under concurrency."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from chalicelib.adapters.state_table.decision_locks import DynamoDecisionLocks
from chalicelib.slack.claim import APPLIED, Claim
from devstack.resources import LocalResources

KEY = "decision#arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"


@pytest.fixture
def locks(resources: LocalResources) -> DynamoDecisionLocks:
    return DynamoDecisionLocks(boto3.client("dynamodb"), resources.state_table)


def claim(claim_id: str, at: float = 1_000.0, actor: str = "jane (U1)", action: str = "Approved") -> Claim:
    return Claim(KEY, claim_id, actor, action, at)


def test_first_claim_wins_and_the_second_learns_who_holds_it(locks: DynamoDecisionLocks) -> None:
    assert locks.claim(claim("a")) is None
    held = locks.claim(claim("b", actor="bob (U2)", action="Rejected"))
    assert held == claim("a")


def test_an_applied_claim_is_never_taken_over(locks: DynamoDecisionLocks) -> None:
    locks.claim(claim("a"))
    locks.confirm(claim("a"))
    held = locks.claim(claim("b", at=1_000_000.0))
    assert held is not None
    assert held.state == APPLIED


def test_a_stale_unapplied_claim_is_taken_over(locks: DynamoDecisionLocks) -> None:
    locks.claim(claim("crashed", at=1_000.0))
    assert locks.claim(claim("b", at=1_030.0)) is not None  # 30 s: maybe still working
    assert locks.claim(claim("b", at=1_061.0)) is None  # 61 s: past any Lambda timeout


def test_release_frees_only_the_owners_claim(locks: DynamoDecisionLocks) -> None:
    locks.claim(claim("a"))
    locks.release(claim("not-a"))
    assert locks.claim(claim("b")) is not None
    locks.release(claim("a"))
    assert locks.claim(claim("b")) is None


def test_the_lock_item_lives_in_the_shared_state_table_with_a_ttl(
    locks: DynamoDecisionLocks, resources: LocalResources
) -> None:
    locks.claim(claim("a"))
    item: dict[str, Any] = boto3.client("dynamodb").get_item(
        TableName=resources.state_table, Key={"pk": {"S": KEY}, "sk": {"S": "lock"}}
    )["Item"]
    assert int(item["expires_at"]["N"]) > 1_000


def test_concurrent_claims_exactly_one_wins(locks: DynamoDecisionLocks) -> None:
    winners: list[str] = []
    start = threading.Barrier(8)

    def attempt(claim_id: str) -> None:
        start.wait()
        if locks.claim(claim(claim_id)) is None:
            winners.append(claim_id)

    threads = [threading.Thread(target=attempt, args=(f"c{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


# --- four eyes: the tally of distinct approvers ----------------------------------------------------


@pytest.fixture
def tallies(resources: LocalResources) -> Any:
    from chalicelib.adapters.state_table.approval_tallies import DynamoApprovalTallies

    return DynamoApprovalTallies(boto3.client("dynamodb"), resources.state_table)


def test_a_tally_counts_each_person_once_and_nobody_past_the_required_number(tallies: Any) -> None:
    first = tallies.add("approvals#x", "U1", "jane (U1)", 2, 1_000.0)
    assert (first.ids, first.labels, first.counted) == ({"U1"}, {"jane (U1)"}, True)
    assert not tallies.add("approvals#x", "U1", "jane (U1)", 2, 1_001.0).counted
    completed = tallies.add("approvals#x", "U2", "bob (U2)", 2, 1_002.0)
    assert (completed.ids, completed.counted, completed.complete(2)) == ({"U1", "U2"}, True, True)
    late = tallies.add("approvals#x", "U3", "eve (U3)", 2, 1_003.0)
    assert (late.ids, late.counted) == ({"U1", "U2"}, False)


def test_concurrent_approvers_are_all_counted_and_exactly_one_completes_the_tally(tallies: Any) -> None:
    start = threading.Barrier(6)
    completed_by: list[str] = []

    def approve(user: str) -> None:
        start.wait()
        tally = tallies.add("approvals#race", user, f"{user} ({user})", 3, 1_000.0)
        if tally.counted and tally.complete(3):
            completed_by.append(user)

    threads = [threading.Thread(target=approve, args=(f"U{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(completed_by) == 1
    assert len(tallies.add("approvals#race", "U9", "late (U9)", 3, 1_000.0).ids) == 3
