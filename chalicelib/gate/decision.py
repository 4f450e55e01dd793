"""The registration gate's decision: approve, reject or ask people, from metrics alone.

Order matters and every step fails closed: a floor broken by a metric that is present rejects, even
when others are missing; missing metrics are never guessed (review, or reject if the policy says so);
anything short of the approval bar and the champion margins goes to people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.gate.verdict import Check, Decision, Outcome
from chalicelib.shared.policy import Policy


@dataclass(frozen=True)
class Champion:
    """The version to beat: live in production, else the newest Approved one."""

    label: str
    metrics: Mapping[str, float] | None
    problem: str | None = None  # why its metrics could not be read, when they could not


def evaluate(
    policy: Policy,
    metrics: Mapping[str, float],
    champion: Champion | None,
    not_numbers: Mapping[str, str] | None = None,
) -> Decision:
    """`not_numbers`: what the document holds instead for entries that are not numbers ('a string ("0.95")')."""
    champion_metrics = champion.metrics if champion else None
    # Every check runs on the metrics that are there, so the reasons show the whole picture.
    floors = policy.floors.check(metrics)
    missing = sorted(name for name in policy.metric_names if name not in metrics)
    gap = _gap(missing, not_numbers or {})
    gaps = [Check("metrics", False, gap)] if missing else []
    checks = (*floors, *gaps, *policy.approval.check(metrics), *_against(policy, metrics, champion))
    # A floor broken by a metric that is there rejects, whatever else is missing: nothing can mend it.
    if any(not check.passed for check in floors):
        return Decision(Outcome.REJECT, "a hard floor is broken", checks, metrics, champion_metrics)
    if missing:  # a metric of the wrong type is as unusable as a missing one: never guessed, never approved
        return invalid_metrics(policy, gap, metrics, checks)
    if all(check.passed for check in checks):
        return Decision(Outcome.APPROVE, _approve_summary(champion), checks, metrics, champion_metrics)
    return Decision(Outcome.REVIEW, _review_summary(checks), checks, metrics, champion_metrics)


def invalid_metrics(
    policy: Policy, why: str, metrics: Mapping[str, float] | None = None, checks: tuple[Check, ...] = ()
) -> Decision:
    """Fail closed: never approve on metrics we cannot trust."""
    outcome = Outcome.REJECT if policy.on_invalid_metrics is Outcome.REJECT else Outcome.REVIEW
    return Decision(outcome, f"cannot trust the metrics: {why}", checks, metrics or {})


def _gap(missing: list[str], not_numbers: Mapping[str, str]) -> str:
    wrong = [f"{name} is {not_numbers[name]}, not a number" for name in missing if name in not_numbers]
    absent = [name for name in missing if name not in not_numbers]
    return "; ".join([*wrong, *([f"metrics missing: {', '.join(absent)}"] if absent else [])])


def _against(policy: Policy, metrics: Mapping[str, float], champion: Champion | None) -> list[Check]:
    if champion is None or not policy.margins:
        return []
    if champion.metrics is None:
        problem = champion.problem or "metrics unavailable"
        return [Check("champion", False, f"cannot compare with {champion.label}: {problem}")]
    checks: list[Check] = []
    for margin in policy.margins:
        if margin.metric not in metrics:
            continue  # reported as missing
        if margin.metric in champion.metrics:
            checks.append(margin.check(metrics[margin.metric], champion.metrics[margin.metric]))
        else:
            checks.append(Check(f"champion {margin.metric}", False, f"{champion.label} has no {margin.metric}"))
    return checks


def _review_summary(checks: tuple[Check, ...]) -> str:
    # The headline people read first in Slack: a version under the bar is not "not clearly better".
    under_bar = [
        check.name.removeprefix("bar ") for check in checks if check.name.startswith("bar ") and not check.passed
    ]
    if under_bar:
        return f"under the approval bar ({', '.join(under_bar)}): people decide"
    return "not clearly better: people decide"


def _approve_summary(champion: Champion | None) -> str:
    if champion is None:
        return "meets the approval bar, no champion yet"
    return f"meets the approval bar and beats {champion.label}"
