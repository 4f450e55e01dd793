"""What the registry sweep does with one changed version: hand it to the use case its lost event would have reached.

- Pending: the gate (once-only: a version decided already is left alone);
- Approved, never admitted by the release engine: release admission (`on_approved`): the newest starts or
  waits, an older one gets its SUPERSEDED row. Whether one the state does not name was ever acted on is in
  the history, read only when such a version changed;
- Rejected while the engine still needs it (live, a rollback target, in flight, queued): the rejection use
  case (`on_rejected`): it stops, leaves the queue, or production rolls back.
Every hand-off is the same no-op when its own event came after all, so a version seen twice costs reads only.
"""

from __future__ import annotations

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.ports import Listed, PendingGate
from chalicelib.release.rejection import on_rejected
from chalicelib.release.service import on_approved
from chalicelib.release.state import GroupState
from chalicelib.shared.model_version import APPROVED, PENDING, REJECTED


def hand_on(listed: Listed, deps: ReleaseDeps, gate: PendingGate) -> str | None:
    """The use case `listed` went to ("gate", "release", "rejection"), or None when none needed it."""
    if listed.status == PENDING:
        gate.decide_pending(listed.arn)
        return "gate"
    if listed.status not in (APPROVED, REJECTED):
        return None
    state = deps.store.load(listed.group)
    if listed.status == APPROVED and not _admitted(listed, state, deps):
        on_approved(listed.arn, deps)
        return "release"
    if listed.status == REJECTED and listed.arn in state.arns():
        on_rejected(listed.arn, deps)
        return "rejection"
    return None


def _admitted(listed: Listed, state: GroupState, deps: ReleaseDeps) -> bool:
    """In flight, queued, live, a rollback target, the newest approved, or acted on before (the history)."""
    known = set(state.arns())
    known.update(kept.arn for kept in (state.release, state.newest_approved) if kept is not None)
    return listed.arn in known or any(row.arn == listed.arn for row in deps.store.history(listed.group))
