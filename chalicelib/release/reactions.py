"""Endpoint and alarm events name an endpoint or an alarm: find the groups whose policy uses it, move them on."""

from __future__ import annotations

from typing import Any

from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.service import advance, release_policy
from chalicelib.release.steps import ReleaseDeps


def on_endpoint_change(endpoint: str, deps: ReleaseDeps) -> dict[str, Any]:
    groups = _groups(deps, lambda policy: endpoint in (policy.staging.name, policy.production.name))
    if not groups:
        return {"endpoint": endpoint, "skipped": "no group's release policy names this endpoint"}
    return {"endpoint": endpoint, "groups": {group: advance(group, deps) for group in groups}}


def on_alarm(alarm: str, deps: ReleaseDeps) -> dict[str, Any]:
    groups = _groups(deps, lambda policy: alarm in policy.alarms)
    if not groups:
        return {"alarm": alarm, "skipped": "no group's release policy names this alarm"}
    return {"alarm": alarm, "groups": {group: advance(group, deps) for group in groups}}


def _groups(deps: ReleaseDeps, uses: Any) -> list[str]:
    found = []
    for group in deps.policies.groups():
        policy: ReleasePolicy | None = release_policy(group, deps)
        if policy is not None and uses(policy):
            found.append(group)
    return found
