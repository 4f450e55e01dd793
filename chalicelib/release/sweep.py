"""The registry sweep: what the reconciler does so that a lost package event is made up for.

EventBridge may lose an event for good (a handler that failed all its retries leaves it in the DLQ, and
nobody may replay it). The registry itself is the truth, so the reconciler re-reads it, cheaply:
- registrations: one account-wide ListModelPackages per run lists the versions created since a cursor
  (kept in the state table), oldest first. A Pending one goes to the gate, an Approved one to release
  admission. Each is listed once `GRACE` after it was created: its own event has had its chance.
- status changes (a person approving or rejecting later) cannot be listed by time: ListModelPackages
  has no "modified since". Each group's newest page is audited once every `AUDIT_EVERY` runs instead
  (chalicelib.release.audit), staggered by the group's name.
Every hand-off is to the use case the event would have reached, so a duplicate is the same no-op.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.ports import Listed, PendingGate, RegistryListing, SweepCursor, SweepMark
from chalicelib.release.service import on_approved
from chalicelib.shared.model_version import APPROVED, PENDING
from chalicelib.shared.observability import count, logger, stuck

GRACE = timedelta(minutes=10)  # past the gate's own delivery and Lambda's two retries (1 and 2 min apart)
FIRST_LOOK_BACK = timedelta(days=1)  # no cursor yet: the day before the first run
GIVE_UP_AFTER = timedelta(days=1)  # a failing version holds the cursor back this long at most
AUDIT_EVERY = 288  # runs between a group's status audits: daily at one run every 5 minutes
BUDGET_SECONDS = 60.0  # of each run's time for the sweep; what is left waits for the next run


@dataclass
class SweepDeps:
    registry: RegistryListing
    gate: PendingGate
    cursor: SweepCursor
    audit_every: int = AUDIT_EVERY
    budget_seconds: float = BUDGET_SECONDS
    timer: Callable[[], float] = time.monotonic
    started: float | None = field(default=None, init=False)

    def start(self) -> None:
        self.started = self.timer()

    def out_of_time(self) -> bool:
        return self.started is not None and self.timer() - self.started > self.budget_seconds


@dataclass(frozen=True)
class Swept:
    """What one run's sweep made up for: ARNs handed on ("gate" / "release" / "rejection"), and failures."""

    handed: tuple[tuple[str, str], ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (ARN or "registry", the error)
    cursor: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"handed": [list(pair) for pair in self.handed]}
        if self.failed:
            answer["failed"] = [list(pair) for pair in self.failed]
        if self.cursor is not None:
            answer["cursor"] = self.cursor.isoformat()
        return answer


def sweep_registrations(deps: ReleaseDeps, sweep: SweepDeps, managed: frozenset[str]) -> Swept:
    """Every version created since the cursor, handed on; the cursor moves past what was handled."""
    now = deps.clock()
    saved = sweep.cursor.load()
    mark = saved or SweepMark(now - FIRST_LOOK_BACK)
    until = now - GRACE
    if until <= mark.at:
        return Swept(cursor=mark.at)
    handed: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    # A failure holds the cursor back (listed again next run) for GIVE_UP_AFTER since it first did; then
    # whatever still fails is given up on, and the cursor moves past it.
    giving_up = mark.held_since is not None and now - mark.held_since >= GIVE_UP_AFTER
    reached, held = replace(mark, held_since=None), False
    try:
        for page in sweep.registry.created_since(mark.at, until):
            for listed in page:
                if listed.created == mark.at and listed.arn in mark.arns:
                    continue  # handed on by an earlier run
                if listed.group in managed and not _hand_on(listed, deps, sweep, handed, failed, giving_up):
                    held = held or not giving_up
                if not held:
                    reached = _past(reached, listed)
            if sweep.out_of_time():
                break
    except Exception as error:  # noqa: BLE001 - the listing failed: the next run lists from the cursor again
        failed.append(("registry", f"{type(error).__name__}: {error}"))
        count("SweepFailed")
    if held:
        reached = replace(reached, held_since=mark.held_since or now)
    if reached != mark or saved is None:  # the first run fixes where the look-back starts
        sweep.cursor.save(reached)
    return Swept(tuple(handed), tuple(failed), reached.at)


def _past(mark: SweepMark, listed: Listed) -> SweepMark:
    if listed.created == mark.at:
        return SweepMark(mark.at, mark.arns | {listed.arn})
    return SweepMark(listed.created, frozenset({listed.arn})) if listed.created > mark.at else mark


def _hand_on(
    listed: Listed,
    deps: ReleaseDeps,
    sweep: SweepDeps,
    handed: list[tuple[str, str]],
    failed: list[tuple[str, str]],
    giving_up: bool,
) -> bool:
    """False when the hand-off failed (it is listed again next run, unless the sweep is giving up)."""
    try:
        if listed.status == PENDING:
            sweep.gate.decide_pending(listed.arn)
            handed.append((listed.arn, "gate"))
        elif listed.status == APPROVED and not _known(listed, deps):
            on_approved(listed.arn, deps)
            handed.append((listed.arn, "release"))
    except Exception as error:  # noqa: BLE001 - one version's trouble never stops the others
        failed.append((listed.arn, f"{type(error).__name__}: {error}"))
        logger.error("sweep hand-off failed", extra={"arn": listed.arn, "error": repr(error)})
        if giving_up:
            stuck("SweepAbandoned")  # people must look: its events were lost and the sweep cannot help
        else:
            count("SweepFailed")
        return False
    return True


def _known(listed: Listed, deps: ReleaseDeps) -> bool:
    """Admitted already (its event came): in flight, queued, live or a rollback target."""
    state = deps.store.load(listed.group)
    return listed.arn in state.arns() or (state.release is not None and state.release.arn == listed.arn)
