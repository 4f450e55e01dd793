"""What the release engine looks at before deciding: the endpoint the release waits on, the watch alarms,
the release's measurements, or just the clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.analysis.ports import Subject
from chalicelib.release import batch_steps
from chalicelib.release.deps import ReleaseDeps, production_deps, staging_deps
from chalicelib.release.machine import MISSING, AlarmsFiring, EndpointSeen, Event, Tick
from chalicelib.release.measuring import measure
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.ports import EndpointView
from chalicelib.release.production import production_view
from chalicelib.release.progressive import split_serving, stepping
from chalicelib.release.progressive_steps import split_observed
from chalicelib.release.shadow_steps import shadow_observed
from chalicelib.release.state import Release, Stage


def observe(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> Event:
    """What is, now: the endpoint the release waits on, the watch alarms, or just the clock."""
    now = deps.clock()
    if release.stage is Stage.STAGING:
        if policy.batch is not None:
            return batch_steps.staging_seen(release, now, deps)
        return _seen("staging", staging_deps(policy, deps).endpoints.describe(policy.staging.name), now)
    if release.stage in (Stage.SHADOW, Stage.PRODUCTION, Stage.WATCHING, Stage.PAUSED):
        deps = production_deps(policy, deps)  # production's endpoint and alarms are in production's account
    firing = _alarms_firing(policy, deps, now) if _guarded_by_alarms(release) else None
    if firing is not None:
        return firing
    if release.stage is Stage.SHADOW:
        return shadow_observed(release, policy, deps)
    if release.stage is Stage.PRODUCTION:
        return split_observed(release, policy, deps) if stepping(release) else _seen_now(release, policy, deps, now)
    if release.stage is Stage.WATCHING and release.rollout.judged_until is not None:
        subject = Subject(policy.production.name, policy.production.variant)
        return measure(release, policy.analysis, subject, deps) or Tick(now)
    return Tick(now)


def _guarded_by_alarms(release: Release) -> bool:
    """Production serves the release (watched, or paused after it went live), or a progressive step's share of it:
    SageMaker's guardrails watch only its own blue/green updates, so the policy's alarms are ours to read."""
    paused_live = release.stage is Stage.PAUSED and release.live_since is not None
    return release.stage is Stage.WATCHING or paused_live or split_serving(release)


def _alarms_firing(policy: ReleasePolicy, deps: ReleaseDeps, now: datetime) -> AlarmsFiring | None:
    firing = deps.alarms.firing(policy.alarms) if policy.alarms else ()
    if not firing:
        return None
    times = [alarm.since for alarm in firing if alarm.since is not None]
    return AlarmsFiring(now, tuple(alarm.name for alarm in firing), min(times, default=None))


def _seen_now(release: Release, policy: ReleasePolicy, deps: ReleaseDeps, now: datetime) -> EndpointSeen:
    seen = _seen("production", production_view(release.group, policy, deps), now)
    if policy.analysis is not None:  # judged from the moment production serves it
        seen = replace(seen, judged_every=timedelta(seconds=policy.analysis.interval_seconds))
    # A first release creates the endpoint (CreateEndpoint has no canary): only an update is counted.
    canary = policy.counts_canary and release.previous is not None
    if seen.status == "InService" and seen.config == release.production_config and canary:
        since = release.deadline - release.rules.production_deadline  # when production started
        invocations = deps.alarms.invocations(policy.production.name, policy.production.variant, since, now)
        return replace(seen, canary_invocations=invocations)
    return seen


def _seen(role: str, view: EndpointView | None, now: datetime) -> EndpointSeen:
    if view is None:
        return EndpointSeen(now, role, MISSING, None)
    return EndpointSeen(now, role, view.status, view.config, view.failure)
