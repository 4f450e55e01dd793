"""One Model Registry seen through every port that reads it (the gate's, the release engine's, the cleanup's),
emitting a "Model Package State Change" on each registration and status change, ours or people's."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from chalicelib.cleanup.retention import VersionDetail, VersionSummary
from chalicelib.release.ports import Listed, PackageApproval, SweepMark
from chalicelib.shared.decision_record import METRICS_KEY, OUTCOME_KEY
from chalicelib.shared.errors import ModelPackageNotFoundError
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED, ModelVersion

ACCOUNT = "arn:aws:sagemaker:us-east-1:123456789012:model-package"


@dataclass
class EventedRegistry:
    versions: dict[str, ModelVersion] = field(default_factory=dict)
    deciders: dict[str, str] = field(default_factory=dict)  # arn -> who set its status last
    on_change: Callable[[str, str], None] = lambda arn, status: None  # (arn, status) as the event carries
    deleted: list[str] = field(default_factory=list)
    before_delete: Callable[[str], None] = lambda arn: None  # lets a test check what cleanup deletes
    clock: Callable[[], datetime] | None = None  # stamps each change (LastModifiedTime); None: at creation
    changed: dict[str, datetime] = field(default_factory=dict)  # arn -> its last change, as Search sees it

    def register(self, group: str, number: int, metrics_uri: str | None, created: datetime) -> ModelVersion:
        arn = f"{ACCOUNT}/{group}/{number}"
        self.versions[arn] = ModelVersion(arn, group, number, PENDING, metrics_uri, {}, created)
        self.changed[arn] = created
        self.on_change(arn, PENDING)
        return self.versions[arn]

    def set_status(self, arn: str, status: str, by: str) -> None:
        """A person (Slack, the CLI, the console) changes the status: the registry emits the event."""
        self.versions[arn] = replace(self.versions[arn], status=status)
        self.deciders[arn] = by
        self._touch(arn)
        self.on_change(arn, status)

    def _touch(self, arn: str) -> None:
        if self.clock is not None:
            self.changed[arn] = self.clock()

    # --- the gate's ModelRegistry ---
    def get_version(self, arn: str) -> ModelVersion:
        if arn not in self.versions:
            raise ModelPackageNotFoundError(arn)
        return self.versions[arn]

    def newest_approved(self, group: str) -> ModelVersion | None:
        approved = [v for v in self.versions.values() if v.group == group and v.status == APPROVED]
        return max(approved, key=lambda v: v.version, default=None)

    def record_decision(
        self, version: ModelVersion, status: str, description: str, metadata: Mapping[str, str]
    ) -> None:
        current = self.versions[version.arn]
        self.versions[version.arn] = replace(
            current, status=status, approval_description=description, metadata=dict(metadata)
        )
        self.deciders[version.arn] = "model-shepherd gate"
        self._touch(version.arn)
        self.on_change(version.arn, status)  # fires for our own update too, Pending included

    # --- the release engine's Packages ---
    def approval(self, arn: str) -> PackageApproval:
        version = self.get_version(arn)
        by = self.deciders.get(arn, "unknown (console or API)")
        if version.metadata.get(OUTCOME_KEY) == "approve" and by == "model-shepherd gate":
            by = "model-shepherd gate"
        metrics = version.metadata.get(METRICS_KEY)
        return PackageApproval(arn, version.group, version.version, version.status, by, metrics, version.metrics_uri)

    # --- the registry sweep's RegistryListing (SageMaker Search, 100 a page) ---
    def changed_since(self, since: datetime) -> Iterator[list[Listed]]:
        found = [
            Listed(v.arn, v.group, v.version, v.status, self.changed.get(v.arn) or v.created or datetime.min)
            for v in self.versions.values()
        ]
        found = sorted((listed for listed in found if listed.changed >= since), key=lambda v: (v.changed, v.version))
        for start in range(0, len(found), 100):
            yield found[start : start + 100]

    # --- the cleanup's CleanupRegistry ---
    def _summaries(self, group: str) -> list[VersionSummary]:
        found = [
            VersionSummary(v.arn, v.version, v.status, v.created or datetime.min)
            for v in self.versions.values()
            if v.group == group
        ]
        return sorted(found, key=lambda s: (s.created, s.version))

    def rejected_pages(
        self, group: str, created_before: datetime, created_after: datetime | None
    ) -> Iterator[list[VersionSummary]]:
        page = [
            s
            for s in self._summaries(group)
            if s.status == REJECTED
            and s.created < created_before
            and (created_after is None or s.created >= created_after)
        ]
        if page:
            yield page

    def newest_rejected(self, group: str, count: int) -> frozenset[str]:
        rejected = [s.arn for s in self._summaries(group) if s.status == REJECTED]
        return frozenset(rejected[::-1][:count])

    def describe(self, arn: str) -> VersionDetail | None:
        version = self.versions.get(arn)
        if version is None:
            return None
        summary = VersionSummary(arn, version.version, version.status, version.created or datetime.min)
        return VersionDetail(summary, (version.metrics_uri,) if version.metrics_uri else ())

    def delete(self, arn: str) -> bool:
        self.before_delete(arn)
        if self.versions.pop(arn, None) is None:
            return False
        self.changed.pop(arn, None)
        self.deleted.append(arn)
        return True


@dataclass
class MemoryCursor:
    """The sweep's cursor (SweepCursor), kept in memory."""

    mark: SweepMark | None = None

    def load(self) -> SweepMark | None:
        return self.mark

    def save(self, mark: SweepMark) -> None:
        self.mark = mark


@dataclass
class DirectGate:
    """PendingGate straight to the gate's use case (the once-only layer is tested on its own)."""

    decide: Callable[[str], object]
    decided: list[str] = field(default_factory=list)

    def decide_pending(self, arn: str) -> None:
        self.decided.append(arn)
        self.decide(arn)
