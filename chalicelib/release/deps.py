"""What every release use case is handed: its ports, the clock, and the group's release policy read through them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.release.policy import ReleasePolicy
from chalicelib.release.ports import Alarms, Endpoints, Invoker, Packages, ReleaseStore
from chalicelib.shared.errors import InvalidPolicyError, PolicyNotFoundError
from chalicelib.shared.ports import Notifier, Policies

ATTEMPTS = 3  # conditional-write races lost before giving up (the event is retried, the reconciler repairs)


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


def release_policy(group: str, deps: ReleaseDeps) -> ReleasePolicy | None:
    """The group's release section; None when the group has no (valid) policy or the policy has no release."""
    try:
        section = deps.policies.get(group).section("release")
    except (PolicyNotFoundError, InvalidPolicyError):
        return None
    return ReleasePolicy.from_section(section) if section else None
