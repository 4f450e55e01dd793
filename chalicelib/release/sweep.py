"""The registry sweep: what the reconciler does so that a lost package event is made up for.

EventBridge may lose an event for good (a handler that failed all its retries leaves it in the DLQ, and
nobody may replay it). The registry itself is the truth, so the reconciler asks it, once per run, what
changed since a cursor (kept in the state table): one account-wide search of the versions registered or
changed since then, least recently changed first (chalicelib.adapters.model_packages.listing). When nothing
changed that is one call, however many groups there are. Each change goes to the use case its event would
have reached (chalicelib.release.handoff). A Pending version waits `GRACE` after it changed: its own event
has had its chance; approvals and rejections are handed on at once (those use cases are idempotent).
The search's index may lag behind the registry: each run searches from `OVERLAP` before the cursor, and
the changes handed on in that margin are named in the cursor so that none is handed on twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.handoff import hand_on
from chalicelib.release.ports import Listed, PendingGate, RegistryListing, SweepCursor, SweepMark
from chalicelib.shared.model_version import PENDING
from chalicelib.shared.observability import count, logger, stuck

GRACE = timedelta(minutes=10)  # past the gate's own delivery and Lambda's two retries (1 and 2 min apart)
OVERLAP = timedelta(minutes=10)  # how far the search's index may lag behind the registry, with room to spare
FIRST_LOOK_BACK = timedelta(days=1)  # no cursor yet: the day before the first run
GIVE_UP_AFTER = timedelta(days=1)  # a failing version holds the cursor back this long at most
BUDGET_SECONDS = 60.0  # of each run's time for the sweep; what is left waits for the next run
TICK = timedelta(milliseconds=1)  # the registry's resolution: the cursor stays just before a waiting change
MAX_SEEN = 2_000  # changes named in the cursor at most (~200 KB); beyond, a change may be handed on again


@dataclass
class SweepDeps:
    registry: RegistryListing
    gate: PendingGate
    cursor: SweepCursor
    budget_seconds: float = BUDGET_SECONDS
    timer: Callable[[], float] = time.monotonic
    # The registry stamps its changes on the wall clock: None reads the engine's clock, which is the wall
    # clock except on a local stack running its time faster, where the cursor would run ahead of the registry.
    clock: Callable[[], datetime] | None = None
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


def change_key(listed: Listed) -> str:
    """One change of one version: its time (epoch ms, the registry's resolution), new status and ARN."""
    return f"{round(listed.changed.timestamp() * 1000)} {listed.status} {listed.arn}"


def _key_time(key: str) -> datetime:
    return datetime.fromtimestamp(int(key.split(" ", 1)[0]) / 1000, UTC)


@dataclass
class _Run:
    """One run's progress. The cursor moves to the latest change handled, but stays before the earliest one
    that must wait (its grace) or failed, whatever order the search returned them in."""

    mark: SweepMark
    now: datetime
    giving_up: bool  # a failure has held the cursor a whole day: what still fails is given up on
    seen: set[str] = field(init=False)
    latest: datetime | None = None  # of the changes handled (or nothing to do)
    waiting: datetime | None = None  # the earliest change that waits or failed
    held: bool = False
    handed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seen = set(self.mark.seen)

    def take(self, listed: Listed, deps: ReleaseDeps, sweep: SweepDeps, managed: frozenset[str]) -> None:
        key = change_key(listed)
        if key in self.seen or listed.group not in managed:
            self._done(listed.changed)
        elif listed.status == PENDING and self.now - listed.changed < GRACE:
            self._wait(listed.changed)  # its own event may still come
        elif self._hand_on(listed, deps, sweep):
            self.seen.add(key)
            self._done(listed.changed)
        else:
            self.held = True
            self._wait(listed.changed)

    def _done(self, changed: datetime) -> None:
        self.latest = changed if self.latest is None else max(self.latest, changed)

    def _wait(self, changed: datetime) -> None:
        self.waiting = changed if self.waiting is None else min(self.waiting, changed)

    def _hand_on(self, listed: Listed, deps: ReleaseDeps, sweep: SweepDeps) -> bool:
        """False when the hand-off failed and holds the cursor (it is handed on again next run)."""
        try:
            went = hand_on(listed, deps, sweep.gate)
        except Exception as error:  # noqa: BLE001 - one version's trouble never stops the others
            self.failed.append((listed.arn, f"{type(error).__name__}: {error}"))
            logger.error("sweep hand-off failed", extra={"arn": listed.arn, "error": repr(error)})
            if not self.giving_up:
                count("SweepFailed")
                return False
            stuck("SweepAbandoned")  # people must look: its events were lost and the sweep cannot help
            return True
        if went is not None:
            self.handed.append((listed.arn, went))
        return True

    def reached(self) -> SweepMark:
        at = max(self.mark.at, self.latest or self.mark.at)
        if self.waiting is not None:
            at = max(self.mark.at, min(at, self.waiting - TICK))
        kept = sorted(key for key in self.seen if _key_time(key) >= at - OVERLAP)
        held_since = (self.mark.held_since or self.now) if self.held else None
        return SweepMark(at, frozenset(kept[-MAX_SEEN:]), held_since)


def sweep_registry(deps: ReleaseDeps, sweep: SweepDeps, managed: frozenset[str]) -> Swept:
    """Every version changed since the cursor, handed on; the cursor moves past what was handled."""
    now = (sweep.clock or deps.clock)()
    saved = sweep.cursor.load()
    mark = saved or SweepMark(now - FIRST_LOOK_BACK)
    run = _Run(mark, now, giving_up=mark.held_since is not None and now - mark.held_since >= GIVE_UP_AFTER)
    try:
        for page in sweep.registry.changed_since(mark.at - OVERLAP):
            for listed in page:
                run.take(listed, deps, sweep, managed)
            if sweep.out_of_time():
                break
    except Exception as error:  # noqa: BLE001 - the search failed: the next run searches from the cursor again
        run.failed.append(("registry", f"{type(error).__name__}: {error}"))
        count("SweepFailed")
    reached = run.reached()
    if reached != mark or saved is None:  # the first run fixes where the look-back starts
        sweep.cursor.save(reached)
    return Swept(tuple(run.handed), tuple(run.failed), reached.at)
