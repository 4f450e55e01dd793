"""Four eyes, the pure rules: distinct approvers, how many more, and whose approval does not count."""

from __future__ import annotations

import pytest

from chalicelib.slack.approvals import (
    ApprovalRules,
    Email,
    Tally,
    approvers_reason,
    needs_email,
    progress_line,
    registrant,
    self_approval_refusal,
)
from tests.fakes.slack import FakeTallies

REGISTRANT = "ana.lyst@example.com"
STRICT = ApprovalRules(required=2)


def tally(*people: str) -> Tally:
    return Tally(frozenset(people), frozenset(f"{p.lower()} ({p})" for p in people), counted=True)


def test_rules_default_to_one_approver_and_no_self_approval() -> None:
    assert ApprovalRules.from_section({}) == ApprovalRules(1, False)
    assert ApprovalRules.from_section({"required_approvals": 2, "allow_self_approval": True}) == ApprovalRules(2, True)


def test_a_tally_is_complete_at_the_required_number_of_distinct_approvers() -> None:
    assert not tally("U1").complete(2)
    assert tally("U1").needed(2) == 1
    assert tally("U1", "U2").complete(2)
    assert tally("U1", "U2").needed(2) == 0
    assert tally().complete(0) and tally("U1").complete(1)


def test_the_same_person_twice_counts_once_and_nobody_counts_past_the_required_number() -> None:
    tallies = FakeTallies()
    assert tallies.add("k", "U1", "jane (U1)", 2, 0.0).counted
    again = tallies.add("k", "U1", "jane (U1)", 2, 0.0)
    assert (again.counted, again.ids) == (False, frozenset({"U1"}))
    assert tallies.add("k", "U2", "bob (U2)", 2, 0.0).complete(2)
    late = tallies.add("k", "U3", "eve (U3)", 2, 0.0)
    assert (late.counted, late.ids) == (False, frozenset({"U1", "U2"}))


def test_progress_says_who_approved_and_how_many_more_are_needed() -> None:
    assert progress_line(tally("U1"), 3) == "Approved so far (1 of 3): u1 (U1). 2 more approvals needed."
    assert progress_line(tally("U1", "U2"), 3).endswith("1 more approval needed.")
    assert approvers_reason(tally("U2", "U1")) == "2 approvals: u1 (U1), u2 (U2)"


def test_the_registrant_is_read_from_the_registered_by_metadata() -> None:
    assert registrant({"registered_by": f" {REGISTRANT} "}) == REGISTRANT
    assert registrant({"registered_by": ""}) is None
    assert registrant({"training_job": "x"}) is None


def test_the_registrants_own_approval_does_not_count_whatever_the_case_of_the_email() -> None:
    refusal = self_approval_refusal(STRICT, REGISTRANT, Email("Ana.Lyst@Example.com"))
    assert refusal is not None and "you (Ana.Lyst@Example.com) registered this version" in refusal
    assert self_approval_refusal(STRICT, REGISTRANT, Email("bob@example.com")) is None


@pytest.mark.parametrize(
    ("email", "said"),
    [
        (Email(error="ratelimited"), "users.info failed (ratelimited)"),
        (Email(error="missing_scope"), "users.info failed (missing_scope)"),
        (Email(None), "Slack showed no e-mail for you"),
    ],
)
def test_an_email_slack_did_not_give_fails_closed(email: Email, said: str) -> None:
    refusal = self_approval_refusal(STRICT, REGISTRANT, email)
    assert refusal is not None and "not counted" in refusal and said in refusal


def test_no_registrant_or_self_approval_allowed_needs_no_lookup_and_counts() -> None:
    assert not needs_email(STRICT, None)
    assert not needs_email(ApprovalRules(2, allow_self_approval=True), REGISTRANT)
    assert needs_email(STRICT, REGISTRANT)
    assert self_approval_refusal(STRICT, None, Email(error="ratelimited")) is None
    assert self_approval_refusal(ApprovalRules(1, True), REGISTRANT, Email(REGISTRANT)) is None
