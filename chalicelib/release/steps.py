"""What the release engine does to AWS for each action, and what it looks at before deciding."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib.analysis.ports import Subject
from chalicelib.hooks.service import ask, pre_rollout
from chalicelib.release import batch_steps
from chalicelib.release.deps import ReleaseDeps, production_deps, staging_deps
from chalicelib.release.endpoint_spec import EndpointSpec
from chalicelib.release.machine import (
    IN_SERVICE,
    MISSING,
    Action,
    AlarmsFiring,
    EndpointSeen,
    Event,
    SmokeTested,
    Tick,
)
from chalicelib.release.measuring import measure
from chalicelib.release.policy import ReleasePolicy, SmokeTest
from chalicelib.release.ports import EndpointView
from chalicelib.release.production import production_view, restore_approved
from chalicelib.release.progressive import split_serving, stepping
from chalicelib.release.progressive_steps import deploy_production, drain_challenger, set_step_weights, split_observed
from chalicelib.release.shadow_steps import deploy_shadow, shadow_observed
from chalicelib.release.smoke import Invocation, check
from chalicelib.release.state import Release, Stage
from chalicelib.release.target_fit import other_target, refuse_production_of_another_target
from chalicelib.shared.errors import ReleaseStepError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger

SMOKE_RETRIES = 4  # per smoke-test step: waits of 0.5, 1, 2 and 4 s (7.5 s), shared by its tests
SMOKE_BACKOFF = 0.5


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


def perform(action: Action, release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> Event | None:
    """Do one action; an action with an outcome (the smoke tests) returns it as the next event."""
    logger.info("release action", extra={"action": action.value, "release": release.label})
    count("ReleaseAction", action=action.value)
    batch = policy.batch is not None
    if action is Action.DEPLOY_STAGING:
        batch_steps.start_job(release, policy, deps) if batch else deploy_staging(release, policy, deps)
    elif action is Action.RUN_SMOKE_TESTS:
        failures = batch_steps.smoke_failures(release, policy, deps) if batch else run_smoke_tests(policy, deps)
        return SmokeTested(deps.clock(), failures)
    elif action is Action.DEPLOY_PRODUCTION:
        _still_approved(release, deps)
        if (answer := pre_rollout(release, policy.hooks, deps)) is not None:
            return answer  # recorded first: then this deploy again, or the release FAILED, production untouched
        if not batch:
            deploy_production(release, policy, production_deps(policy, deps))
            return None
        # No event follows an SSM write: once it is accepted, production names the release's model.
        batch_steps.publish(release.group, release, deps)
        return EndpointSeen(deps.clock(), "production", IN_SERVICE, release.production_config)
    elif action is Action.DEPLOY_SHADOW:
        _still_approved(release, deps)
        deploy_shadow(release, policy, production_deps(policy, deps))
    elif action is Action.SET_WEIGHTS:
        set_step_weights(release, policy, production_deps(policy, deps))
    elif action in (Action.CONFIRM_PROMOTION, Action.POST_ROLLOUT):
        return ask(action.value, release, policy.hooks, deps)
    elif action is Action.RESTORE_PREVIOUS and release.previous is not None:
        if split_serving(release):  # the challenger serves a share now: none of it, at once
            drain_challenger(release, policy, production_deps(policy, deps))
        restore_approved(release.group, policy, release.previous, production_deps(policy, deps))
    return None


def _still_approved(release: Release, deps: ReleaseDeps) -> None:
    """Rejected while it was in staging (its event may still be on the way): production is never touched."""
    status = deps.packages.approval(release.arn).status
    if status != APPROVED:
        raise ReleaseStepError(f"v{release.version} is {status}, no longer {APPROVED}")


def deploy_staging(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    # Model and both configs at once: the production config exists before anyone may need it (and a
    # production account that cannot be reached fails the release now, before staging is touched).
    production = production_deps(policy, deps)
    refuse_production_of_another_target(policy.production, production.endpoints)
    deps = staging_deps(policy, deps)
    places = policy.places
    deps.endpoints.create_model(release.model, release.arn, policy.execution_role("staging"))
    deps.endpoints.create_config(release.staging_config, policy.staging, release.model)
    if places.production != places.staging:  # a model is an account's and region's own
        production.endpoints.create_model(release.model, release.arn, policy.execution_role("production"))
    production.endpoints.create_config(release.production_config, policy.production, release.model)
    left = deps.endpoints.describe(policy.staging.name)
    if left is not None and (left.status == "Failed" or other_target(left, policy.staging)):
        # An earlier release left it Failed, or on the other target (SageMaker cannot update an endpoint
        # between instances and serverless): it can only be deleted. Once it is gone (Missing), the machine
        # repairs with this action again and the endpoint is created afresh.
        logger.warning("deleting the staging endpoint", extra={"endpoint": policy.staging.name, "was": left.status})
        deps.endpoints.delete(policy.staging.name)
        return
    deps.endpoints.deploy(policy.staging.name, release.staging_config)


def run_smoke_tests(policy: ReleasePolicy, deps: ReleaseDeps) -> tuple[str, ...]:
    failures: list[str] = []
    waits = [SMOKE_BACKOFF * 2**attempt for attempt in range(SMOKE_RETRIES)]
    for test in policy.smoke_tests:
        failures.extend(check(test, _patiently(policy.staging, test, staging_deps(policy, deps), waits)))
    return tuple(failures)


def _patiently(endpoint: EndpointSpec, test: SmokeTest, deps: ReleaseDeps, waits: list[float]) -> Invocation:
    """A throttled or 5xx call is asked again after a growing pause, while the step's waits last.

    Those pauses are the step's budget, shared by its tests; a fault that outlasts them fails the test,
    saying so."""
    tries = 1
    answer = _ask(endpoint, test, deps)
    while answer.transient and waits:
        count("SmokeCallRetried")
        deps.sleep(waits.pop(0))
        answer, tries = _ask(endpoint, test, deps), tries + 1
    if answer.transient:
        return replace(answer, error=f"{answer.error}, still after {tries} attempt(s)")
    return answer


def _ask(endpoint: EndpointSpec, test: SmokeTest, deps: ReleaseDeps) -> Invocation:
    if endpoint.asynchronous is None:
        return deps.invoker.invoke(endpoint.name, test)
    if deps.async_invoker is None:
        raise ReleaseStepError("this deployment has no asynchronous invoker for an async target's smoke tests")
    return deps.async_invoker.invoke(endpoint.name, test, endpoint.asynchronous)
