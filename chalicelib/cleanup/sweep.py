"""One group's sweep: page through its old rejected versions, judge each, re-read and delete.

Progress is a cursor, the creation time of the last version looked at; the sweep stops before the
deadline and hands the cursor back, so the next run picks up there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.cleanup.ports import ArtifactStore, CleanupRegistry
from chalicelib.cleanup.report import GroupReport
from chalicelib.cleanup.retention import (
    Keep,
    Protection,
    RetentionRule,
    VersionSummary,
    artifacts_to_delete,
    judge,
)
from chalicelib.shared.errors import ShepherdError
from chalicelib.shared.observability import count, logger

Observer = Callable[[VersionSummary, str], None]  # (version, what happened to it): the CLI lists them
LEASE_MARGIN = timedelta(minutes=1)  # the lease covers the whole run; a run killed mid-way frees it a minute later


@dataclass(frozen=True)
class Deadline:
    """When to stop: `remaining_ms` is the Lambda context's get_remaining_time_in_millis (injectable)."""

    remaining_ms: Callable[[], float]
    reserve_ms: int

    def expired(self) -> bool:
        return self.remaining_ms() < self.reserve_ms

    def lease_until(self, now: datetime) -> datetime:
        return now + timedelta(milliseconds=self.remaining_ms()) + LEASE_MARGIN


@dataclass
class Sweep:
    """One run over one group; `report` is replaced as it goes, so it holds the progress even after an error."""

    rule: RetentionRule
    registry: CleanupRegistry
    artifacts: ArtifactStore
    deadline: Deadline
    report: GroupReport
    now: datetime
    protection: Protection
    shared_artifacts: frozenset[str] = frozenset()
    checkpoint: Callable[[datetime], None] = lambda cursor: None
    observe: Observer = lambda version, outcome: None
    cursor: datetime | None = None  # how far it got, even when it stops on an error

    def run(self, cursor: datetime | None) -> GroupReport:
        """The report, complete when the group was finished; self.cursor says how far it got otherwise."""
        self.cursor = cursor
        pages = self.registry.rejected_pages(self.report.group, self.rule.cutoff(self.now), cursor)
        while not self.deadline.expired():
            page = next(pages, None)
            if page is None:
                self.report = replace(self.report, complete=True)
                return self.report
            for version in page:
                if self.deadline.expired():
                    return self.report
                self.observe(version, self._sweep_one(version))
                self.cursor = version.created
            if self.cursor is not None:
                self.checkpoint(self.cursor)  # once a page: a run that dies redoes at most a page, harmlessly
        return self.report

    def _sweep_one(self, listed: VersionSummary) -> str:
        """Judge, and delete if it should go; returns what happened, in words (the CLI prints it)."""
        judgement = judge(listed, self.rule, self.now, self.protection)
        if judgement.keep is not None:
            return self._kept(judgement.keep, listed)
        if self.report.dry_run:
            self.report = self.report.with_deleted(listed.version)
            return "would delete"
        try:
            return self._delete(listed)
        except Exception as error:  # noqa: BLE001 - one version's failure must not stop the others
            logger.warning("cleanup delete failed", extra={"arn": listed.arn, "error": repr(error)})
            count("CleanupDeleteFailed")
            self.report = self.report.with_failure(listed.version, str(error) or repr(error))
            return f"failed: {error}"

    def _kept(self, reason: Keep, listed: VersionSummary) -> str:
        self.report = self.report.with_kept(reason, listed.version)
        return f"kept: {reason.value}"

    def _delete(self, listed: VersionSummary) -> str:
        fresh = self.registry.describe(listed.arn)  # its status may have changed since the listing
        if fresh is None:
            self.report = self.report.with_already_gone(listed.version)
            return "already gone"
        judgement = judge(fresh.summary, self.rule, self.now, self.protection)
        if judgement.keep is not None:
            logger.info("cleanup re-check kept a version", extra={"arn": listed.arn, "why": judgement.keep.value})
            return self._kept(judgement.keep, listed)
        if not self.registry.delete(listed.arn):
            self.report = self.report.with_already_gone(listed.version)  # another run got there first: fine
            return "already gone"
        self.report = self.report.with_deleted(listed.version)
        if self.rule.delete_artifacts:
            self._delete_artifacts(artifacts_to_delete(fresh, self.shared_artifacts), listed.version)
        return "deleted"

    def _delete_artifacts(self, uris: tuple[str, ...], version: int) -> None:
        # After the package: an artifact left behind costs storage; one deleted early breaks a version.
        for uri in uris:
            try:
                self.artifacts.delete(uri)
                self.report = self.report.with_artifact_deleted()
            except ShepherdError as error:
                self.report = self.report.with_failure(version, f"artifact not deleted: {error}")
