"""What PROGRESSIVE's steps do to production's endpoint, and what they look at: the split config, the variants'
weights, the measurement of the challenger against the champion. Every move is compared with what is first,
so a repeated event (or the reconciler) finds it done; an endpoint still Updating is waited for."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.analysis.ports import Subject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.machine import Event
from chalicelib.release.measuring import measure, production_on
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.progressive import progressive, split_config, step_percent, stepping
from chalicelib.release.state import Release
from chalicelib.release.variant_ports import Variants, challenger_variant
from chalicelib.shared.errors import ProductionBusyError, ReleaseStepError
from chalicelib.shared.observability import count, logger


def split_observed(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> Event:
    """`deps` are production's. The endpoint as it is; on the split config mid-step, a weight that is not the
    step's, else a measurement if one is due."""
    seen, stepping = production_on(split_config(release), release, policy.production.name, deps)
    if not stepping:
        return seen
    percent = challenger_percent(policy, deps)
    if percent is not None and percent != step_percent(release):
        return replace(seen, challenger_weight=percent)
    champion = policy.production.variant
    baseline = champion if step_percent(release) < 100 else None  # at 100% the champion serves nothing to compare
    subject = Subject(policy.production.name, challenger_variant(champion), baseline)
    return measure(release, policy.analysis, subject, deps) or seen


def challenger_percent(policy: ReleasePolicy, deps: ReleaseDeps) -> int | None:
    """The challenger's percent of production's traffic (VariantView's share, 0 to 1, in the steps' unit); None
    while a weight change settles, or with no challenger variant."""
    challenger = challenger_variant(policy.production.variant)
    for view in _variants(deps).variants(policy.production.name):
        if view.name == challenger:
            pending = view.desired_weight is not None and view.desired_weight != view.weight
            return None if pending else round(view.weight * 100)
    return None


def deploy_production(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    """Production's endpoint to the release: the split config while it steps; after the last step the
    challenger's own config as a plain update (SageMaker's default, all at once: blue/green guardrails want the
    old config's variant names); else the policy's blue/green update (a first release's, all at once)."""
    if stepping(release):
        deploy_split(release, policy, deps)
    elif progressive(release):
        deps.endpoints.deploy(policy.production.name, release.production_config)
    else:
        deps.endpoints.deploy(policy.production.name, release.production_config, policy.deployment.blue_green)


def deploy_split(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    """The champion's model and the challenger's side by side at the first step's weight, then production on it."""
    assert release.previous is not None
    name = split_config(release)
    _variants(deps).create_split_config(
        name, policy.production, release.previous.config, release.model, step_percent(release)
    )
    deps.endpoints.deploy(policy.production.name, name)


def set_step_weights(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    percent = step_percent(release)
    if challenger_percent(policy, deps) == percent:
        return  # a repeated event: already done
    _weights(release, policy, deps, percent)


def drain_challenger(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    """A failed step: the challenger's traffic to 0 at once (the restore that follows replaces the fleet)."""
    try:
        _weights(release, policy, deps, 0)
    except ReleaseStepError as error:  # the restore still goes; the endpoint's next event repairs what is left
        logger.error("draining the challenger failed", extra={"release": release.label, "error": str(error)})


def _weights(release: Release, policy: ReleasePolicy, deps: ReleaseDeps, percent: int) -> None:
    champion = policy.production.variant
    weights = {champion: 100 - percent, challenger_variant(champion): percent}
    try:
        _variants(deps).set_weights(policy.production.name, weights)
    except ProductionBusyError:  # still Updating: the next endpoint event (or the reconciler) compares again
        logger.info("production busy: the weights wait", extra={"release": release.label, "weights": weights})
        count("ProgressiveWeightsDeferred")
        return
    count("ProgressiveWeightsSet")


def _variants(deps: ReleaseDeps) -> Variants:
    if deps.variants is None:
        raise ReleaseStepError("this deployment has no variants adapter for a PROGRESSIVE release")
    return deps.variants
