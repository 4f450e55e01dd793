"""What each function's role must allow: the policies `make iam` generates for the stage.

`.chalice/policy-<stage>-<function>.json`, one role per function. A stage without them (the local stack)
gets the policies rendered from its settings, as `make iam` would render them. Keys: the function
(Chalice's name: gate, api_handler, ...); "" for a shared role, from a checkout older than per-function roles.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
APP = "model-shepherd"
SHARED = ""


def expected_policies(stage: str, environment: Mapping[str, str], project: Path = PROJECT) -> dict[str, Any]:
    chalice = project / ".chalice"
    per_function = {
        path.stem.removeprefix(f"policy-{stage}-"): json.loads(path.read_text())
        for path in sorted(chalice.glob(f"policy-{stage}-*.json"))
    }
    if per_function:
        return per_function
    shared = chalice / f"policy-{stage}.json"
    if shared.is_file():
        return {SHARED: json.loads(shared.read_text())}
    return dict(_rendered(stage, environment, project))


def checkout_module(name: str) -> Any:
    """A module of the checkout outside the installed packages (infra/, app.py): the doctor reads the
    repository's own generator and app, so the checkout's root goes on the path when the CLI runs as a script."""
    if str(PROJECT) not in sys.path:
        sys.path.append(str(PROJECT))
    return importlib.import_module(name)


def role_name(stage: str, function: str) -> str:
    """Chalice's name for a function's role: <app>-<stage>, or <app>-<stage>-<function> when it has its own."""
    return f"{APP}-{stage}-{function}" if function else f"{APP}-{stage}"


def function_name(stage: str, function: str) -> str:
    """A deployed function's name (infra/names.py): <app>-<stage>-<function>; the REST API's is <app>-<stage>."""
    return f"{APP}-{stage}" if function == "api_handler" else f"{APP}-{stage}-{function}"


def _rendered(stage: str, environment: Mapping[str, str], project: Path) -> Any:
    iam = checkout_module("infra.iam")
    stage_names = checkout_module("infra.names").stage_names
    config = {"app_name": APP, "stages": {stage: {"environment_variables": dict(environment)}}}
    names = stage_names(config, stage)
    policies = project / "policies"
    return iam.render(
        names,
        iam.load_target(stage, project / "infra" / "targets.json"),
        iam.groups(policies),
        iam.release_targets(policies),
    )
