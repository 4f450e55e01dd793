"""Manual promotion's use cases (the CLI, Slack's Promote and Stop): a person sends the release awaiting
promotion on to production, or stops it. Who, when and why go into the history.

Each re-reads the group and the registry first: a stale button, a version Rejected meanwhile, or a
release the reconciler just expired is refused, and nothing a person asked for is done twice.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.release.awaiting import Promoted, Stopped
from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.machine import VersionRejected, next_state
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.results import Awaiting, ReleaseResult
from chalicelib.release.service import move
from chalicelib.release.state import GroupState, Release, Stage
from chalicelib.release.writes import PERSON_GAVE_UP, retrying
from chalicelib.shared.errors import InvalidPolicyError, PromotionRefusedError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger


class ReleasePromotions:
    """The Promotions port (Slack's Promote and Stop buttons): the use cases with the engine's deps bound."""

    def __init__(self, deps: Callable[[], ReleaseDeps]) -> None:
        self._deps = deps

    def awaiting(self, group: str, version: int) -> Awaiting:
        return awaiting(group, version, self._deps())

    def promote(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        return promote(group, version, actor, reason, self._deps())

    def stop(self, group: str, version: int | None, actor: str, reason: str) -> ReleaseResult:
        return stop(group, version, actor, reason, self._deps())


def awaiting(group: str, version: int, deps: ReleaseDeps) -> Awaiting:
    """Raises PromotionRefusedError unless `version` awaits promotion (a read only: expiry is the engine's)."""
    release = _awaiting(deps.store.load(group), version)
    return Awaiting(group, version, release.arn, release.started_at)


def promote(group: str, version: int, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    """Raises PromotionRefusedError unless `version` awaits promotion, in time, and is still Approved."""
    return retrying(
        group, deps, lambda state: _decide(state, version, Promoted(deps.clock(), actor, reason), deps), PERSON_GAVE_UP
    )


def stop(group: str, version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    """`version` None: whichever version awaits promotion. Production is untouched."""
    return retrying(
        group, deps, lambda state: _decide(state, version, Stopped(deps.clock(), actor, reason), deps), PERSON_GAVE_UP
    )


def _decide(state: GroupState, version: int | None, event: Promoted | Stopped, deps: ReleaseDeps) -> ReleaseResult:
    release = _awaiting(state, version)
    policy = _policy(state, deps)
    verb = "promoted" if isinstance(event, Promoted) else "stopped"
    status = deps.packages.approval(release.arn).status  # a Rejected event may be late or lost: ask now
    if status != APPROVED and isinstance(event, Promoted):
        move(state, release, next_state(release, VersionRejected(event.at)), policy, deps)
        raise PromotionRefusedError(f"{release.label} is {status}: only an Approved version is promoted")
    transition = next_state(release, event)
    if transition.release.stage is Stage.EXPIRED:
        move(state, release, transition, policy, deps)  # the clock decided first: the person is told so
        raise PromotionRefusedError(f"{release.label} {transition.release.reason}: not {verb}")
    result = move(state, release, transition, policy, deps)
    logger.info(f"release {verb}", extra={"release": release.label, "actor": event.actor, "why": event.reason})
    count("ReleasePromoted" if isinstance(event, Promoted) else "ReleaseStopped")
    return result


def _awaiting(state: GroupState, version: int | None) -> Release:
    release = state.release
    if release is None or release.stage is not Stage.AWAITING_PROMOTION:
        last = f"its last release, {release.label}, is {release.stage.value}" if release else "it has no release"
        raise PromotionRefusedError(f"nothing in {state.group} awaits promotion: {last}")
    if version is not None and release.version != version:
        raise PromotionRefusedError(f"{state.group} v{version} does not await promotion; {release.label} does")
    return release


def _policy(state: GroupState, deps: ReleaseDeps) -> ReleasePolicy:
    try:
        policy = release_policy(state.group, deps, state)
    except InvalidPolicyError as error:
        raise PromotionRefusedError(str(error)) from None
    if policy is None:
        raise PromotionRefusedError(f"group {state.group} has no release policy")
    return policy
