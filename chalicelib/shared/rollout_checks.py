"""A judged rollout's policy keys, beyond the schema: PROGRESSIVE's steps rise to 100, and what compares the
challenger with the champion (PROGRESSIVE's steps, the shadow test) runs on a realtime target, with
`release.analysis` to judge it by, and lasts long enough to hold the `min_samples` per-minute samples a
comparison needs. Pure: a schema-valid document in, problems out."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

MIN_SAMPLES = 5  # release.analysis.min_samples when the policy leaves it out (the schema's default)


def rollout_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release")
    if not isinstance(release, Mapping):
        return []
    deployment = release.get("deployment")
    problems = []
    if isinstance(deployment, Mapping) and deployment.get("type") == "PROGRESSIVE":
        problems += _steps(deployment.get("steps")) + _compares(release, "release.deployment", "PROGRESSIVE")
        problems += _holds_samples(release, "release.deployment.step_minutes", deployment.get("step_minutes"))
    shadow = release.get("shadow")
    if isinstance(shadow, Mapping):
        problems += _compares(release, "release.shadow", "a shadow test")
        problems += _holds_samples(release, "release.shadow.minutes", shadow.get("minutes"))
    return problems


def _holds_samples(release: Mapping[str, Any], key: str, minutes: Any) -> list[str]:
    """A step or a shadow test shorter than `min_samples` minutes never holds enough per-minute samples to
    compare the variants: every comparison would be inconclusive, pausing a healthy release."""
    analysis = release.get("analysis")
    if not isinstance(analysis, Mapping) or not isinstance(minutes, int | float):
        return []
    checks = analysis.get("checks")
    compared = [check["name"] for check in checks or () if isinstance(check, Mapping) and "tolerance" in check]
    needed = analysis.get("min_samples", MIN_SAMPLES)
    if not compared or not isinstance(needed, int) or minutes >= needed:
        return []
    return [
        f"{key}: {minutes:g} minute(s) hold fewer than release.analysis.min_samples ({needed}) per-minute samples: "
        f"the comparison of {', '.join(compared)} with the champion could never conclude"
    ]


def _compares(release: Mapping[str, Any], key: str, what: str) -> list[str]:
    """A comparison of the challenger with the champion: two variants on instances, judged by the analysis."""
    problems = []
    target = release.get("target", "realtime")
    if target != "realtime":
        problems.append(f"{key}: {what} runs a second variant on instances: a realtime target only (it is {target})")
    if "analysis" not in release:
        problems.append(f"{key}: {what} is judged by release.analysis (its checks, min_samples and tolerances): add it")
    return problems


def _steps(steps: Any) -> list[str]:
    if not isinstance(steps, list) or not steps:
        return []  # the schema's to say
    shown = ", ".join(str(step) for step in steps)
    if len(steps) < 2:  # [100] alone: the challenger takes it all at once, never beside the champion
        return [f"release.deployment.steps: [{shown}] needs a step below 100 (the champion beside the challenger)"]
    if all(earlier < later for earlier, later in pairwise(steps)) and steps[-1] == 100:
        return []
    return [f"release.deployment.steps: [{shown}] must rise strictly and end at 100 (the challenger takes it all)"]
