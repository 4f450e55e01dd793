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
from chalicelib.shared.endpoint_checks import (
    EndpointPlace,
    endpoint_names,
    endpoint_places,
    endpoints_claimed_by_others,
    endpoints_shared_within,
    roles_outside_their_accounts,
)
from chalicelib.shared.numbers import exact
from chalicelib.shared.rollout_checks import rollout_problems
from chalicelib.shared.stage_role_checks import stage_role_problems
from chalicelib.shared.target_checks import target_problems

# One import place for the policy checks (the endpoints' own are in endpoint_checks).
__all__ = [
    "EndpointPlace",
    "declared_metrics",
    "endpoint_names",
    "endpoint_places",
    "endpoints_claimed_by_others",
    "policy_problems",
]

GATE_SECTIONS = ("floors", "approval")
LOWER = ("minimum", "exclusiveMinimum")
UPPER = ("maximum", "exclusiveMaximum")


def policy_problems(document: Mapping[str, Any]) -> list[str]:
    """Every reason a schema-valid document is still not a usable policy; empty when it is."""
    return [
        *_unrequired_bounds(document),
        *_undeclared_margins(document),
        *_impossible_bounds(document),
        *endpoints_shared_within(document),
        *roles_outside_their_accounts(document),
        *stage_role_problems(document),
        *_unreachable_approvals(document),
        *target_problems(document),
        *analysis_problems(document),
        *rollout_problems(document),
    ]


def declared_metrics(document: Mapping[str, Any]) -> set[str]:
    """Where a policy declares its metrics: the `required` lists of its floors and approval bar."""
    return {name for section in GATE_SECTIONS for name in document.get(section, {}).get("required", [])}


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
