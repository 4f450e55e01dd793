"""What the shadow stage does to production's endpoint, and what it looks at: the shadow config (the champion
serving, the challenger answering copies of a sample of its requests) and the challenger's measurements against
the champion's."""

from __future__ import annotations

from chalicelib.analysis.ports import Subject
from chalicelib.release.deps import ReleaseDeps
from chalicelib.release.machine import Event
from chalicelib.release.measuring import measure, production_on
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.shadow_stage import shadow_config
from chalicelib.release.state import Release
from chalicelib.release.variant_ports import challenger_variant
from chalicelib.shared.errors import ReleaseStepError


def shadow_observed(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> Event:
    """`deps` are production's. The endpoint as it is; on the shadow config once the test began, a measurement
    if one is due."""
    seen, testing = production_on(shadow_config(release), release, policy.production.name, deps)
    if not testing:
        return seen
    champion = policy.production.variant
    subject = Subject(policy.production.name, challenger_variant(champion), champion)
    return measure(release, policy.analysis, subject, deps) or seen


def deploy_shadow(release: Release, policy: ReleasePolicy, deps: ReleaseDeps) -> None:
    """The champion's model serving, the release's as its shadow, then production on that config."""
    if deps.variants is None:
        raise ReleaseStepError("this deployment has no variants adapter for a shadow test")
    assert release.previous is not None  # a shadow test needs a champion (shadowing)
    name = shadow_config(release)
    deps.variants.create_shadow_config(
        name, policy.production, release.previous.config, release.model, release.rules.shadow_percent
    )
    deps.endpoints.deploy(policy.production.name, name)
