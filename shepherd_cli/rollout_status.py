"""A judged rollout in `status`: the shadow test or the progressive step, since when, the last judgement, the
analysis's counts, and (asked about one group) the variants' weights as DescribeEndpoint shows them."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.bootstrap import Container
from chalicelib.release.deps import production_deps
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.rollout_view import rollout_view
from chalicelib.release.state import GroupState, Release, Stage
from chalicelib.shared.errors import ShepherdError
from shepherd_cli.reasons import clip

JUDGEMENT_WIDTH = 100
SHOWN_PHASES = (Stage.SHADOW, Stage.PRODUCTION)


def rollout_status(container: Container, state: GroupState | None, weights: bool) -> dict[str, Any] | None:
    """The in-flight release's rollout while it shadows or steps (or is paused there); None otherwise. With
    `weights`, one DescribeEndpoint of production (None when it cannot be read)."""
    release = state.release if state else None
    view = rollout_view(release) if release is not None and release.in_flight else None
    if release is None or view is None or view.phase not in SHOWN_PHASES:
        return None
    shown = view.as_dict()
    shown["weights"] = _weights(container, release) if weights else None
    return shown


def render_rollout(rollout: dict[str, Any] | None) -> str:
    if rollout is None:
        return ""
    since = rollout["since"].strftime("%Y-%m-%d %H:%M") + " UTC" if rollout["since"] else "not serving yet"
    lines = [f"rollout: {rollout['headline']}, since {since}"]
    if rollout["weights"]:
        lines.append("  weights: " + ", ".join(f"{name} {share:g}%" for name, share in rollout["weights"].items()))
    judged = clip(rollout["last_judgement"] or "none yet", JUDGEMENT_WIDTH)
    lines.append(f"  last judgement: {judged}")
    if rollout["failure_limit"] is not None:
        counts = f"failures {rollout['failures']}/{rollout['failure_limit']}"
        lines.append(f"  {counts}, no data {rollout['inconclusive']}/{rollout['inconclusive_limit']}")
    return "\n".join(lines)


def _weights(container: Container, release: Release) -> dict[str, float] | None:
    """variant -> percent of production's traffic (a shadow's: of the requests copied to it)."""
    if not release.policy:
        return None
    try:
        policy = ReleasePolicy.from_section(json.loads(release.policy))
        variants = production_deps(policy, container.release_deps).variants
        if variants is None:
            return None
        views = variants.variants(policy.production.name)
    except (ShepherdError, ValueError, KeyError, TypeError):  # status still answers, without the weights
        return None
    return {view.name + (" (shadow)" if view.shadow else ""): round(view.weight * 100, 1) for view in views}
