"""The policy's `release` section as frozen values (the document already passed the policy schema)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from chalicelib.analysis.policy import Analysis, analysis_of
from chalicelib.hooks.policy import HookPolicy, hook_policy
from chalicelib.release.batch_spec import BatchSpec, batch_spec
from chalicelib.release.deployment_policy import Deployment, ShadowTest, TrafficSize, deployment_of, shadow_of
from chalicelib.release.endpoint_spec import NO_ENDPOINT, EndpointSpec, async_spec, endpoint_spec
from chalicelib.release.placement import Placements, execution_role_in, placements
from chalicelib.release.smoke_spec import SmokeTest, smoke_test
from chalicelib.release.state import Rules

# One import place for the release section's values (deployment and smoke tests have their own modules).
__all__ = ["Deployment", "ReleasePolicy", "ShadowTest", "SmokeTest", "TrafficSize"]


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
        moves = deployment_of(deployment, alarms)
        shadow = shadow_of(section.get("shadow"))
        hooks = hook_policy(section)
        return cls(
            execution_role_arn=section["execution_role_arn"],
            staging=_endpoint(section, "staging"),
            production=_endpoint(section, "production"),
            deployment=moves,
            alarms=alarms,
            smoke_tests=tuple(smoke_test(test) for test in section.get("smoke_tests", ())),
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
