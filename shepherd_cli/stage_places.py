"""Where a group's staging and production endpoints live: the app's own account and region, or the policy's."""

from __future__ import annotations

from typing import Any

from chalicelib.release.arrival_ports import EventArrivals
from chalicelib.release.forwarding import suspected_line
from chalicelib.release.placement import placement

HOME = "this"  # the app's own account or region: the CLI does not ask STS which one that is


def stage_places(policy: Any) -> dict[str, dict[str, str]]:
    """`staging`/`production` -> endpoint, account and region, from the group's release section (if any)."""
    release = policy.section("release") if policy else {}
    places = {}
    for stage in ("staging", "production"):
        spec = release.get(stage)
        if not spec:
            continue
        place = placement(spec)
        places[stage] = {
            "endpoint": spec["endpoint_name"],
            "account": (place.target_account if place else None) or HOME,
            "region": (place.region if place else None) or HOME,
        }
    return places


def render_places(places: dict[str, dict[str, str]]) -> str:
    """`staging: fraud-staging (account 222222222222, region eu-west-1)   production: fraud-prod (the app's
    account and region)`, or empty."""
    return "   ".join(f"{stage}: {where['endpoint']} ({_where(where)})" for stage, where in places.items())


def _where(where: dict[str, str]) -> str:
    account, region = where["account"], where["region"]
    if account == HOME and region == HOME:
        return "the app's account and region"
    return ", ".join(
        (
            "the app's account" if account == HOME else f"account {account}",
            "the app's region" if region == HOME else f"region {region}",
        )
    )


def forwarding_suspects(places: dict[str, dict[str, str]], arrivals: EventArrivals | None) -> list[str]:
    """A line for each stage account whose events the reconciler found not arriving (until one arrives)."""
    accounts = dict.fromkeys(where["account"] for where in places.values() if where["account"] != HOME)
    if arrivals is None:
        return []
    return [suspected_line(account) for account in accounts if arrivals.load(account).suspect]
