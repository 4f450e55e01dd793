"""The fake of the one Policies port (chalicelib.shared.ports.Policies), for every feature's tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.shared.errors import PolicyNotFoundError
from chalicelib.shared.policy import Policy


@dataclass
class FakePolicies:
    """Policies by group; a group mapped to an exception raises it (an invalid policy, say)."""

    policies: dict[str, Policy | Exception] = field(default_factory=dict)

    def get(self, group: str) -> Policy:
        if group not in self.policies:
            raise PolicyNotFoundError(group)
        found = self.policies[group]
        if isinstance(found, Exception):
            raise found
        return found

    def groups(self) -> list[str]:
        return sorted(self.policies)
