"""What each of a release's two endpoints runs on: instances (a real-time target) or serverless capacity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REALTIME = "realtime"
SERVERLESS = "serverless"


@dataclass(frozen=True)
class ServerlessSpec:
    """SageMaker's ProductionVariantServerlessConfig: memory and concurrency instead of instances."""

    memory_mb: int
    max_concurrency: int
    provisioned_concurrency: int | None = None  # instances kept warm; none: every cold start is paid


@dataclass(frozen=True)
class EndpointSpec:
    name: str
    instance_type: str | None  # None on a serverless endpoint
    instance_count: int = 1
    variant: str = "AllTraffic"
    serverless: ServerlessSpec | None = None


def endpoint_spec(spec: Mapping[str, Any]) -> EndpointSpec:
    serverless = spec.get("serverless")
    return EndpointSpec(
        spec["endpoint_name"],
        spec.get("instance_type"),
        int(spec.get("instance_count", 1)),
        spec.get("variant_name", "AllTraffic"),
        _serverless(serverless) if serverless else None,
    )


def _serverless(spec: Mapping[str, Any]) -> ServerlessSpec:
    provisioned = spec.get("provisioned_concurrency")
    return ServerlessSpec(
        memory_mb=int(spec["memory_size_mb"]),
        max_concurrency=int(spec["max_concurrency"]),
        provisioned_concurrency=int(provisioned) if provisioned is not None else None,
    )
