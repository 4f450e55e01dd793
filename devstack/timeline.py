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
        if isinstance(result.get("groups"), Mapping):  # the release engine: endpoint, alarm, reconciler
            return "; ".join(f"{group}: {describe_release(moved)}" for group, moved in result["groups"].items())
        if "stage" in result or "queued" in result:
            return describe_release(result)
    return "ok" if result is None else str(result)[:100]


def describe_release(result: Any) -> str:
    """One release step as people say it: 'v3 PRODUCTION (deploy_production)', 'v4 queued'."""
    if not isinstance(result, Mapping):
        return str(result)[:100]
    if result.get("error") or result.get("skipped"):
        return str(result.get("error") or f"skipped: {result['skipped']}")
    if result.get("changed") is False:
        return "nothing in flight"
    version = f"v{result['version']} " if result.get("version") else ""
    if result.get("queued"):
        return f"{version}queued behind the release in flight"
    said = f"{version}{result.get('stage') or 'nothing in flight'}"
    if result.get("actions"):
        said += f" ({', '.join(result['actions'])})"
    if result.get("reason"):
        said += f": {result['reason']}"
    if result.get("restored"):
        said += f" (production restored to v{result['restored']})"
    return said


def idle(invocation: Invocation) -> bool:
    """A reconciler tick that moved no group: with a fast clock, every second; worth a line only with --verbose."""
    result = invocation.result
    if invocation.handler != "release_reconcile" or invocation.error or not isinstance(result, Mapping):
        return False
    groups = result.get("groups")
    return isinstance(groups, Mapping) and all(
        describe_release(moved) == "nothing in flight" for moved in groups.values()
    )


def line(invocation: Invocation, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%H:%M:%S")
    return (
        f"{stamp}  {invocation.handler:<10} <- {describe_event(invocation.event)}"
        f"  -> {describe_result(invocation)} ({invocation.seconds:.2f}s)"
    )
