"""A release section's endpoints must fit its target: instances for realtime and async (async also needs its
async_inference), serverless capacity for serverless, no endpoint at all for batch (its batch_transform instead),
and only the deployments SageMaker can run on that target. Pure: a schema-valid document in, problems out.

SageMaker's deployment guardrails cannot shift a serverless endpoint's traffic in steps (canary, linear):
such an UpdateEndpoint is refused mid-release, after staging passed. Refused here instead, when the policy
is loaded, with the deployment types the target allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ROLES = ("staging", "production")
DEPLOYMENTS = {
    "realtime": ("ALL_AT_ONCE", "CANARY", "LINEAR"),
    "async": ("ALL_AT_ONCE", "CANARY", "LINEAR"),
    "serverless": ("ALL_AT_ONCE",),
    "batch": ("ALL_AT_ONCE",),  # publishing a parameter moves every reader at once
}
WHY_ALL_AT_ONCE = {
    "serverless": "SageMaker's deployment guardrails shift a serverless endpoint's traffic all at once",
    "batch": "a batch target has no traffic to shift: its production parameter names one model",
}
INSTANCE_KEYS = ("instance_type", "instance_count")


def allowed_deployments(target: str) -> tuple[str, ...]:
    return DEPLOYMENTS.get(target, ())


def target_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release")
    if not isinstance(release, Mapping):
        return []
    target = str(release.get("target", "realtime"))
    endpoints = [(role, release[role]) for role in ROLES if isinstance(release.get(role), Mapping)]
    if target == "batch":
        problems = [f"release.{role}: a batch target has no endpoint (remove it)" for role, _ in endpoints]
    else:
        missing = [role for role in ROLES if role not in release]
        problems = [f'release: {role} (an endpoint) is needed for release.target "{target}"' for role in missing]
    if target == "serverless":
        problems += [problem for role, spec in endpoints for problem in _serverless_endpoint(role, spec)]
    elif target != "batch":
        problems += [problem for role, spec in endpoints for problem in _instance_endpoint(role, spec, target)]
    return [
        *problems,
        *_async_section(release, target),
        *_batch_section(release, target),
        *_deployment(release, target),
    ]


def _batch_section(release: Mapping[str, Any], target: str) -> list[str]:
    if target == "batch" and "batch_transform" not in release:
        return ["release: a batch target needs batch_transform (input_path, output_path, instance_type, content_type)"]
    if target != "batch" and "batch_transform" in release:
        return [f'release.batch_transform: only for release.target "batch" (it is "{target}")']
    return []


def _async_section(release: Mapping[str, Any], target: str) -> list[str]:
    if target == "async" and "async_inference" not in release:
        return ["release: an async target needs async_inference (output_path, failure_path, smoke_input_path)"]
    if target != "async" and "async_inference" in release:
        return [f'release.async_inference: only for release.target "async" (it is "{target}")']
    return []


def _instance_endpoint(role: str, spec: Mapping[str, Any], target: str) -> list[str]:
    problems = []
    if "instance_type" not in spec:
        problems.append(f'release.{role}: instance_type is needed for release.target "{target}"')
    if "serverless" in spec:
        problems.append(f'release.{role}.serverless: only for release.target "serverless" (it is "{target}")')
    return problems


def _serverless_endpoint(role: str, spec: Mapping[str, Any]) -> list[str]:
    problems = []
    instance = [key for key in INSTANCE_KEYS if key in spec]
    if instance:
        problems.append(
            f"release.{role}: {', '.join(instance)} do not apply to a serverless endpoint (its capacity is serverless)"
        )
    capacity = spec.get("serverless")
    if not isinstance(capacity, Mapping):
        problems.append(f"release.{role}: a serverless endpoint needs serverless (memory_size_mb, max_concurrency)")
        return problems
    provisioned, most = capacity.get("provisioned_concurrency"), capacity.get("max_concurrency", 0)
    if provisioned is not None and provisioned > most:
        problems.append(
            f"release.{role}.serverless: provisioned_concurrency {provisioned} is more than max_concurrency {most}"
        )
    return problems


def _deployment(release: Mapping[str, Any], target: str) -> list[str]:
    deployment = release.get("deployment")
    kind = deployment.get("type") if isinstance(deployment, Mapping) else None
    allowed = allowed_deployments(target)
    if kind is None or kind in allowed or kind == "PROGRESSIVE":  # not blue/green: rollout_checks judges it
        return []
    return [
        f"release.deployment.type: {kind} is not available for a {target} target ({WHY_ALL_AT_ONCE.get(target, '')}); "
        f"allowed: {', '.join(allowed)}"
    ]
