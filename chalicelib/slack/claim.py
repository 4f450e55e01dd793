"""The once-only lock a Slack decision takes before it changes anything.

SageMaker's UpdateModelPackage is not conditional, so two clicks (a double click, an Approve racing
a Reject) are serialised by a conditional write in the state table: the first claim wins, every later
one is told who holds it. A claim that never reached ``applied`` (its Lambda died mid-way) goes stale
and may be taken over, so a crash cannot block a version forever.
"""

from __future__ import annotations

from dataclasses import dataclass

CLAIMED = "claimed"
APPLIED = "applied"
STALE_AFTER_SECONDS = 60  # well past the route's Lambda timeout: nobody is still working on it


@dataclass(frozen=True)
class Claim:
    key: str  # decision#<package arn>, or rollback#<group>#<message>
    claim_id: str  # unique per click: only its owner may confirm or release it
    actor: str  # "Jane (U123)"
    action: str  # Approved, Rejected, Rolled back
    claimed_at: float  # epoch seconds
    state: str = CLAIMED


def decision_key(arn: str) -> str:
    return f"decision#{arn}"


def retry_key(group: str, version: int, channel_id: str, message_ts: str) -> str:
    # One retry per button: a second click on the same message finds the first one's claim.
    return f"retry#{group}#v{version}#{channel_id}#{message_ts}"


def rollback_key(group: str, channel_id: str, message_ts: str, to_version: int | None) -> str:
    # One rollback per button: the message it sits on identifies it.
    return f"rollback#{group}#{channel_id}#{message_ts}#{to_version or 'previous'}"


def promotion_key(group: str, version: int, channel_id: str, message_ts: str) -> str:
    # Promote and Stop on one message share it: the first click decides, the other is told who did.
    return f"promotion#{group}#v{version}#{channel_id}#{message_ts}"


def paused_key(group: str, version: int, channel_id: str, message_ts: str) -> str:
    # Continue and Roll back on one paused release's message share it: the first click decides.
    return f"paused#{group}#v{version}#{channel_id}#{message_ts}"


def approvals_key(arn: str) -> str:
    # The approvers of a version in review, whichever of its messages they clicked.
    return f"approvals#{arn}"


def continue_approvals_key(group: str, version: int, until: float) -> str:
    # The approvers of one pause of a release (a release paused again is approved again).
    return f"approvals#paused#{group}#v{version}#{int(until)}"


def promotion_approvals_key(group: str, version: int, started_at: float) -> str:
    # The approvers of one release attempt awaiting promotion (its message and its reminder count together).
    return f"approvals#promotion#{group}#v{version}#{int(started_at)}"
