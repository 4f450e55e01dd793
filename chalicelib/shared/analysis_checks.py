"""What a release's `analysis` must also satisfy that JSON Schema cannot say. Pure: problems (sentences) out.

A ratio is the sum of one metric over the sum of another: a percentile or an average of errors over
invocations means nothing, and a metric over itself is always 1. Two checks of one name would read as one
in the history. A batch target serves no traffic to measure. A floor above its ceiling fails every
measurement; a tolerance of 100% or more below a champion whose lower values are worse lets any challenger
through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def analysis_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release")
    release = release if isinstance(release, Mapping) else {}
    analysis = release.get("analysis")
    if not isinstance(analysis, Mapping):
        return []
    if release.get("target") == "batch":
        return ["release.analysis: a batch target has no endpoint whose metrics could judge it"]
    checks = [check for check in analysis.get("checks", []) if isinstance(check, Mapping)]
    problems = [problem for index, check in enumerate(checks) for problem in _check_problems(index, check)]
    names = [check.get("name") for check in checks]
    twice = sorted({str(name) for name in names if names.count(name) > 1})
    if twice:
        problems.append(f"release.analysis.checks: names used twice: {', '.join(twice)}")
    return problems


def _check_problems(index: int, check: Mapping[str, Any]) -> list[str]:
    where = f"release.analysis.checks[{index}] ({check.get('name')})"
    problems = []
    if "per" in check and check.get("statistic") != "Sum":
        problems.append(f"{where}: a ratio (per) is a Sum over a Sum, not a {check.get('statistic')}")
    if "per" in check and check["per"] == check.get("metric"):
        problems.append(f"{where}: {check['per']} per itself is always 1")
    if "minimum" in check and "maximum" in check and check["minimum"] > check["maximum"]:
        problems.append(f"{where}: minimum {check['minimum']} above maximum {check['maximum']}: it always fails")
    if check.get("higher_is_worse") is False and check.get("tolerance", 0) >= 1:
        problems.append(f"{where}: a tolerance of 100% or more below the champion lets any challenger pass")
    return problems
