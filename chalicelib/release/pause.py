"""People decide about a PAUSED release (the CLI, Slack's Continue and Roll back): go on, or roll it back.

Each re-reads the group first: a stale button, a release continued or rolled back meanwhile, or one whose
pause ran out is refused, naming where it stands; conditional writes make a double click act once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.lifecycle_record import record_lifecycles
from chalicelib.release.pause_messages import continued_notification
from chalicelib.release.paused import Continued, Pause, continue_release, continued_row
from chalicelib.release.results import Progress, ReleaseResult, RolledBack
from chalicelib.release.rollback import rollback_state
from chalicelib.release.state import GroupState, Release, Stage
from chalicelib.release.writes import PERSON_GAVE_UP, retrying
from chalicelib.shared.errors import PauseRefusedError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger


class ReleasePauses:
    """The Pauses port (Slack's Continue and Roll back on a paused release): the use cases with deps bound."""

    def __init__(self, deps: Callable[[], ReleaseDeps]) -> None:
        self._deps = deps

    def paused(self, group: str, version: int) -> Pause:
        release = paused(group, version, self._deps())
        return Pause(release.group, release.version, release.arn, release.deadline)

    def continue_paused(self, group: str, version: int, actor: str, reason: str) -> ReleaseResult:
        return continue_paused(group, version, actor, reason, self._deps())

    def roll_back(self, group: str, version: int, actor: str, reason: str) -> RolledBack:
        return roll_back_paused(group, version, actor, reason, self._deps())


def paused(group: str, version: int | None, deps: ReleaseDeps) -> Release:
    """The group's PAUSED release (of `version`, if given); PauseRefusedError naming where it stands otherwise."""
    return _paused(deps.store.load(group), version)


def continue_paused(group: str, version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    """PAUSED -> the stage it paused at. Raises PauseRefusedError (nothing changed) unless `version` is PAUSED,
    its pause has not run out, and it is still Approved."""
    return retrying(
        group, deps, lambda state: _continue(state, version, actor, reason, deps), PERSON_GAVE_UP, busy_is_final=True
    )


def roll_back_paused(group: str, version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> RolledBack:
    """The rollback use case, only while `version` is PAUSED: a click on an old message cannot roll back later."""
    return retrying(
        group, deps, lambda state: _roll_back(state, version, actor, reason, deps), PERSON_GAVE_UP, busy_is_final=True
    )


def _roll_back(state: GroupState, version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> RolledBack:
    _paused(state, version)
    return rollback_state(state, None, actor, reason, deps)


def _continue(state: GroupState, version: int | None, actor: str, reason: str, deps: ReleaseDeps) -> ReleaseResult:
    release = _paused(state, version)
    now = deps.clock()
    if now >= release.deadline:  # the clock decided first: the reconciler rolls it back
        raise PauseRefusedError(f"{release.label} was paused past its deadline: it is being rolled back")
    status = deps.packages.approval(release.arn).status  # a Rejected event may be late or lost: ask now
    if status != APPROVED:
        raise PauseRefusedError(f"{release.label} is {status}: only an Approved version goes on")
    event = Continued(now, actor, reason)
    transition = continue_release(release, event)
    saved = deps.store.save(replace(state, release=transition.release), [continued_row(release, event)])
    record_lifecycles(state, saved, deps)  # OnHold -> where it goes on: the registry's label, best effort
    logger.info("release continued", extra={"release": release.label, "actor": actor, "why": reason})
    count("ReleaseContinued")
    deps.notifier.send(continued_notification(transition.release, actor, reason))
    continued = transition.release
    return Progress(state.group, continued.version, continued.stage, f"continued by {actor}: {reason}")


def _paused(state: GroupState, version: int | None) -> Release:
    release = state.release
    if release is None or release.stage is not Stage.PAUSED:
        last = f"its last release, {release.label}, is {release.stage.value}" if release else "it has no release"
        raise PauseRefusedError(f"nothing in {state.group} is PAUSED: {last}")
    if version is not None and release.version != version:
        raise PauseRefusedError(f"{state.group} v{version} is not PAUSED; {release.label} is")
    return release
