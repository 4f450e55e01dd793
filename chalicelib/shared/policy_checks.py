"""What a policy must also satisfy that JSON Schema cannot say: the metrics it names exist, its bounds can
hold, its endpoints are its own. Pure: a document that passed the schema in, problems (sentences) out.

A misspelled metric in a margin (`log_los`) would send every version to review with "metrics missing"; a
floor of 0.8 under a maximum of 0.5 rejects everything; two groups on one endpoint overwrite each other's
releases. Each is refused when the policy is loaded, by the app and by `shepherd policy validate` alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.shared.analysis_checks import analysis_problems
from chalicelib.shared.numbers import exact
from chalicelib.shared.rollout_checks import rollout_problems
from chalicelib.shared.stage_role_checks import stage_role_problems
from chalicelib.shared.target_checks import target_problems

GATE_SECTIONS = ("floors", "approval")
LOWER = ("minimum", "exclusiveMinimum")
UPPER = ("maximum", "exclusiveMaximum")
ENDPOINTS = ("staging", "production")
EndpointPlace = tuple[str, str, str]  # (account, region, endpoint name)


def policy_problems(document: Mapping[str, Any]) -> list[str]:
    """Every reason a schema-valid document is still not a usable policy; empty when it is."""
    return [
        *_unrequired_bounds(document),
        *_undeclared_margins(document),
        *_impossible_bounds(document),
        *_endpoints_shared_within(document),
        *_roles_outside_their_accounts(document),
        *stage_role_problems(document),
        *_unreachable_approvals(document),
        *target_problems(document),
        *analysis_problems(document),
        *rollout_problems(document),
    ]


def declared_metrics(document: Mapping[str, Any]) -> set[str]:
    """Where a policy declares its metrics: the `required` lists of its floors and approval bar."""
    return {name for section in GATE_SECTIONS for name in document.get(section, {}).get("required", [])}


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


def _unrequired_bounds(document: Mapping[str, Any]) -> list[str]:
    # A bound on an optional property passes when the metric is absent: in a policy that would let a
    # version with no auc through an auc floor. Every bounded metric must therefore be required.
    problems = []
    for section in GATE_SECTIONS:
        thresholds = document.get(section, {})
        required = thresholds.get("required", [])
        unrequired = sorted(set(thresholds.get("properties", {})) - set(required))
        if unrequired:
            hints = "".join(_hint(name, required) for name in unrequired)
            problems.append(f"{section}: bounded metrics must be required: {', '.join(unrequired)}{hints}")
    return problems


def _undeclared_margins(document: Mapping[str, Any]) -> list[str]:
    declared = declared_metrics(document)
    return [
        f"champion_margins: {name!r} is not a metric the policy declares (floors.required, approval.required)"
        + _hint(name, declared)
        for name in document.get("champion_margins", {})
        if name not in declared
    ]


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _impossible_bounds(document: Mapping[str, Any]) -> list[str]:
    """A version must pass its floors and the bar together to be approved: their bounds must leave room."""
    bounds: dict[str, list[tuple[str, str, float]]] = {}
    for section in GATE_SECTIONS:
        for metric, spec in document.get(section, {}).get("properties", {}).items():
            for keyword in (*LOWER, *UPPER):
                if keyword in spec:
                    bounds.setdefault(metric, []).append((section, keyword, float(spec[keyword])))
    problems = []
    for metric, found in sorted(bounds.items()):
        lows = [b for b in found if b[1] in LOWER]
        highs = [b for b in found if b[1] in UPPER]
        for low in lows:
            for high in highs:
                if low[2] > high[2] or (low[2] == high[2] and "exclusive" in low[1] + high[1]):
                    problems.append(
                        f"{metric}: {low[1]} {exact(low[2])} ({low[0]}) and {high[1]} {exact(high[2])} ({high[0]}) "
                        "cannot both hold"
                    )
    return problems


def _endpoints_shared_within(document: Mapping[str, Any]) -> list[str]:
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


def _roles_outside_their_accounts(document: Mapping[str, Any]) -> list[str]:
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


def _unreachable_approvals(document: Mapping[str, Any]) -> list[str]:
    """More distinct approvers required than the policy lists, with no user group to add more: every review
    and promotion would wait for ever."""
    slack = document.get("slack", {})
    required, approvers = slack.get("required_approvals", 1), slack.get("approvers", [])
    if required <= 1 or slack.get("approver_groups") or len(approvers) >= required:
        return []
    return [
        f"slack.required_approvals is {required} but only {len(approvers)} approvers are listed (no approver_groups)"
    ]
