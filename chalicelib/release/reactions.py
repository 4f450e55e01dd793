"""Endpoint, transform job and alarm events name an endpoint, a job or an alarm: find the groups whose policy
uses it, move them on. A batch target's smoke job is named after its release (names.py): the group whose name
prefix it carries is the one to move."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from chalicelib.release.deps import ReleaseDeps, release_policy
from chalicelib.release.machine import AlarmsFiring
from chalicelib.release.names import name_prefix
from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.repair import return_production
from chalicelib.release.results import ReleaseResult
from chalicelib.release.service import advance
from chalicelib.shared.errors import InvalidPolicyError


@dataclass(frozen=True)
class Reaction:
    """What one endpoint or alarm event moved: each group whose release policy names it."""

    subject: Literal["endpoint", "transform job", "alarm"]
    name: str
    groups: Mapping[str, ReleaseResult] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        if not self.groups:
            return {self.subject: self.name, "skipped": f"no group's release policy names this {self.subject}"}
        return {self.subject: self.name, "groups": {group: result.as_dict() for group, result in self.groups.items()}}


def on_endpoint_change(endpoint: str, deps: ReleaseDeps) -> Reaction:
    groups = _groups(deps, lambda policy: endpoint in (policy.staging.name, policy.production.name))
    return Reaction("endpoint", endpoint, {group: _endpoint_changed(group, endpoint, deps) for group in groups})


def _endpoint_changed(group: str, endpoint: str, deps: ReleaseDeps) -> ReleaseResult:
    result = advance(group, deps)
    policy = release_policy(group, deps)
    if policy is not None and endpoint == policy.production.name:
        return_production(group, policy, deps)  # a restore refused while it was Updating goes now
    return result


def on_transform_job_change(job: str, deps: ReleaseDeps) -> Reaction:
    def started(group: str) -> bool:  # its release names its jobs (names.py)
        return job.startswith(f"{name_prefix(group)}-v")

    groups = _groups(deps, lambda policy: policy.batch is not None, started)
    return Reaction("transform job", job, {group: advance(group, deps) for group in groups})


def on_alarm_firing(alarm: str, deps: ReleaseDeps, fired_at: datetime | None = None) -> Reaction:
    """`fired_at`, the alarm's own state-change time, judges the watch window however late the event comes."""
    groups = _groups(deps, lambda policy: alarm in policy.alarms)
    fired = AlarmsFiring(deps.clock(), (alarm,), fired_at) if fired_at else None
    return Reaction("alarm", alarm, {group: advance(group, deps, fired) for group in groups})


def _groups(
    deps: ReleaseDeps, uses: Callable[[ReleasePolicy], bool], named: Callable[[str], bool] = lambda _: True
) -> list[str]:
    found = []
    for group in filter(named, deps.policies.groups()):  # the name first: no policy read for another group's job
        try:
            policy = release_policy(group, deps)
        except InvalidPolicyError:
            continue  # invalid, and no release ever ran under a valid one: nothing here to react for
        if policy is not None and uses(policy):
            found.append(group)
    return found
