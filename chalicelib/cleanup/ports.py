"""The interfaces the cleanup depends on; adapters implement them, tests hand in tests/fakes/cleanup.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.cleanup.retention import VersionDetail, VersionSummary


class CleanupRegistry(Protocol):
    def rejected_pages(
        self, group: str, created_before: datetime, created_after: datetime | None
    ) -> Iterator[list[VersionSummary]]:
        """Rejected versions created before `created_before` and at or after `created_after`, oldest
        first, a page (<= 100) at a time: every page, not just the first."""
        ...

    def newest_rejected(self, group: str, count: int) -> frozenset[str]: ...

    def describe(self, arn: str) -> VersionDetail | None:
        """The version as it is now; None when it no longer exists."""
        ...

    def delete(self, arn: str) -> bool:
        """True: deleted. False: it was already gone (not an error). Raises DeleteFailedError."""
        ...


class ArtifactStore(Protocol):
    def delete(self, uri: str) -> None:
        """Delete one s3:// object; a missing one is fine. Raises DeleteFailedError."""
        ...


@dataclass(frozen=True)
class Lease:
    owner: str
    cursor: datetime | None  # creation time of the last version a previous run got to; None: start over


class CleanupState(Protocol):
    """A per-group lease and checkpoint, changed only by conditional writes."""

    def acquire(self, group: str, owner: str, now: datetime, until: datetime) -> Lease | None:
        """The lease, or None when another run holds it."""
        ...

    def save(self, group: str, owner: str, cursor: datetime) -> None:
        """Record progress; raises ConflictError when the lease was lost."""
        ...

    def release(self, group: str, owner: str, cursor: datetime | None) -> None:
        """Give the lease back; cursor None: the group is done and the next run starts over."""
        ...


class ProtectedVersions(Protocol):
    """Versions that may be needed again: live, the rollback target, anything in an active release."""

    def protected_arns(self, group: str) -> frozenset[str]: ...
