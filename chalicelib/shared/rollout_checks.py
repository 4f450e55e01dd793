"""A judged rollout's policy keys, beyond the schema: PROGRESSIVE's steps rise to 100, and what compares the
challenger with the champion (PROGRESSIVE's steps, the shadow test) runs on a realtime target, with
`release.analysis` to judge it by. Pure: a schema-valid document in, problems out."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any


def rollout_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release")
    if not isinstance(release, Mapping):
        return []
    deployment = release.get("deployment")
    problems = []
    if isinstance(deployment, Mapping) and deployment.get("type") == "PROGRESSIVE":
        problems += _steps(deployment.get("steps")) + _compares(release, "release.deployment", "PROGRESSIVE")
    if "shadow" in release:
        problems += _compares(release, "release.shadow", "a shadow test")
    return problems


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
    if all(earlier < later for earlier, later in pairwise(steps)) and steps[-1] == 100:
        return []
    shown = ", ".join(str(step) for step in steps)
    return [f"release.deployment.steps: [{shown}] must rise strictly and end at 100 (the challenger takes it all)"]
