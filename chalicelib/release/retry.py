"""Retry: an Approved version whose release FAILED goes again, once its cause is fixed (the CLI, Slack's button).

An Approved event replayed for it never does (the release engine ignores versions whose last attempt ended),
so this is the one way back in. Who and why are kept in the history, in a RETRY row of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chalicelib.hooks.record import HOOK_ROW
from chalicelib.release.awaiting import PROMOTED
from chalicelib.release.deps import ATTEMPTS, ReleaseDeps, release_policy
from chalicelib.release.paused import CONTINUED
from chalicelib.release.results import ReleaseResult
from chalicelib.release.service import start_release
from chalicelib.release.state import Candidate, GroupState, HistoryRow, Stage
from chalicelib.shared.errors import ConflictError, RecoveryRefusedError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger

RETRY = "RETRY"  # a history row's outcome: the version was sent again by a person
RETRYABLE = (Stage.FAILED.value, Stage.EXPIRED.value)  # an expired promotion may be asked for again


class ReleaseRetries:
    """The Retries port (Slack's Retry button): `retry` with the release engine's deps bound."""

    def __init__(self, deps: Callable[[], ReleaseDeps]) -> None:
        self._deps = deps

    def retry(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        return retry(group, version, actor, reason, self._deps())


def retry(group: str, version: int, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    """Raises RecoveryRefusedError (nothing changed) unless the version is Approved and its last release FAILED."""
    for _ in range(ATTEMPTS):
        try:
            return _retry(deps.store.load(group), version, actor, reason, deps)
        except ConflictError:
            count("ReleaseWriteConflict")
    raise ConflictError(f"{group}: the release state kept changing; try again")


def _retry(state: GroupState, version: int, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    policy = release_policy(state.group, deps)
    if policy is None:
        raise RecoveryRefusedError(f"group {state.group} has no release policy")
    failed = _last_attempt(state, version, deps)
    if state.in_flight:
        raise RecoveryRefusedError(f"{state.group} has a release in flight: retry when it ends")
    if state.live is not None and state.live.version > version:
        raise RecoveryRefusedError(f"v{state.live.version} is live: `shepherd rollback --to {version}` goes back")
    package = deps.packages.approval(failed.arn)
    if package.status != APPROVED:
        raise RecoveryRefusedError(f"v{version} is {package.status}: only an Approved version is released")
    now = deps.clock()
    row = HistoryRow(
        f"{now.isoformat(timespec='seconds')}#v{version:06d}#retry",
        version,
        failed.arn,
        package.approved_by,
        RETRY,
        f"by {actor}: {reason}",
    )
    saved = deps.store.save(replace(state, queued=None), [row])  # the retried version goes, not a waiting one
    logger.info("release retried", extra={"group": state.group, "version": version, "actor": actor, "why": reason})
    count("ReleaseRetried")
    candidate = Candidate(version, failed.arn, package.approved_by, now, package.metrics, package.metrics_uri)
    return start_release(saved, candidate, policy, deps)


def _last_attempt(state: GroupState, version: int, deps: ReleaseDeps) -> HistoryRow:
    history = deps.store.history(state.group)
    acts = (RETRY, PROMOTED, CONTINUED, HOOK_ROW)  # rows that end nothing: not an attempt of their own
    attempts = [row for row in history if row.version == version and row.outcome not in acts]
    if not attempts:
        raise RecoveryRefusedError(f"{state.group} has no release of v{version} to retry")
    last = max(attempts, key=lambda row: row.key)
    if last.outcome not in RETRYABLE:
        raise RecoveryRefusedError(f"v{version}'s last release ended {last.outcome}, not FAILED: nothing to retry")
    return last
