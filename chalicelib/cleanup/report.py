"""What one cleanup run did in one group: a frozen value, extended one event at a time.

Bounded: counts, plus a sample of version numbers, so a run over 10,000 versions holds (and publishes)
no more than one over 10.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.cleanup.retention import Keep

SAMPLE_SIZE = 50  # version numbers kept per list; the counts are always exact


@dataclass(frozen=True)
class Tally:
    count: int = 0
    sample: tuple[int, ...] = ()

    def plus(self, version: int) -> Tally:
        sample = self.sample if len(self.sample) >= SAMPLE_SIZE else (*self.sample, version)
        return Tally(self.count + 1, sample)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "versions": list(self.sample), "truncated": self.count > len(self.sample)}


@dataclass(frozen=True)
class Failure:
    version: int | None  # None: the group failed as a whole (listing, policy)
    error: str


@dataclass(frozen=True)
class GroupReport:
    group: str
    dry_run: bool
    deleted: Tally = Tally()  # in a dry run: would be deleted
    kept: Mapping[Keep, Tally] = field(default_factory=dict)
    already_gone: Tally = Tally()  # deleted by someone else first: not a failure
    artifacts_deleted: int = 0
    failures: tuple[Failure, ...] = ()  # the first SAMPLE_SIZE; failure_count counts them all
    failure_count: int = 0
    complete: bool = False  # False: stopped before the time limit; the next run continues
    skipped: str | None = None  # why the group was not looked at, e.g. another run holds it
    policy_problem: str | None = None  # the group's policy is invalid: nothing looked at, counted as a failure

    def with_deleted(self, version: int) -> GroupReport:
        return replace(self, deleted=self.deleted.plus(version))

    def with_kept(self, reason: Keep, version: int) -> GroupReport:
        return replace(self, kept={**self.kept, reason: self.kept.get(reason, Tally()).plus(version)})

    def with_already_gone(self, version: int) -> GroupReport:
        return replace(self, already_gone=self.already_gone.plus(version))

    def with_artifact_deleted(self) -> GroupReport:
        return replace(self, artifacts_deleted=self.artifacts_deleted + 1)

    def with_failure(self, version: int | None, error: str) -> GroupReport:
        failures = self.failures if len(self.failures) >= SAMPLE_SIZE else (*self.failures, Failure(version, error))
        return replace(self, failures=failures, failure_count=self.failure_count + 1)

    def with_invalid_policy(self, problem: str) -> GroupReport:
        return replace(
            self.with_failure(None, f"policy is invalid, nothing deleted: {problem}"), policy_problem=problem
        )

    @property
    def stopped_early(self) -> bool:
        """Stopped by the time limit or an error mid-sweep: the next run continues where this one stopped."""
        return not self.complete and self.skipped is None and self.policy_problem is None

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
            "policy_problem": self.policy_problem,
            "deleted": self.deleted.as_dict(),
            "kept": {reason.value: tally.as_dict() for reason, tally in sorted(self.kept.items())},
            "already_gone": self.already_gone.as_dict(),
            "artifacts_deleted": self.artifacts_deleted,
            "failures": {
                "count": self.failure_count,
                "items": [{"version": f.version, "error": f.error} for f in self.failures],
            },
        }
