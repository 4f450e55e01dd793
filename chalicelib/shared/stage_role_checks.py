"""A stage's own execution role (`release.<stage>.execution_role_arn`): SageMaker runs a model only as a role of
the model's account, and one model serves both stages when they share an account and region."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STAGES = ("staging", "production")


def stage_role_problems(document: Mapping[str, Any]) -> list[str]:
    release = document.get("release", {})
    stages = {name: release[name] for name in STAGES if isinstance(release.get(name), Mapping)}
    problems = [
        f"release.{name}.execution_role_arn: the role is in account {_account(stage['execution_role_arn'])}, not in "
        f"the stage's account {_stage_account(stage)}"
        for name, stage in stages.items()
        if "execution_role_arn" in stage
        and _stage_account(stage)
        and _account(stage["execution_role_arn"]) != _stage_account(stage)
    ]
    if len(stages) == len(STAGES) and _where(stages["staging"]) == _where(stages["production"]):
        roles = {_role(release, stage) for stage in stages.values()}
        if len(roles) > 1:
            problems.append(
                "release: staging and production share an account and region, so one model serves both: they "
                "cannot run as different execution roles"
            )
    return problems


def _role(release: Mapping[str, Any], stage: Mapping[str, Any]) -> str:
    return str(stage.get("execution_role_arn") or release.get("execution_role_arn", ""))


def _stage_account(stage: Mapping[str, Any]) -> str:
    """The stage's account when the policy names one (`account`, else its deploy role's); "" for the app's."""
    return str(stage.get("account") or _account(str(stage.get("role_arn", ""))))


def _where(stage: Mapping[str, Any]) -> tuple[str, str]:
    return _stage_account(stage), str(stage.get("region", ""))


def _account(arn: str) -> str:
    fields = arn.split(":")
    return fields[4] if len(fields) > 5 else ""
