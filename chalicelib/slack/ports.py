"""What Slack approvals depend on: the once-only lock, the approvals tally, replies, user groups and users, the
release engine's rollback, retry and promotion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from chalicelib.gate.result import GateResult
from chalicelib.release.paused import Pause
from chalicelib.release.results import Awaiting, ReleaseResult, RolledBack
from chalicelib.release.state import GroupState, HistoryRow
from chalicelib.slack.approvals import Tally
from chalicelib.slack.claim import Claim


class DecisionLocks(Protocol):
    """Conditional writes that let exactly one Slack click decide."""

    def claim(self, claim: Claim) -> Claim | None:
        """Take the lock; None when taken, else the claim that holds it."""
        ...

    def confirm(self, claim: Claim) -> None: ...

    def release(self, claim: Claim) -> None: ...


class ApprovalTallies(Protocol):
    """The distinct approvers of each decision, grown by conditional writes so concurrent clicks all count."""

    def add(self, key: str, user_id: str, label: str, required: int, at: float) -> Tally:
        """Count `user_id` unless they are counted already or `required` people are: the tally as it is now."""
        ...


class SlackUsers(Protocol):
    def email(self, user_id: str) -> str | None:
        """users.info's profile e-mail (None when the profile shows none); raises when Slack cannot tell."""
        ...


class SlackResponder(Protocol):
    """Posts to a click's response_url: replaces the message, or answers the clicker alone."""

    def respond(self, response_url: str, message: Mapping[str, Any]) -> None: ...


class SlackViews(Protocol):
    """views.open: a modal in answer to a click, within the 3 s its trigger_id lives."""

    def open(self, trigger_id: str, view: Mapping[str, Any]) -> None: ...


class SlackUserGroups(Protocol):
    def members(self, group_id: str) -> frozenset[str]: ...


class Rollbacks(Protocol):
    """The release engine's rollback with its deps bound (chalicelib.release.rollback.ReleaseRollbacks)."""

    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> RolledBack: ...


class Retries(Protocol):
    """The release engine's retry with its deps bound (chalicelib.release.retry.ReleaseRetries)."""

    def retry(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult: ...


class Regates(Protocol):
    """The gate's re-gate with its deps bound (chalicelib.gate.regate.GateRegates)."""

    def regate(self, arn: str, actor: str, reason: str) -> GateResult:
        """RecoveryRefusedError (nothing changed) unless the version waits in review."""
        ...


class Promotions(Protocol):
    """Manual promotion with the engine's deps bound (chalicelib.release.promotion.ReleasePromotions)."""

    def awaiting(self, group: str, version: int) -> Awaiting:
        """The release of `version` awaiting promotion; PromotionRefusedError when it does not await it."""
        ...

    def promote(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult: ...

    def stop(self, group: str, version: int | None, actor: str, reason: str) -> ReleaseResult: ...


class Pauses(Protocol):
    """A paused release's decisions with the engine's deps bound (chalicelib.release.pause.ReleasePauses)."""

    def paused(self, group: str, version: int) -> Pause:
        """The PAUSED release of `version`; PauseRefusedError, naming where the release stands, otherwise."""
        ...

    def continue_paused(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult: ...

    def roll_back(self, group: str, version: int, actor: str, reason: str) -> RolledBack: ...


class StateReads(Protocol):
    """What /shepherd reads from the state table, each read bounded (one item, one batch, one page)."""

    def state(self, group: str) -> GroupState: ...

    def states(self, groups: Sequence[str]) -> dict[str, GroupState]:
        """Up to 100 groups' states in one batched read."""
        ...

    def recent_history(self, group: str, limit: int) -> list[HistoryRow]:
        """The group's newest `limit` history rows, newest first (one query page)."""
        ...
