"""One readable line per handler invocation: what arrived, what the handler made of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devstack.relay.invoker import Invocation


def describe_event(event: Mapping[str, Any]) -> str:
    detail = event.get("detail") or {}
    kind = str(event.get("detail-type", "event"))
    if "ModelPackageArn" in detail:
        name = "/".join(str(detail["ModelPackageArn"]).split("/")[-2:])
        return f"{kind}: {name} {detail.get('ModelApprovalStatus', '')}".rstrip()
    if "EndpointName" in detail:
        return f"{kind}: {detail['EndpointName']} {detail.get('EndpointStatus', '')}".rstrip()
    return kind


def describe_result(invocation: Invocation) -> str:
    if invocation.error:
        return f"FAILED {invocation.error} (will be retried)"
    result = invocation.result
    if isinstance(result, Mapping):
        if result.get("skipped"):
            return f"skipped: {result['skipped']}"
        if result.get("outcome"):
            applied = "" if result.get("applied", True) else " (not applied)"
            return f"{result['outcome']}{applied}"
    return "ok" if result is None else str(result)[:100]


def line(invocation: Invocation, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%H:%M:%S")
    return (f"{stamp}  {invocation.handler:<10} <- {describe_event(invocation.event)}"
            f"  -> {describe_result(invocation)} ({invocation.seconds:.2f}s)")
