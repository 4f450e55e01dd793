"""The interfaces services depend on. Adapters implement them; tests hand in fakes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from chalicelib.domain.model_version import ModelVersion
from chalicelib.domain.notification import Notification
from chalicelib.domain.policy import Policy


class ModelRegistry(Protocol):
    def get_version(self, arn: str) -> ModelVersion: ...

    def newest_approved(self, group: str) -> ModelVersion | None: ...

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None: ...


class MetricsReader(Protocol):
    def read(self, uri: str) -> bytes: ...


class PolicySource(Protocol):
    def get(self, group: str) -> Policy: ...


class LiveVersions(Protocol):
    """Which version serves production, as the release engine knows it."""

    def live_arn(self, group: str) -> str | None: ...


class ProtectedVersions(Protocol):
    """Versions that may be needed again: live, the rollback target, anything in an active release."""

    def protected_arns(self, group: str) -> frozenset[str]: ...


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...
