"""PROGRESSIVE's part of the release machine, pure: production as two variants, the challenger's weight raised
step by step, each step held and judged against the champion before the next.

In PRODUCTION, `rollout.step` is the step (an index into the policy's steps) and `rollout.step_since` when it
began: none yet while the split config is being deployed; `step == len(steps)` once the last step passed and
production moves to the challenger's own config (then it is an update like any other). A step ends when its
time is over and it is judged to its end; a failure aborts it, naming the step. A first release has no
champion to compare with: it goes all at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.release.judged import passed_through
from chalicelib.release.names import split_config_of
from chalicelib.release.state import Release, Stage
from chalicelib.release.transition import Action, Transition, end


def progressive(release: Release) -> bool:
    return bool(release.rules.progressive_steps) and release.previous is not None


def stepping(release: Release) -> bool:
    """Production is (to be) the split config: the steps are not all passed."""
    return progressive(release) and release.rollout.step < len(release.rules.progressive_steps)


def split_serving(release: Release) -> bool:
    """The challenger serves a share of production now (or did when the release ended): a step had begun."""
    return stepping(release) and release.rollout.step_since is not None and _phase(release) is Stage.PRODUCTION


def _phase(release: Release) -> Stage:
    """The stage the release is in, or was paused from, or ended in."""
    stage = Stage(release.reached) if not release.in_flight and release.reached else release.stage
    return (release.rollout.paused_from or stage) if stage is Stage.PAUSED else stage


def split_config(release: Release) -> str:
    return split_config_of(release.model)


def step_percent(release: Release) -> int:
    steps = release.rules.progressive_steps
    return steps[min(release.rollout.step, len(steps) - 1)]


def step_end(release: Release) -> datetime | None:
    since = release.rollout.step_since
    in_step = since is not None and stepping(release) and release.stage is Stage.PRODUCTION
    return since + release.rules.step_duration if in_step and since is not None else None


def split_seen(
    release: Release, at: datetime, config: str | None, failure: str | None, weight: int | None
) -> Transition:
    """Production InService (or missing: `config` None) while the release steps."""
    since = release.rollout.step_since
    if config != split_config(release):
        if since is not None:
            why = f"production left the split config (it serves {config or 'nothing'})"
            return end(release, Stage.ROLLED_BACK, why, at, restore=True)  # the machine names the step
        if failure:  # SageMaker refused the split config: production still serves the champion
            return end(release, Stage.FAILED, f"SageMaker refused the split config: {failure}", at)
        return Transition(release, (Action.DEPLOY_PRODUCTION,))  # our deploy never landed: repair
    if since is None:
        judged = replace(release, rollout=replace(release.rollout, judged_until=at))
        return Transition(_step(judged, 0, at))
    if weight is not None and weight != step_percent(release):
        return Transition(release, (Action.SET_WEIGHTS,))  # a weight update that never landed: repair
    return step_over(release, at) or Transition(release)


def step_over(release: Release, at: datetime) -> Transition | None:
    """The step's time is over and it is judged to its end: the next step, or (after 100%) the challenger's own
    config. None: the step goes on."""
    until = step_end(release)
    if until is None or at < until or not passed_through(release.rollout, until):
        return None
    following = release.rollout.step + 1
    if following < len(release.rules.progressive_steps):
        return Transition(_step(release, following, at), (Action.SET_WEIGHTS,))
    last = replace(release.rollout, step=following, step_since=at)
    return Transition(
        replace(release, rollout=last, deadline=at + release.rules.production_deadline), (Action.DEPLOY_PRODUCTION,)
    )


def _step(release: Release, step: int, at: datetime) -> Release:
    # Each step has its own deadline: its time, then production's deadline for its measurements and moves.
    deadline = at + release.rules.step_duration + release.rules.production_deadline
    # A new step is judged afresh: the previous step's last verdict does not carry over.
    rollout = replace(release.rollout, step=step, step_since=at, last_verdict="")
    return replace(release, rollout=rollout, deadline=deadline)


def aborted(transition: Transition, before: Release) -> Transition:
    """A step that ended the release names it: "aborted at 25%: ..."."""
    if not split_serving(before) or transition.release.in_flight:
        return transition
    moved = transition.release
    return replace(transition, release=replace(moved, reason=f"aborted at {step_percent(before)}%: {moved.reason}"))
