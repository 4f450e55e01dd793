"""A policy's endpoints and where they are: one endpoint serves one group, staging and production are two
endpoints, a stage's deploy role is in the stage's account. Pure, like the other policy checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ENDPOINTS = ("staging", "production")
EndpointPlace = tuple[str, str, str]  # (account, region, endpoint name)


def endpoint_names(document: Mapping[str, Any]) -> dict[str, str]:
    """`release.staging.endpoint_name` -> the endpoint name, for each endpoint the release section names."""
    release = document.get("release", {})
    return {
        f"release.{role}.endpoint_name": release[role]["endpoint_name"]
        for role in ENDPOINTS
        if isinstance(release.get(role), Mapping) and "endpoint_name" in release[role]
    }


def endpoint_places(document: Mapping[str, Any]) -> dict[str, EndpointPlace]:
    """`release.staging.endpoint_name` -> where that endpoint is: (account, region, name), "" for the app's own
    account or region; the name in lower case, as SageMaker compares endpoint names."""
    release = document.get("release", {})
    names = endpoint_names(document)
    return {key: (*_place(release.get(key.split(".")[1])), str(name).lower()) for key, name in names.items()}


def endpoints_claimed_by_others(
    group: str, document: Mapping[str, Any], claims: Mapping[EndpointPlace, Iterable[str]]
) -> list[str]:
    """`claims`: an endpoint's place -> the groups whose policies name it. One endpoint serves one group; one
    name in two accounts or regions is two endpoints."""
    problems = []
    names = endpoint_names(document)
    for key, place in endpoint_places(document).items():
        others = sorted(set(claims.get(place, ())) - {group})
        if others:
            problems.append(f"{key}: endpoint {names[key]!r} is also in the policy of {', '.join(others)}")
    return problems


def endpoints_shared_within(document: Mapping[str, Any]) -> list[str]:
    names = endpoint_names(document)
    release = document.get("release", {})
    # One name in two accounts or regions is two endpoints (a team may well call both `fraud`).
    places = {_place(release.get(role)) for role in ENDPOINTS}
    if len(names) == len(ENDPOINTS) and len(set(names.values())) == 1 and len(places) == 1:
        return [f"release: staging and production are the same endpoint {next(iter(names.values()))!r}"]
    return []


def _place(stage: Any) -> tuple[str, str]:
    stage = stage if isinstance(stage, Mapping) else {}
    role = str(stage.get("role_arn", ""))
    return str(stage.get("account") or _arn_account(role)), str(stage.get("region", ""))


def _arn_account(arn: str) -> str:
    fields = arn.split(":")
    return fields[4] if len(fields) > 5 else ""


def roles_outside_their_accounts(document: Mapping[str, Any]) -> list[str]:
    """A deploy role in another account than the stage's `account` would act in the wrong account."""
    release = document.get("release", {})
    problems = []
    for role in ENDPOINTS:
        stage = release.get(role)
        if not isinstance(stage, Mapping) or "account" not in stage or "role_arn" not in stage:
            continue
        if _arn_account(stage["role_arn"]) != stage["account"]:
            problems.append(
                f"release.{role}.role_arn: the role is in account {_arn_account(stage['role_arn'])}, "
                f"not in the stage's account {stage['account']}"
            )
    return problems
