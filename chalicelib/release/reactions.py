"""Endpoint and alarm events name an endpoint or an alarm: find the groups whose policy uses it, move them on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.results import ReleaseResult
from chalicelib.release.service import advance
from chalicelib.shared.errors import InvalidPolicyError


@dataclass(frozen=True)
class Reaction:
    """What one endpoint or alarm event moved: each group whose release policy names it."""

    subject: Literal["endpoint", "alarm"]
    name: str
    groups: Mapping[str, ReleaseResult] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        if not self.groups:
            return {self.subject: self.name, "skipped": f"no group's release policy names this {self.subject}"}
        return {self.subject: self.name, "groups": {group: result.as_dict() for group, result in self.groups.items()}}


def on_endpoint_change(endpoint: str, deps: ReleaseDeps) -> Reaction:
    groups = _groups(deps, lambda policy: endpoint in (policy.staging.name, policy.production.name))
    return Reaction("endpoint", endpoint, {group: advance(group, deps) for group in groups})


def on_alarm_firing(alarm: str, deps: ReleaseDeps) -> Reaction:
    groups = _groups(deps, lambda policy: alarm in policy.alarms)
    return Reaction("alarm", alarm, {group: advance(group, deps) for group in groups})


def _groups(deps: ReleaseDeps, uses: Callable[[ReleasePolicy], bool]) -> list[str]:
    found = []
    for group in deps.policies.groups():
        try:
            policy = release_policy(group, deps)
        except InvalidPolicyError:
            continue  # invalid, and no release ever ran under a valid one: nothing here to react for
        if policy is not None and uses(policy):
            found.append(group)
    return found
