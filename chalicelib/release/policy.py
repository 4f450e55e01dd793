"""The policy's `release` section as frozen values (the document already passed the policy schema)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from chalicelib.analysis.policy import Analysis, analysis_of
from chalicelib.hooks.policy import HookPolicy, hook_policy
from chalicelib.release.batch_spec import BatchSpec, batch_spec
from chalicelib.release.endpoint_spec import NO_ENDPOINT, EndpointSpec, async_spec, endpoint_spec
from chalicelib.release.placement import Placements, execution_role_in, placements
from chalicelib.release.state import Rules

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


@dataclass(frozen=True)
class SmokeTest:
    name: str
    body: str
    content_type: str
    accept: str | None = None
    expect_status: int = 200
    parseable: bool = True  # the response must parse as JSON (or CSV numbers)
    minimum: float | None = None
    maximum: float | None = None
    labels: tuple[str, ...] = ()
    field: str | None = None  # where the prediction sits in a JSON object response
    max_latency_ms: float | None = None


@dataclass(frozen=True)
class ReleasePolicy:
    execution_role_arn: str
    staging: EndpointSpec
    production: EndpointSpec
    deployment: Deployment
    alarms: tuple[str, ...]
    smoke_tests: tuple[SmokeTest, ...]
    rules: Rules
    # The section as JSON: frozen into each release it starts, the fallback if the group's policy turns invalid.
    source: str = field(default="", compare=False, repr=False)
    # Why no new release may start (the group's current policy is invalid and this is the last valid one).
    held: str = ""
    # Each stage's account, region and deploy role, when not the app's own.
    places: Placements = field(default_factory=Placements)
    batch: BatchSpec | None = None  # a batch target: a smoke transform job, production an SSM parameter
    hooks: HookPolicy | None = None  # the rollout hooks: asked before production, before LIVE, after LIVE
    analysis: Analysis | None = None  # metric checks judging the challenger (`release.analysis`)
    shadow: ShadowTest | None = None  # the shadow test before production traffic (`release.shadow`)
    # Each stage's own `execution_role_arn`, when it names one (the policy checks keep it in the stage's account).
    staging_execution_role: str | None = None
    production_execution_role: str | None = None

    @classmethod
    def from_section(cls, section: Mapping[str, Any], held: str = "") -> ReleasePolicy:
        deployment = section.get("deployment", {"type": "ALL_AT_ONCE"})
        deadlines = section.get("deadlines", {})
        alarms = tuple(section.get("alarms", ()))
        promotion = section.get("promotion", "auto")
        manual = promotion if isinstance(promotion, Mapping) else {}
        moves = _deployment(deployment, alarms)
        shadow = _shadow(section.get("shadow"))
        hooks = hook_policy(section)
        return cls(
            execution_role_arn=section["execution_role_arn"],
            staging=_endpoint(section, "staging"),
            production=_endpoint(section, "production"),
            deployment=moves,
            alarms=alarms,
            smoke_tests=tuple(_smoke_test(test) for test in section.get("smoke_tests", ())),
            rules=Rules(
                staging_deadline=timedelta(minutes=deadlines.get("staging_minutes", 30)),
                production_deadline=timedelta(minutes=deadlines.get("production_minutes", 60)),
                watch=timedelta(minutes=section.get("watch_minutes", 60)),
                min_canary_invocations=int(deployment.get("min_canary_invocations", 0)),
                manual_promotion=manual.get("mode") == "manual",
                promotion_expires=timedelta(hours=manual.get("expires_hours", 72)),
                promotion_reminder=timedelta(hours=manual.get("remind_after_hours", 24)),
                progressive_steps=moves.steps,
                step_duration=timedelta(minutes=moves.step_minutes),
                shadow_percent=shadow.sampling_percent if shadow else 0,
                shadow_duration=timedelta(minutes=shadow.minutes if shadow else 0),
                hooks=hooks.names if hooks else (),
            ),
            source=json.dumps(section, sort_keys=True, separators=(",", ":")),
            held=held,
            places=placements(section),
            batch=batch_spec(section),
            hooks=hooks,
            analysis=analysis_of(section),
            shadow=shadow,
            staging_execution_role=section.get("staging", {}).get("execution_role_arn"),
            production_execution_role=section.get("production", {}).get("execution_role_arn"),
        )

    def execution_role(self, stage: str) -> str:
        """The role SageMaker runs `stage`'s model as: the stage's own, else the release's in the stage's account."""
        if stage == "staging":
            return self.staging_execution_role or execution_role_in(self.execution_role_arn, self.places.staging)
        return self.production_execution_role or execution_role_in(self.execution_role_arn, self.places.production)

    @property
    def counts_canary(self) -> bool:
        return self.deployment.shifts_traffic and self.rules.min_canary_invocations > 0


def _endpoint(section: Mapping[str, Any], role: str) -> EndpointSpec:
    # A batch target has none (the policy checks refuse them there, and demand them on every other target).
    return endpoint_spec(section[role], async_spec(section)) if role in section else NO_ENDPOINT


def _deployment(spec: Mapping[str, Any], alarms: tuple[str, ...]) -> Deployment:
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


def _shadow(spec: Mapping[str, Any] | None) -> ShadowTest | None:
    return ShadowTest(int(spec["sampling_percent"]), spec["minutes"]) if spec else None


def _smoke_test(spec: Mapping[str, Any]) -> SmokeTest:
    expect = spec.get("expect", {})
    return SmokeTest(
        name=spec["name"],
        body=spec["body"],
        content_type=spec["content_type"],
        accept=spec.get("accept"),
        expect_status=int(expect.get("status", 200)),
        parseable=bool(expect.get("parseable", True)),
        minimum=expect.get("minimum"),
        maximum=expect.get("maximum"),
        labels=tuple(str(label) for label in expect.get("labels", ())),
        field=expect.get("field"),
        max_latency_ms=spec.get("max_latency_ms"),
    )


def _seconds(deployment: Mapping[str, Any], key: str) -> int:
    return int(deployment.get(key, 0) * MINUTE)


def _size(spec: Mapping[str, Any]) -> TrafficSize:
    return TrafficSize(spec["type"], int(spec["value"]))
