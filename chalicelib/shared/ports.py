"""The interfaces more than one feature depends on. Adapters implement them; tests hand in fakes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from chalicelib.shared.model_version import ModelVersion
from chalicelib.shared.notification import Notification
from chalicelib.shared.policy import Policy


class ModelRegistry(Protocol):
    def get_version(self, arn: str) -> ModelVersion: ...

    def newest_approved(self, group: str) -> ModelVersion | None: ...

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None: ...


class Policies(Protocol):
    """Each group's policy, and which groups have one (a scheduled run visits each)."""

    def get(self, group: str) -> Policy:
        """Raises PolicyNotFoundError (no policy) or InvalidPolicyError (one that fails the schema)."""
        ...

    def groups(self) -> list[str]: ...


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...
