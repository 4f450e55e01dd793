"""A judged rollout's policy keys, beyond the schema: PROGRESSIVE's steps rise to 100, and what compares the
challenger with the champion (PROGRESSIVE's steps, the shadow test) has `release.analysis` to do it with.
Pure: a schema-valid document in, problems out."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any


def rollout_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release")
    if not isinstance(release, Mapping):
        return []
    deployment = release.get("deployment")
    if not isinstance(deployment, Mapping) or deployment.get("type") != "PROGRESSIVE":
        return []
    problems = _steps(deployment.get("steps", ()))
    target = release.get("target", "realtime")
    if target != "realtime":
        problems.append(
            f"release.deployment.type: PROGRESSIVE runs two variants on instances: a realtime target only "
            f"(it is {target})"
        )
    if "analysis" not in release:
        problems.append(
            "release.deployment: PROGRESSIVE judges each step by release.analysis (its checks, min_samples and "
            "tolerances): add it"
        )
    return problems


def _steps(steps: Any) -> list[str]:
    if not isinstance(steps, list) or not steps:
        return []  # the schema's to say
    rising = all(earlier < later for earlier, later in pairwise(steps))
    if rising and steps[-1] == 100:
        return []
    shown = ", ".join(str(step) for step in steps)
    return [f"release.deployment.steps: [{shown}] must rise strictly and end at 100 (the challenger takes it all)"]
