"""Fakes for the ports: real behaviour, in memory, recording what they were asked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from chalicelib.gate.ports import KnownChampion
from chalicelib.shared.errors import MetricsUnavailableError, ModelPackageNotFoundError
from chalicelib.shared.model_version import APPROVED, ModelVersion
from chalicelib.shared.notification import Notification


@dataclass
class RecordingNotifier:
    sent: list[Notification] = field(default_factory=list)

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)


class FailingNotifier:
    def send(self, notification: Notification) -> None:
        raise ConnectionError("notification channel down")


@dataclass
class FakeRegistry:
    versions: dict[str, ModelVersion] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def add(self, version: ModelVersion) -> ModelVersion:
        self.versions[version.arn] = version
        return version

    def get_version(self, arn: str) -> ModelVersion:
        self.calls.append("get_version")
        if arn not in self.versions:
            raise ModelPackageNotFoundError(arn)
        return self.versions[arn]

    def newest_approved(self, group: str) -> ModelVersion | None:
        self.calls.append("newest_approved")
        approved = [v for v in self.versions.values() if v.group == group and v.status == APPROVED]
        return max(approved, key=lambda v: v.version, default=None)

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None:
        self.calls.append("record_decision")
        self.versions[version.arn] = replace(
            self.versions[version.arn], status=status, approval_description=description, metadata=dict(metadata)
        )


@dataclass
class FakeMetrics:
    documents: dict[str, bytes] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)

    def read(self, uri: str) -> bytes:
        self.reads.append(uri)
        if uri not in self.documents:
            raise MetricsUnavailableError(f"cannot read {uri}: NoSuchKey")
        return self.documents[uri]


@dataclass
class FakeLiveVersions:
    live_by_group: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)

    def champion(self, group: str) -> KnownChampion | None:
        arn = self.live_by_group.get(group)
        return KnownChampion(arn, True, self.snapshots.get(arn)) if arn else None

    def live_arn(self, group: str) -> str | None:
        return self.live_by_group.get(group)
