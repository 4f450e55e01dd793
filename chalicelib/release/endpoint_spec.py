"""What each of a release's two endpoints runs on: instances (real-time and async targets) or serverless
capacity; an async endpoint also says where its answers go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REALTIME = "realtime"
SERVERLESS = "serverless"
ASYNC = "async"


@dataclass(frozen=True)
class ServerlessSpec:
    """SageMaker's ProductionVariantServerlessConfig: memory and concurrency instead of instances."""

    memory_mb: int
    max_concurrency: int
    provisioned_concurrency: int | None = None  # instances kept warm; none: every cold start is paid


@dataclass(frozen=True)
class AsyncSpec:
    """SageMaker's AsyncInferenceConfig, and where smoke tests put their requests (S3 URIs)."""

    output_path: str
    failure_path: str
    smoke_input_path: str
    success_topic: str | None = None
    error_topic: str | None = None
    max_concurrent_invocations: int | None = None


@dataclass(frozen=True)
class EndpointSpec:
    name: str
    instance_type: str | None  # None on a serverless endpoint
    instance_count: int = 1
    variant: str = "AllTraffic"
    serverless: ServerlessSpec | None = None
    asynchronous: AsyncSpec | None = None


NO_ENDPOINT = EndpointSpec("", None)  # a batch target's: no name SageMaker can send an endpoint event for


def endpoint_spec(spec: Mapping[str, Any], asynchronous: AsyncSpec | None = None) -> EndpointSpec:
    serverless = spec.get("serverless")
    return EndpointSpec(
        spec["endpoint_name"],
        spec.get("instance_type"),
        int(spec.get("instance_count", 1)),
        spec.get("variant_name", "AllTraffic"),
        _serverless(serverless) if serverless else None,
        asynchronous,
    )


def async_spec(release: Mapping[str, Any]) -> AsyncSpec | None:
    """Both endpoints' AsyncInferenceConfig, when the release section's target is async."""
    spec = release.get("async_inference")
    if release.get("target") != ASYNC or not spec:
        return None
    most = spec.get("max_concurrent_invocations")
    return AsyncSpec(
        output_path=spec["output_path"],
        failure_path=spec["failure_path"],
        smoke_input_path=spec["smoke_input_path"],
        success_topic=spec.get("success_topic"),
        error_topic=spec.get("error_topic"),
        max_concurrent_invocations=int(most) if most is not None else None,
    )


def _serverless(spec: Mapping[str, Any]) -> ServerlessSpec:
    provisioned = spec.get("provisioned_concurrency")
    return ServerlessSpec(
        memory_mb=int(spec["memory_size_mb"]),
        max_concurrency=int(spec["max_concurrency"]),
        provisioned_concurrency=int(provisioned) if provisioned is not None else None,
    )
