"""Four eyes, pure: how many distinct people must approve, whose approval counts, and how far a decision is.

An approval is Approve on a review message, Promote on a release awaiting promotion, or Continue on a PAUSED
one. It is counted per person (their Slack user id), so a second click by the same person changes nothing; the
decision is
applied once `required` distinct people have approved. The person who registered the version (the
package's `registered_by` metadata, an e-mail) does not count, unless the policy allows self-approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REGISTERED_BY_KEY = "registered_by"  # CustomerMetadataProperties: the registrant's e-mail, set by the pipeline


@dataclass(frozen=True)
class ApprovalRules:
    required: int = 1  # slack.required_approvals
    allow_self_approval: bool = False  # slack.allow_self_approval

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ApprovalRules:
        return cls(int(section.get("required_approvals", 1)), bool(section.get("allow_self_approval", False)))


@dataclass(frozen=True)
class Tally:
    """The distinct approvers of one decision so far, as the state table holds them after a click."""

    ids: frozenset[str]  # Slack user ids: what is counted
    labels: frozenset[str]  # "jane (U123)": what is shown
    counted: bool = False  # this click was counted now (False: counted before, or enough people were)

    def complete(self, required: int) -> bool:
        return len(self.ids) >= required

    def needed(self, required: int) -> int:
        return max(required - len(self.ids), 0)


@dataclass(frozen=True)
class Email:
    """The clicker's profile e-mail as Slack's users.info tells it; `error` when it could not be read."""

    address: str | None = None
    error: str | None = None


def registrant(metadata: Mapping[str, str]) -> str | None:
    value = metadata.get(REGISTERED_BY_KEY, "").strip()
    return value or None


def self_approval_refusal(rules: ApprovalRules, registered_by: str | None, email: Email) -> str | None:
    """Why this approval does not count, or None when it does. Fails closed: an e-mail Slack did not give
    (users.info failed, or the app lacks users:read.email) is not counted as someone else's."""
    if not needs_email(rules, registered_by):
        return None
    if email.error is not None or not email.address:
        why = f"Slack's users.info failed ({email.error})" if email.error else "Slack showed no e-mail for you"
        return (
            f"your approval was not counted: it could not be checked against the version's registrant ({why}); "
            "try again later"
        )
    if email.address.strip().lower() == (registered_by or "").lower():
        return f"your approval does not count: you ({email.address}) registered this version, someone else must"
    return None


def needs_email(rules: ApprovalRules, registered_by: str | None) -> bool:
    return not rules.allow_self_approval and registered_by is not None


@dataclass(frozen=True)
class Clicks:
    """What the counted clicks are called: approvals of a version, or promotions of a release."""

    so_far: str  # "Approved so far"
    one: str  # "approval": "1 more approval needed"
    already: str  # "You have approved already."


APPROVALS = Clicks("Approved so far", "approval", "You have approved already.")
PROMOTIONS = Clicks("Promoted so far", "promotion", "You have promoted already.")
CONTINUES = Clicks("Continued so far", "Continue", "You have continued already.")


def progress_line(tally: Tally, required: int, clicks: Clicks = APPROVALS) -> str:
    """`Approved so far (1 of 2): jane (U1). 1 more approval needed.` (`Promoted so far ...` for promotions)"""
    who = ", ".join(sorted(tally.labels)) or "nobody"
    more = tally.needed(required)
    rest = f"{more} more {clicks.one}{'s' if more != 1 else ''} needed" if more else f"enough {clicks.one}s"
    return f"{clicks.so_far} ({len(tally.ids)} of {required}): {who}. {rest}."


def approvers_reason(tally: Tally) -> str:
    """What the applied decision records about who approved it (ApprovalDescription, the history)."""
    return f"{len(tally.ids)} approvals: " + ", ".join(sorted(tally.labels))
