"""The names a stage's resources carry, read from .chalice/config.json (the one place a team sets them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.shared.errors import ConfigurationError

PROJECT = Path(__file__).resolve().parent.parent
CONFIG = PROJECT / ".chalice" / "config.json"
SSM_PREFIX = "ssm:"


@dataclass(frozen=True)
class StageNames:
    app: str
    stage: str
    idempotency_table: str
    state_table: str
    topic_name: str
    slack_secret: str | None  # a Secrets Manager name, or None (unset or an ssm: parameter)
    slack_parameter: str | None = None  # an SSM parameter path (/model-shepherd/prod/slack), from ssm:/...

    @property
    def prefix(self) -> str:
        return f"{self.app}-{self.stage}"

    @property
    def dlq_name(self) -> str:
        return f"{self.prefix}-dlq"

    def function_name(self, handler: str) -> str:
        """What `chalice deploy` would call it: <app>-<stage>-<name>; the REST API handler is <app>-<stage>."""
        name = handler.rsplit(".", 1)[-1]
        return self.prefix if name == "app" else f"{self.prefix}-{name}"


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(path.read_text())
    return config


def stage_environment(config: dict[str, Any], stage: str) -> dict[str, str]:
    if stage not in config.get("stages", {}):
        raise ConfigurationError(f"stage {stage!r} is not in .chalice/config.json")
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def stage_names(config: dict[str, Any], stage: str) -> StageNames:
    env = stage_environment(config, stage)
    secret = env.get("SHEPHERD_SLACK_SECRET") or None
    return StageNames(
        app=config["app_name"],
        stage=stage,
        idempotency_table=_required(env, "SHEPHERD_IDEMPOTENCY_TABLE", stage),
        state_table=_required(env, "SHEPHERD_STATE_TABLE", stage),
        topic_name=_required(env, "SHEPHERD_TOPIC_ARN", stage).rsplit(":", 1)[-1],
        slack_secret=None if secret is None or secret.startswith(SSM_PREFIX) else secret,
        slack_parameter=secret[len(SSM_PREFIX) :] if secret and secret.startswith(SSM_PREFIX) else None,
    )


def _required(env: dict[str, str], name: str, stage: str) -> str:
    if not env.get(name):
        raise ConfigurationError(f"{name} is not set for stage {stage!r} in .chalice/config.json")
    return env[name]
