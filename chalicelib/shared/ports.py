"""The interfaces services depend on. Adapters implement them; tests hand in fakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.release.results import ReleaseResult, RolledBack
from chalicelib.shared.model_version import ModelVersion
from chalicelib.shared.notification import Notification
from chalicelib.shared.policy import Policy
from chalicelib.slack.claim import Claim


class ModelRegistry(Protocol):
    def get_version(self, arn: str) -> ModelVersion: ...

    def newest_approved(self, group: str) -> ModelVersion | None: ...

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None: ...


class MetricsReader(Protocol):
    def read(self, uri: str) -> bytes: ...


class Policies(Protocol):
    """Each group's policy, and which groups have one (a scheduled run visits each)."""

    def get(self, group: str) -> Policy:
        """Raises PolicyNotFoundError (no policy) or InvalidPolicyError (one that fails the schema)."""
        ...

    def groups(self) -> list[str]: ...


@dataclass(frozen=True)
class KnownChampion:
    """The version to beat as the release engine knows it, with what it takes to read its metrics."""

    arn: str
    live: bool  # serving production; else the newest Approved version the engine has seen
    metrics_snapshot: str | None = None  # the gate's `shepherd:metrics` of that version, if it had one
    metrics_uri: str | None = None


class LiveVersions(Protocol):
    """Which version serves production (else the newest Approved one), as the release engine knows it."""

    def champion(self, group: str) -> KnownChampion | None: ...

    def live_arn(self, group: str) -> str | None: ...


class ProtectedVersions(Protocol):
    """Versions that may be needed again: live, the rollback target, anything in an active release."""

    def protected_arns(self, group: str) -> frozenset[str]: ...


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...


# --- Slack approvals ---------------------------------------------------------------------------


class DecisionLocks(Protocol):
    """Conditional writes that let exactly one Slack click decide."""

    def claim(self, claim: Claim) -> Claim | None:
        """Take the lock; None when taken, else the claim that holds it."""
        ...

    def confirm(self, claim: Claim) -> None: ...

    def release(self, claim: Claim) -> None: ...


class SlackResponder(Protocol):
    """Posts to a click's response_url: replaces the message, or answers the clicker alone."""

    def respond(self, response_url: str, message: Mapping[str, Any]) -> None: ...


class SlackUserGroups(Protocol):
    def members(self, group_id: str) -> frozenset[str]: ...


class Rollbacks(Protocol):
    """The release engine's rollback with its deps bound (chalicelib.release.rollback.ReleaseRollbacks)."""

    def rollback(self, group: str, to_version: int | None, actor: str, reason: str) -> RolledBack: ...


class Retries(Protocol):
    """The release engine's retry with its deps bound (chalicelib.release.retry.ReleaseRetries)."""

    def retry(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult: ...
