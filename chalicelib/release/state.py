"""A release as a value: one version on its way from staging to production, and the group around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.hooks.record import HookRecord
from chalicelib.release.release_terms import Rollout, Rules
from chalicelib.release.stages import IN_FLIGHT, SERVING, Stage

# One import place for a release's values (its stages and its terms have their own modules).
__all__ = [
    "IN_FLIGHT",
    "SERVING",
    "Candidate",
    "Deployed",
    "GroupState",
    "HistoryRow",
    "LifeCycle",
    "OwedLifeCycle",
    "Release",
    "Review",
    "Rollout",
    "Rules",
    "Stage",
]


@dataclass(frozen=True)
class Candidate:
    """An Approved version: what a release starts from."""

    version: int
    arn: str
    approved_by: str
    approved_at: datetime
    metrics: str | None = None  # the gate's metrics snapshot: lets the gate compare with it for free
    metrics_uri: str | None = None  # else where its metrics document is


@dataclass(frozen=True)
class Deployed:
    """A version that served production: enough to send production back to it, and its history row."""

    version: int
    arn: str
    config: str  # the production endpoint config that serves it
    approved_by: str
    since: datetime
    replaced: int | None = None
    history_key: str = ""
    metrics: str | None = None  # the gate's metrics snapshot, when the version had one
    metrics_uri: str | None = None


@dataclass(frozen=True)
class Release:
    group: str
    version: int
    arn: str
    approved_by: str
    stage: Stage
    started_at: datetime
    deadline: datetime
    model: str
    staging_config: str
    production_config: str
    rules: Rules = field(default_factory=Rules)
    previous: Deployed | None = None  # the rollback target: what was live when it started
    watch_until: datetime | None = None
    live_since: datetime | None = None
    reason: str = ""
    ended_at: datetime | None = None
    metrics: str | None = None
    metrics_uri: str | None = None
    # The release policy it started under (JSON): it still governs the release if the group's policy turns invalid.
    policy: str | None = None
    promoted_by: str = ""  # the person who promoted it (manual promotion), and why: the history names them
    promotion_reason: str = ""
    reminded: bool = False  # the promotion reminder was sent
    reached: str = ""  # the stage it was at when it ended: where a failure happened
    rollout: Rollout = field(default_factory=Rollout)
    hooks: tuple[HookRecord, ...] = ()  # the rollout hooks' answers, in the order they came

    @property
    def in_flight(self) -> bool:
        return self.stage in IN_FLIGHT

    @property
    def label(self) -> str:
        return f"{self.group} v{self.version}"

    @property
    def key(self) -> str:
        """Its history row: sorted by start, unique per attempt."""
        return f"{self.started_at.isoformat(timespec='seconds')}#v{self.version:06d}"

    def as_deployed(self, since: datetime) -> Deployed:
        replaced = self.previous.version if self.previous else None
        return Deployed(
            self.version,
            self.arn,
            self.production_config,
            self.approved_by,
            since,
            replaced,
            self.key,
            self.metrics,
            self.metrics_uri,
        )


@dataclass(frozen=True)
class Review:
    """A version the gate sent to people (status PendingManualApproval, a review message posted).

    Its terms are frozen when the review starts, so a policy edit cannot move a deadline already announced.
    `due_at` is the next moment the reconciler looks at it: the reminder, then the expiry, then (kept Pending
    after its last reminder) a daily look at whether somebody decided meanwhile."""

    version: int
    arn: str
    started_at: datetime
    expires_at: datetime
    due_at: datetime
    keep: bool = False  # at expiry: stay Pending with a last reminder, instead of being Rejected
    phase: str = "waiting"  # waiting (for its reminder), reminded, kept (past expiry, still Pending)


@dataclass(frozen=True)
class LifeCycle:
    """A version's ModelLifeCycle in the registry (chalicelib.release.lifecycle maps releases to it)."""

    stage: str
    status: str
    description: str = ""


@dataclass(frozen=True)
class OwedLifeCycle:
    """A lifecycle SageMaker refused or throttled: the next transition or reconciler run writes it again."""

    arn: str
    lifecycle: LifeCycle


@dataclass(frozen=True)
class GroupState:
    """Everything the release engine knows about a group: one item, changed by conditional writes."""

    group: str
    revision: int = 0
    release: Release | None = None  # in flight, or the most recent one
    live: Deployed | None = None
    good: tuple[Deployed, ...] = ()  # earlier good versions, newest first: the rollback targets
    queued: Candidate | None = None
    # The newest Approved version seen (the gate's champion when nothing is live); None after it is Rejected.
    newest_approved: Candidate | None = None
    reviews: tuple[Review, ...] = ()  # versions waiting for people's review, oldest first
    lifecycles_owed: tuple[OwedLifeCycle, ...] = ()  # lifecycles not yet written (a refused or throttled call)

    @property
    def in_flight(self) -> bool:
        return self.release is not None and self.release.in_flight

    def review_due(self, now: datetime) -> bool:
        return any(review.due_at <= now for review in self.reviews)

    def needed(self) -> list[Deployed | Release | Candidate]:
        """Versions that may be needed again: rollback targets, live, in flight, queued."""
        found: list[Deployed | Release | Candidate] = list(self.good)
        if self.live:
            found.append(self.live)
        if self.release and self.release.in_flight:
            found.append(self.release)
        if self.queued:
            found.append(self.queued)
        return found

    def arns(self) -> frozenset[str]:
        return frozenset(kept.arn for kept in self.needed())


@dataclass(frozen=True)
class HistoryRow:
    """One release attempt as the CLI shows it: what served production from when to when, and why it ended."""

    key: str
    version: int
    arn: str
    approved_by: str
    # LIVE, FAILED, ROLLED_BACK, SUPERSEDED, STOPPED, EXPIRED; ROLLBACK (a manual or automatic return);
    # RETRY, PROMOTED or CONTINUED (a person's act on an attempt: it ends nothing)
    outcome: str
    reason: str = ""
    served_from: datetime | None = None
    served_to: datetime | None = None
    replaced: int | None = None
    # When an attempt ended without serving: its key holds its start, which sorts it before the acts it followed.
    ended_at: datetime | None = None
