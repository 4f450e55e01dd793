"""Each version's ModelLifeCycle written after the release engine commits a change: best effort.

The label never holds a release up: a refused or throttled write is logged, counted (`LifeCycleWriteFailed`)
and remembered in the group's state (`lifecycles_owed`), then written again by the group's next change or
the reconciler's next run. Nothing owed and nothing moved: no call at all.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.release.deps import ATTEMPTS, ReleaseDeps
from chalicelib.release.lifecycle_changes import changes
from chalicelib.release.state import GroupState, LifeCycle, OwedLifeCycle
from chalicelib.shared.errors import ConflictError
from chalicelib.shared.observability import count, logger

MAX_OWED = 10  # a group's versions that can matter at once (release, live, good) fit well within it


def record_lifecycles(before: GroupState, after: GroupState, deps: ReleaseDeps) -> GroupState:
    """Write the lifecycles `after` (just saved) moved, and any owed. Never raises: returns `after`, or
    `after` saved again with what is still owed (the caller goes on from the state the store holds)."""
    if deps.lifecycles is None:
        return after
    due = {owed.arn: owed.lifecycle for owed in after.lifecycles_owed} | changes(before, after)
    if not due:
        return after
    failed = _write(due, deps)
    owed = tuple(OwedLifeCycle(arn, lifecycle) for arn, lifecycle in failed.items())[-MAX_OWED:]
    if owed == after.lifecycles_owed:
        return after
    return _remember(after, owed, frozenset(due), deps)


def repair_lifecycles(group: str, deps: ReleaseDeps) -> GroupState:
    """The reconciler's pass for a group that owes lifecycles: each written again from the state as it is."""
    state = deps.store.load(group)
    return record_lifecycles(state, state, deps)


def _write(due: dict[str, LifeCycle], deps: ReleaseDeps) -> dict[str, LifeCycle]:
    assert deps.lifecycles is not None
    failed: dict[str, LifeCycle] = {}
    for arn, lifecycle in due.items():
        try:
            deps.lifecycles.write(arn, lifecycle)
        except Exception as error:  # noqa: BLE001 - whatever goes wrong, the release goes on; repaired later
            logger.warning("lifecycle not written", extra={"arn": arn, "stage": lifecycle.stage, "error": repr(error)})
            count("LifeCycleWriteFailed")
            failed[arn] = lifecycle
    return failed


def _remember(
    after: GroupState, owed: tuple[OwedLifeCycle, ...], tried: frozenset[str], deps: ReleaseDeps
) -> GroupState:
    """Save what is still owed. Lost to a concurrent writer: merged into the state it wrote (its own owed
    entries for versions we did not try are kept), and the caller's `after` returned, stale as it now is."""
    state = after
    for attempt in range(ATTEMPTS):
        try:
            saved = deps.store.save(replace(state, lifecycles_owed=owed))
            return saved if attempt == 0 else after
        except ConflictError:
            state = deps.store.load(after.group)
            kept = tuple(entry for entry in state.lifecycles_owed if entry.arn not in tried)
            owed = (*kept, *owed)[-MAX_OWED:]
        except Exception:  # noqa: BLE001 - the store is unwell: the release's own writes will say so
            break
    logger.error("lifecycles owed not recorded", extra={"group": after.group, "owed": [entry.arn for entry in owed]})
    count("LifeCycleOwedLost")
    return after
