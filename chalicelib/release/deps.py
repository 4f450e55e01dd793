"""What every release use case is handed: its ports, the clock, and the group's release policy read through them."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from chalicelib.analysis.ports import Judge
from chalicelib.hooks.ports import HookCaller
from chalicelib.release.arrival_ports import EventArrivals
from chalicelib.release.batch_ports import BatchPorts
from chalicelib.release.lifecycle_ports import LifeCycles
from chalicelib.release.messages import policy_invalid_notification
from chalicelib.release.placement import Placement
from chalicelib.release.places import Places
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.ports import Alarms, AsyncInvoker, Endpoints, Invoker, Packages, ReleaseStore
from chalicelib.release.state import GroupState
from chalicelib.release.variant_ports import Variants
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError, StageAccessError
from chalicelib.shared.observability import count, logger
from chalicelib.shared.ports import Notifier, Policies

ATTEMPTS = 3  # conditional-write races lost before giving up (the event is retried, the reconciler repairs)
REPORT_AGAIN_AFTER = timedelta(hours=1)  # an invalid policy is reported once per problem per hour per container


@dataclass
class ReleaseDeps:
    store: ReleaseStore
    endpoints: Endpoints
    invoker: Invoker
    alarms: Alarms
    packages: Packages
    policies: Policies
    notifier: Notifier
    clock: Callable[[], datetime]
    # When each invalid policy (group and problem digest) was last reported by this process.
    policy_reports: dict[str, datetime] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep  # the smoke step's pause before a throttled call again
    async_invoker: AsyncInvoker | None = None  # smoke tests of an async target's staging endpoint
    places: Places | None = None  # stages in other accounts or regions; None: every stage is the app's own
    batch: BatchPorts | None = None  # a batch target's smoke transform job and production parameter
    judge: Judge | None = None  # the metric analysis (`release.analysis`, progressive steps, shadow tests)
    variants: Variants | None = None  # two variants on production's endpoint (progressive, shadow)
    hooks: HookCaller | None = None  # the policy's rollout hooks (`release.hooks`): Lambda functions, HTTPS URLs
    arrivals: EventArrivals | None = None  # when each stage account's events last arrived (forwarding checks)
    lifecycles: LifeCycles | None = None  # each version's ModelLifeCycle in the registry; None: not written


def staging_deps(policy: ReleasePolicy, deps: ReleaseDeps) -> ReleaseDeps:
    """`deps` whose endpoints, invoker and alarms are the staging stage's (its account and region)."""
    return _at(policy.places.staging, "staging", deps)


def production_deps(policy: ReleasePolicy, deps: ReleaseDeps) -> ReleaseDeps:
    return _at(policy.places.production, "production", deps)


def _at(place: Placement | None, stage: str, deps: ReleaseDeps) -> ReleaseDeps:
    if place is None:
        return deps  # today's single account and region, unchanged
    if deps.places is None:  # never the app's own credentials in the stage's stead
        raise StageAccessError(f"{place.describe(stage)}: this deployment cannot reach other accounts or regions")
    adapters = deps.places.at(place, stage)
    return replace(
        deps,
        endpoints=adapters.endpoints,
        invoker=adapters.invoker,
        alarms=adapters.alarms,
        async_invoker=adapters.async_invoker,  # never the app's own S3 and runtime in the stage's stead
        judge=adapters.judge,
        variants=adapters.variants,
    )


def release_policy(group: str, deps: ReleaseDeps, state: GroupState | None = None) -> ReleasePolicy | None:
    """The group's release section; None when the group has no policy or the policy has no release.

    An invalid policy is reported, and the last valid one governs instead (held: nothing new starts under
    it): the policy the group's most recent release started under, stored with that release. With none,
    InvalidPolicyError: there is no release to protect and nothing may start.
    """
    try:
        section = deps.policies.get(group).section("release")
    except PolicyNotFoundError:
        return None
    except InvalidPolicyError as error:
        report_invalid(group, str(error), deps)
        return _last_valid(state or deps.store.load(group), error)
    return ReleasePolicy.from_section(section) if section else None


def _last_valid(state: GroupState, error: InvalidPolicyError) -> ReleasePolicy:
    release = state.release
    if release is None or not release.policy:
        raise error
    held = f"the group's policy is invalid, new releases wait until it is fixed: {error}"
    return ReleasePolicy.from_section(json.loads(release.policy), held=held)


def report_invalid(group: str, problem: str, deps: ReleaseDeps) -> None:
    """Log, count `PolicyInvalid` and notify once per distinct problem, again only after an hour."""
    key = f"{group}#{hashlib.sha256(problem.encode()).hexdigest()[:16]}"
    now = deps.clock()
    last = deps.policy_reports.get(key)
    if last is not None and now - last < REPORT_AGAIN_AFTER:
        return
    deps.policy_reports[key] = now
    logger.error("invalid policy: releases of the group are held", extra={"group": group, "problem": problem})
    count("PolicyInvalid")
    deps.notifier.send(policy_invalid_notification(group, problem))
