"""The policy's `release` section as frozen values (the document already passed the policy schema)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.release.state import Rules

MINUTE = 60


@dataclass(frozen=True)
class EndpointSpec:
    name: str
    instance_type: str
    instance_count: int
    variant: str = "AllTraffic"

    def variants(self, model: str) -> list[dict[str, Any]]:
        return [
            {
                "VariantName": self.variant,
                "ModelName": model,
                "InstanceType": self.instance_type,
                "InitialInstanceCount": self.instance_count,
                "InitialVariantWeight": 1.0,
            }
        ]


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
    deployment: Mapping[str, Any]
    alarms: tuple[str, ...]
    smoke_tests: tuple[SmokeTest, ...]
    rules: Rules

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ReleasePolicy:
        deployment = section.get("deployment", {"type": "ALL_AT_ONCE"})
        deadlines = section.get("deadlines", {})
        return cls(
            execution_role_arn=section["execution_role_arn"],
            staging=_endpoint(section["staging"]),
            production=_endpoint(section["production"]),
            deployment=deployment,
            alarms=tuple(section.get("alarms", ())),
            smoke_tests=tuple(_smoke_test(test) for test in section.get("smoke_tests", ())),
            rules=Rules(
                staging_deadline=timedelta(minutes=deadlines.get("staging_minutes", 30)),
                production_deadline=timedelta(minutes=deadlines.get("production_minutes", 60)),
                watch=timedelta(minutes=section.get("watch_minutes", 60)),
                min_canary_invocations=int(deployment.get("min_canary_invocations", 0)),
            ),
        )

    def deployment_config(self) -> dict[str, Any]:
        """UpdateEndpoint's blue/green DeploymentConfig, with the policy's alarms as SageMaker's guardrails."""
        kind = self.deployment.get("type", "ALL_AT_ONCE")
        routing: dict[str, Any] = {"Type": kind, "WaitIntervalInSeconds": _seconds(self.deployment, "bake_minutes")}
        if kind == "CANARY":
            routing["CanarySize"] = _size(self.deployment["canary_size"])
        if kind == "LINEAR":
            routing["LinearStepSize"] = _size(self.deployment["linear_step_size"])
        config: dict[str, Any] = {
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": routing,
                "TerminationWaitInSeconds": _seconds(self.deployment, "termination_wait_minutes"),
            }
        }
        if self.alarms:
            config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in self.alarms]}
        return config

    @property
    def counts_canary(self) -> bool:
        return self.deployment.get("type") in ("CANARY", "LINEAR") and self.rules.min_canary_invocations > 0


def _endpoint(spec: Mapping[str, Any]) -> EndpointSpec:
    return EndpointSpec(
        spec["endpoint_name"],
        spec["instance_type"],
        int(spec.get("instance_count", 1)),
        spec.get("variant_name", "AllTraffic"),
    )


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


def _size(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {"Type": spec["type"], "Value": int(spec["value"])}
