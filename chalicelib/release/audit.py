"""A group's status audit: the approvals and rejections whose events were lost, handed to their use cases.

One ListModelPackages (the group's newest page, any status) against what the release engine knows:
- an Approved version the engine never admitted goes to release admission (`on_approved`): the newest
  starts or waits, an older one gets its SUPERSEDED row. Whether one the state does not name was ever
  acted on is in the history, read only when such a version is listed;
- a version the engine still needs (live, a rollback target, in flight, queued) listed Rejected goes to
  the rejection use case (`on_rejected`): it stops, leaves the queue, or production rolls back.
Pending versions are not audited here: the registration sweep lists each one once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.ports import Listed
from chalicelib.release.service import on_approved, on_rejected
from chalicelib.release.state import GroupState
from chalicelib.release.sweep import SweepDeps
from chalicelib.shared.model_version import APPROVED, REJECTED


@dataclass(frozen=True)
class Audited:
    approved: tuple[int, ...] = ()  # versions handed to release admission
    rejected: tuple[int, ...] = ()  # versions handed to the rejection use case

    def as_dict(self) -> dict[str, Any]:
        return {"approved": list(self.approved), "rejected": list(self.rejected)}

    def __bool__(self) -> bool:
        return bool(self.approved or self.rejected)


def audit_due(group: str, run: int, every: int) -> bool:
    """Staggered by the group's name, so each run audits about 1/every of the groups."""
    return zlib.crc32(group.encode()) % every == run % every


def audit_group(group: str, state: GroupState, deps: ReleaseDeps, sweep: SweepDeps) -> Audited:
    listed = sweep.registry.newest(group)
    approved = _unadmitted(group, state, [v for v in listed if v.status == APPROVED], deps)
    for version in approved:  # oldest first: the newest one is the one that starts
        on_approved(version.arn, deps)
    needed = state.arns()
    rejected = [v for v in listed if v.status == REJECTED and v.arn in needed]
    for version in rejected:
        on_rejected(version.arn, deps)
    return Audited(tuple(v.version for v in approved), tuple(v.version for v in rejected))


def _unadmitted(group: str, state: GroupState, approved: list[Listed], deps: ReleaseDeps) -> list[Listed]:
    known = set(state.arns())
    known.update(kept.arn for kept in (state.release, state.newest_approved) if kept is not None)
    unknown = [v for v in approved if v.arn not in known]
    if unknown:  # acted on before (released, superseded, failed)? The history says.
        recorded = {row.arn for row in deps.store.history(group)}
        unknown = [v for v in unknown if v.arn not in recorded]
    return sorted(unknown, key=lambda v: v.version)
