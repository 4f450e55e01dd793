"""What one cleanup run did in one group. Bounded: counts, plus a sample of version numbers, so a run
over 10,000 versions holds (and publishes) no more than one over 10."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.cleanup.retention import Keep

SAMPLE_SIZE = 50  # version numbers kept per list; the counts are always exact


@dataclass
class Tally:
    count: int = 0
    sample: list[int] = field(default_factory=list)

    def add(self, version: int) -> None:
        self.count += 1
        if len(self.sample) < SAMPLE_SIZE:
            self.sample.append(version)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "versions": list(self.sample), "truncated": self.count > len(self.sample)}


@dataclass(frozen=True)
class Failure:
    version: int | None  # None: the group failed as a whole (listing, policy)
    error: str


@dataclass
class GroupReport:
    group: str
    dry_run: bool
    deleted: Tally = field(default_factory=Tally)  # in a dry run: would be deleted
    kept: dict[Keep, Tally] = field(default_factory=dict)
    already_gone: Tally = field(default_factory=Tally)  # deleted by someone else first: not a failure
    artifacts_deleted: int = 0
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    complete: bool = False  # False: stopped before the time limit; the next run continues
    skipped: str | None = None  # why the group was not looked at, e.g. another run holds it

    def keep(self, reason: Keep, version: int) -> None:
        self.kept.setdefault(reason, Tally()).add(version)

    def fail(self, version: int | None, error: str) -> None:
        self.failure_count += 1
        if len(self.failures) < SAMPLE_SIZE:
            self.failures.append(Failure(version, error))

    @property
    def acted(self) -> bool:
        """Worth telling people: something was (or would be) deleted, or something failed."""
        return self.deleted.count > 0 or self.failure_count > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "dry_run": self.dry_run,
            "complete": self.complete,
            "skipped": self.skipped,
            "deleted": self.deleted.as_dict(),
            "kept": {reason.value: tally.as_dict() for reason, tally in sorted(self.kept.items())},
            "already_gone": self.already_gone.as_dict(),
            "artifacts_deleted": self.artifacts_deleted,
            "failures": {
                "count": self.failure_count,
                "items": [{"version": f.version, "error": f.error} for f in self.failures],
            },
        }
