"""The release engine's writes: a step retried on a lost conditional write, a transition written and announced."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chalicelib.release.deps import ATTEMPTS, ReleaseDeps
from chalicelib.release.group import after
from chalicelib.release.lifecycle_record import record_lifecycles
from chalicelib.release.messages import release_notification
from chalicelib.release.state import GroupState
from chalicelib.release.transition import Transition
from chalicelib.shared.errors import ConflictError, ProductionBusyError
from chalicelib.shared.observability import count, logger

NOTIFY_COUNTS = {
    "release.live": "ReleaseLive",
    "release.awaiting_promotion": "ReleaseAwaitingPromotion",
    "release.promotion_reminder": "ReleasePromotionReminder",
    "release.promoted": "ReleasePromoted",
    "release.paused": "ReleasePaused",
}


T = TypeVar("T")
PERSON_GAVE_UP = "the release state kept changing; try again"  # a person's act, when others kept moving first


def retrying(
    group: str,
    deps: ReleaseDeps,
    step: Callable[[GroupState], T],
    gave_up: str = "",
    busy_is_final: bool = False,
) -> T:
    """`step` on the group as stored, again on a lost conditional write (someone else moved first).

    `gave_up`: what the caller is told after ATTEMPTS losses (a person's act says "try again");
    `busy_is_final`: production mid-update is not looked at again now (it would be found so again)."""
    for _ in range(ATTEMPTS):
        try:
            return step(deps.store.load(group))
        except ConflictError as error:
            if busy_is_final and isinstance(error, ProductionBusyError):
                raise
            count("ReleaseWriteConflict")  # someone else moved first (or production was busy): look again
    raise ConflictError(f"{group}: {gave_up or f'lost {ATTEMPTS} conditional writes in a row'}")


def commit(state: GroupState, transition: Transition, deps: ReleaseDeps) -> GroupState:
    changed, rows = after(state, transition.release)
    saved = record_lifecycles(state, deps.store.save(changed, rows), deps)  # the registry's label: best effort
    release = transition.release
    logger.info(
        "release moved", extra={"release": release.label, "stage": release.stage.value, "reason": release.reason}
    )
    if transition.notify:
        count(NOTIFY_COUNTS.get(transition.notify, "ReleaseEnded"), stage=release.stage.value)
        target = saved.good[0] if saved.good else None
        deps.notifier.send(release_notification(transition.notify, release, target))
    return saved
