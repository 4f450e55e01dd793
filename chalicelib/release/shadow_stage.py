"""The shadow stage of the release machine, pure: before any production traffic, the challenger runs as a shadow
variant of production (it answers copies of a sample of production's requests; callers get the champion's
answers), judged against the champion for the policy's minutes.

`rollout.step_since` is when the shadow config started serving (none while it is being deployed). Passed:
production proceeds as its deployment type says, replacing the shadow config. Failed: production goes back to
the champion's own config and the release is FAILED: production never served the challenger. A first release
has no champion to shadow: it goes straight to production.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.release.judged import passed_through
from chalicelib.release.names import shadow_config_of
from chalicelib.release.state import Release, Rollout, Stage
from chalicelib.release.transition import Action, Transition, end


def shadowing(release: Release) -> bool:
    """The release starts with a shadow test: its policy has one, and there is a champion to compare with."""
    return release.rules.shadow_percent > 0 and release.previous is not None


def shadow_config(release: Release) -> str:
    return shadow_config_of(release.model)


def enter_shadow(release: Release, at: datetime) -> Transition:
    """The smoke tests passed (or a person promoted it): production gets the shadow config."""
    shadowed = replace(release, stage=Stage.SHADOW, deadline=at + release.rules.production_deadline)
    return Transition(shadowed, (Action.DEPLOY_SHADOW,))


def shadow_end(release: Release) -> datetime | None:
    since = release.rollout.step_since
    return since + release.rules.shadow_duration if since is not None and release.stage is Stage.SHADOW else None


def shadow_seen(release: Release, at: datetime, config: str | None, failure: str | None) -> Transition:
    """Production InService (or missing: `config` None) during the shadow test."""
    since = release.rollout.step_since
    if config != shadow_config(release):
        if since is not None:
            why = f"production left the shadow config during the shadow test (it serves {config or 'nothing'})"
            return end(release, Stage.FAILED, why, at, restore=True)
        if failure:  # SageMaker refused the shadow config: production still serves the champion alone
            return end(release, Stage.FAILED, f"SageMaker refused the shadow config: {failure}", at)
        return Transition(release, (Action.DEPLOY_SHADOW,))  # our deploy never landed: repair
    if since is None:
        started = replace(release.rollout, step_since=at, judged_until=at)
        deadline = at + release.rules.shadow_duration + release.rules.production_deadline
        return Transition(replace(release, rollout=started, deadline=deadline))
    return shadow_over(release, at) or Transition(release)


def shadow_over(release: Release, at: datetime) -> Transition | None:
    """The shadow test's time is over and it is judged to its end: on to production. None: it goes on."""
    until = shadow_end(release)
    if until is None or at < until or not passed_through(release.rollout, until):
        return None
    # Production starts afresh (its steps, its measurements); what the shadow test measured stays recorded.
    counted = release.rollout
    rollout = Rollout(failures=counted.failures, inconclusive=counted.inconclusive, results=counted.results)
    moved = replace(release, stage=Stage.PRODUCTION, deadline=at + release.rules.production_deadline, rollout=rollout)
    return Transition(moved, (Action.DEPLOY_PRODUCTION,))


def halted_after_shadow(transition: Transition, before: Release) -> Transition:
    """A pre_rollout hook halting the move to production after a passed shadow test: production still runs the
    shadow config, so the champion's own is restored."""
    ended = transition.release
    if not shadowing(before) or before.stage is not Stage.PRODUCTION or ended.in_flight or transition.actions:
        return transition
    return replace(transition, actions=(Action.RESTORE_PREVIOUS,))


def shadow_failed(transition: Transition, before: Release) -> Transition:
    """A shadow test that ended the release: FAILED, never ROLLED_BACK (production never served the challenger)."""
    moved = transition.release
    if before.stage is not Stage.SHADOW and before.rollout.paused_from is not Stage.SHADOW:
        return transition
    if moved.stage is not Stage.ROLLED_BACK:
        return transition
    failed = replace(moved, stage=Stage.FAILED, reason=f"the shadow test failed: {moved.reason}")
    return replace(transition, release=failed, notify="release.failed")
