"""What the release engine does to AWS for each action (what it looks at first: release.observe)."""

from __future__ import annotations

from chalicelib.hooks.service import ask, pre_rollout
from chalicelib.release import batch_steps
from chalicelib.release.deps import ReleaseDeps, production_deps, staging_deps
from chalicelib.release.machine import (
    IN_SERVICE,
    Action,
    EndpointSeen,
    Event,
    SmokeTested,
)
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.production import restore_approved
from chalicelib.release.progressive import split_serving
from chalicelib.release.progressive_steps import deploy_production, drain_challenger, set_step_weights
from chalicelib.release.shadow_steps import deploy_shadow
from chalicelib.release.smoke_steps import run_smoke_tests
from chalicelib.release.state import Release
from chalicelib.release.target_fit import other_target, refuse_production_of_another_target
from chalicelib.shared.errors import ReleaseStepError
from chalicelib.shared.model_version import APPROVED
from chalicelib.shared.observability import count, logger


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
