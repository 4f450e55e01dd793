"""The policy's `release.deployment` and `release.shadow` as frozen values: how production moves to a new
config (SageMaker's blue/green update, or PROGRESSIVE steps), and the shadow test before any of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

MINUTE = 60


@dataclass(frozen=True)
class TrafficSize:
    """A canary's size or a linear step's: a number of instances or a percentage of the fleet's capacity."""

    unit: str  # INSTANCE_COUNT or CAPACITY_PERCENT
    value: int


@dataclass(frozen=True)
class Deployment:
    """How production moves to a new config: SageMaker's blue/green update, its alarms as guardrails; or
    PROGRESSIVE: the champion and the challenger as two variants, the challenger's weight raised step by step."""

    traffic: str = "ALL_AT_ONCE"  # or CANARY, LINEAR, PROGRESSIVE
    bake_seconds: int = 0  # between traffic steps
    termination_wait_seconds: int = 0  # the old fleet kept after the last step
    canary_size: TrafficSize | None = None  # CANARY only
    linear_step_size: TrafficSize | None = None  # LINEAR only
    rollback_alarms: tuple[str, ...] = ()
    steps: tuple[int, ...] = ()  # PROGRESSIVE only: the challenger's percent of traffic per step
    step_minutes: float = 0  # PROGRESSIVE only

    @property
    def shifts_traffic(self) -> bool:
        return self.traffic in ("CANARY", "LINEAR")

    @property
    def blue_green(self) -> Deployment:
        """The UpdateEndpoint's DeploymentConfig: a progressive release's last move (and a first release,
        with no champion to compare with) goes all at once."""
        return replace(self, traffic="ALL_AT_ONCE", steps=()) if self.traffic == "PROGRESSIVE" else self


@dataclass(frozen=True)
class ShadowTest:
    """`release.shadow`: before any production traffic, the challenger answers copies of production's requests."""

    sampling_percent: int
    minutes: float


def deployment_of(spec: Mapping[str, Any], alarms: tuple[str, ...]) -> Deployment:
    traffic = spec.get("type", "ALL_AT_ONCE")
    return Deployment(
        traffic=traffic,
        bake_seconds=_seconds(spec, "bake_minutes"),
        termination_wait_seconds=_seconds(spec, "termination_wait_minutes"),
        canary_size=_size(spec["canary_size"]) if traffic == "CANARY" else None,
        linear_step_size=_size(spec["linear_step_size"]) if traffic == "LINEAR" else None,
        rollback_alarms=alarms,
        steps=tuple(int(step) for step in spec.get("steps", ())) if traffic == "PROGRESSIVE" else (),
        step_minutes=spec.get("step_minutes", 0) if traffic == "PROGRESSIVE" else 0,
    )


def shadow_of(spec: Mapping[str, Any] | None) -> ShadowTest | None:
    return ShadowTest(int(spec["sampling_percent"]), spec["minutes"]) if spec else None


def _seconds(deployment: Mapping[str, Any], key: str) -> int:
    return int(deployment.get(key, 0) * MINUTE)


def _size(spec: Mapping[str, Any]) -> TrafficSize:
    return TrafficSize(spec["type"], int(spec["value"]))
