"""Where a stage's endpoint lives when it is not in the app's own account and region (the policy's per-stage
`account`, `region`, `role_arn` and `external_id`). Absent, a stage is where the app is: nothing changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PLACEMENT_KEYS = ("account", "region", "role_arn", "external_id")


@dataclass(frozen=True)
class Placement:
    account: str | None = None  # None: the app's own (or the role's, when only role_arn is given)
    region: str | None = None  # None: the app's own
    role_arn: str | None = None  # None: the app's own credentials (a stage in another region only)
    external_id: str | None = None

    @property
    def role_account(self) -> str | None:
        """The account the deploy role belongs to (the fifth field of its ARN)."""
        return role_account(self.role_arn) if self.role_arn else None

    @property
    def target_account(self) -> str | None:
        return self.account or self.role_account

    def describe(self, stage: str) -> str:
        """`staging (account 222222222222, region eu-west-1, role arn:...)`: what an error says to name it."""
        parts = [
            f"account {self.target_account or 'of the app'}",
            f"region {self.region or 'of the app'}",
            *([f"role {self.role_arn}"] if self.role_arn else []),
        ]
        return f"{stage} ({', '.join(parts)})"


@dataclass(frozen=True)
class Placements:
    staging: Placement | None = None
    production: Placement | None = None


def role_account(role_arn: str) -> str:
    fields = role_arn.split(":")
    return fields[4] if len(fields) > 5 else ""


def execution_role_in(role_arn: str, place: Placement | None) -> str:
    """The model's execution role as the stage's account knows it: the same role name in that account (the
    target-account template makes it), since SageMaker only runs a model as a role of its own account."""
    account = place.target_account if place else None
    fields = role_arn.split(":")
    if account is None or len(fields) < 6:
        return role_arn
    return ":".join([*fields[:4], account, *fields[5:]])


def placement(spec: Mapping[str, Any]) -> Placement | None:
    """The stage's placement, or None when it names none of the keys (the app's own account and region)."""
    if not any(key in spec for key in PLACEMENT_KEYS):
        return None
    return Placement(spec.get("account"), spec.get("region"), spec.get("role_arn"), spec.get("external_id"))


def placements(section: Mapping[str, Any]) -> Placements:
    return Placements(placement(section.get("staging", {})), placement(section.get("production", {})))
