"""A judged rollout as people see it, pure: the shadow test or the progressive step, since when, the last
judgement and the analysis's counts against its limits. `status`, Slack's /shepherd status and the report
page all say the same facts from this one value.

The limits come from the release policy the release started under (stored with it), so a view needs no
policy read: Slack's answer has one GetItem to spend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.analysis.policy import Analysis, analysis_of
from chalicelib.release.state import Release, Stage

DONE, CURRENT, TO_COME, ABORTED = "done", "current", "to come", "aborted"


@dataclass(frozen=True)
class StepView:
    percent: int
    state: str  # done, current, to come, aborted


@dataclass(frozen=True)
class RolloutView:
    version: int
    phase: Stage  # SHADOW or PRODUCTION: where it is, paused at, or ended
    steps: tuple[StepView, ...]  # PROGRESSIVE's steps; () otherwise
    step: int  # index of the current step; len(steps) once every step passed
    since: datetime | None  # when the current step (or the shadow test) began taking traffic
    shadow_percent: int
    last_judgement: str | None
    failures: int
    inconclusive: int
    limits: Analysis | None  # None: the release is not judged by metrics
    judgements: tuple[str, ...] = ()  # every measurement's summary the release kept, oldest first
    ended: Stage | None = None  # how it ended; None while in flight

    @property
    def headline(self) -> str:
        """ "step 2/4: 25% to v7", "shadow test: 100% of requests copied to v7"."""
        if self.phase is Stage.SHADOW:
            return f"shadow test: {self.shadow_percent}% of requests copied to v{self.version}"
        if not self.steps:
            return f"production to v{self.version}"
        if self.step >= len(self.steps) or self.phase is not Stage.PRODUCTION:
            return f"all {len(self.steps)} steps passed: production to v{self.version}"
        step = self.steps[self.step]
        where = f"step {self.step + 1}/{len(self.steps)}: {step.percent}% to v{self.version}"
        return f"aborted at {where}" if step.state == ABORTED else where

    @property
    def counts(self) -> str:
        """ "failures 1/2, no data 0/2": measurements so far against what the policy tolerates."""
        if self.limits is None:
            return "not judged by metrics"
        failures = f"failures {self.failures}/{self.limits.failure_limit}"
        return f"{failures}, no data {self.inconclusive}/{self.limits.inconclusive_limit}"

    def as_dict(self) -> dict[str, Any]:
        limits = self.limits
        return {
            "phase": self.phase.value,
            "headline": self.headline,
            "step": self.step + 1 if self.steps and self.phase is Stage.PRODUCTION else None,  # counted from 1
            "steps": [{"percent": s.percent, "state": s.state} for s in self.steps],
            "since": self.since,
            "last_judgement": self.last_judgement,
            "failures": self.failures,
            "failure_limit": limits.failure_limit if limits else None,
            "inconclusive": self.inconclusive,
            "inconclusive_limit": limits.inconclusive_limit if limits else None,
        }


def rollout_view(release: Release | None) -> RolloutView | None:
    """The rollout of a release that shadows or steps (in flight, paused, or ended); None for any other."""
    if release is None or release.previous is None:
        return None  # a first release has no champion: no shadow test, no steps, all at once
    phase = _phase(release)
    stepped = bool(release.rules.progressive_steps)
    shown = phase is Stage.SHADOW or (stepped and phase in (Stage.PRODUCTION, Stage.WATCHING, Stage.LIVE))
    if not shown:
        return None
    rollout = release.rollout
    return RolloutView(
        version=release.version,
        phase=phase,
        steps=_steps(release, phase),
        step=rollout.step,
        since=rollout.step_since,
        shadow_percent=release.rules.shadow_percent,
        last_judgement=rollout.results[-1] if rollout.results else None,
        failures=rollout.failures,
        inconclusive=rollout.inconclusive,
        limits=_limits(release.policy),
        judgements=rollout.results,
        ended=None if release.in_flight else release.stage,
    )


def _phase(release: Release) -> Stage:
    """The stage it is in, was paused from, or ended in."""
    if not release.in_flight:
        return Stage(release.reached) if release.reached else release.stage
    if release.stage is Stage.PAUSED:
        return release.rollout.paused_from or Stage.PRODUCTION
    return release.stage


def _steps(release: Release, phase: Stage) -> tuple[StepView, ...]:
    steps = release.rules.progressive_steps
    # In the shadow test none has begun; once live every one has passed.
    current = {Stage.PRODUCTION: release.rollout.step, Stage.SHADOW: -1}.get(phase, len(steps))
    here = CURRENT if release.in_flight else ABORTED  # a release that ended at a step went no further
    return tuple(
        StepView(percent, DONE if index < current else here if index == current else TO_COME)
        for index, percent in enumerate(steps)
    )


def _limits(policy: str | None) -> Analysis | None:
    if not policy:
        return None
    try:
        section = json.loads(policy)
        return analysis_of(section) if isinstance(section, dict) else None
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
    ):  # a stored policy this version cannot read: no limits to show
        return None
