"""Retention: which versions a cleanup deletes, and why each other one stays. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.shared.model_version import REJECTED


@dataclass(frozen=True)
class RetentionRule:
    """A group's `retention` policy section (already checked by the policy schema)."""

    older_than_days: int
    keep_newest: int
    delete_artifacts: bool = False

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> RetentionRule | None:
        """None when the policy has no retention section: such a group is never cleaned."""
        if not section:
            return None
        return cls(
            older_than_days=int(section["older_than_days"]),
            keep_newest=int(section["keep_newest"]),
            delete_artifacts=bool(section.get("delete_artifacts", False)),
        )

    def cutoff(self, now: datetime) -> datetime:
        """Only versions created before this instant are old enough to go."""
        return now - timedelta(days=self.older_than_days)


@dataclass(frozen=True)
class VersionSummary:
    arn: str
    version: int
    status: str
    created: datetime


@dataclass(frozen=True)
class VersionDetail:
    """A version as re-read right before its delete, with the S3 objects it names."""

    summary: VersionSummary
    artifacts: tuple[str, ...] = ()


class Keep(StrEnum):
    """Why a version stays. The order of checks is the order here: the first that applies is reported."""

    PROTECTED = "protected"  # live, the rollback target, or in an active release
    NOT_REJECTED = "not-rejected"  # Approved, PendingManualApproval, or anything but Rejected
    TOO_YOUNG = "too-young"  # not older than the policy's older_than_days
    NEWEST = "newest-rejected"  # one of the newest keep_newest rejected versions


@dataclass(frozen=True)
class Protection:
    """What a run must not delete in a group, known before the run looks at any version."""

    protected: frozenset[str] = frozenset()  # ARNs from the release engine
    newest: frozenset[str] = frozenset()  # ARNs of the newest keep_newest rejected versions


@dataclass(frozen=True)
class Judgement:
    version: VersionSummary
    keep: Keep | None  # None: delete it

    @property
    def delete(self) -> bool:
        return self.keep is None


def judge(version: VersionSummary, rule: RetentionRule, now: datetime, protection: Protection) -> Judgement:
    return Judgement(version, _keep_reason(version, rule, now, protection))


def _keep_reason(version: VersionSummary, rule: RetentionRule, now: datetime, protection: Protection) -> Keep | None:
    if version.arn in protection.protected:
        return Keep.PROTECTED
    if version.status != REJECTED:
        return Keep.NOT_REJECTED
    if version.created >= rule.cutoff(now):
        return Keep.TOO_YOUNG
    if version.arn in protection.newest:
        return Keep.NEWEST
    return None


def artifacts_to_delete(detail: VersionDetail, shared: frozenset[str]) -> tuple[str, ...]:
    """The version's S3 objects, minus any a protected version also names (re-registered model data)."""
    return tuple(uri for uri in detail.artifacts if uri not in shared)
