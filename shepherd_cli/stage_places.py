"""Where a group's staging and production endpoints live: the app's own account and region, or the policy's."""

from __future__ import annotations

from typing import Any

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
    """`staging: fraud-staging (account 222222222222, region eu-west-1)   production: ...`, or empty."""
    return "   ".join(
        f"{stage}: {where['endpoint']} (account {where['account']}, region {where['region']})"
        for stage, where in places.items()
    )
