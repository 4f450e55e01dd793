"""Settings, read from the environment on first use (never at import) and checked then."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chalicelib.shared.errors import ConfigurationError
from chalicelib.shared.setting_checks import check_environment

PACKAGED_POLICIES = Path(__file__).parents[1] / "policies"  # chalicelib/policies: where the build copies policies/
SOURCE_POLICIES = Path(__file__).parents[2] / "policies"  # policies/ in a checkout of the repository
_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$")


@dataclass(frozen=True)
class Settings:
    idempotency_table: str | None
    state_table: str | None  # releases, history, cleanup checkpoints: pk/sk strings, TTL expires_at
    topic_arn: str | None
    policy_dir: Path
    slack_secret: str | None  # Secrets Manager name/ARN, or "ssm:/parameter/name"
    slack_channel: str | None
    slack_api_url: str | None  # only to point Slack at a fake on loopback
    # Slack approvals: clicks are accepted only from this workspace and this Slack app.
    slack_team_id: str | None = None
    slack_app_id: str | None = None

    # cleanup: stop this long before the Lambda time limit, leaving time to save the checkpoint
    cleanup_reserve_seconds: int = 30

    def require_idempotency_table(self) -> str:
        if not self.idempotency_table:
            raise ConfigurationError("SHEPHERD_IDEMPOTENCY_TABLE is not set: the gate needs it to decide once")
        return self.idempotency_table

    def require_state_table(self) -> str:
        if not self.state_table:
            raise ConfigurationError("SHEPHERD_STATE_TABLE is not set: releases and cleanup keep their state there")
        return self.state_table


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    check_environment(env)  # every bad setting at once, each named (chalicelib/setting_checks.py)
    topic_arn = _optional(env, "SHEPHERD_TOPIC_ARN")
    if topic_arn and not _ARN.match(topic_arn):
        raise ConfigurationError(f"SHEPHERD_TOPIC_ARN is not an SNS topic ARN: {topic_arn!r}")
    return Settings(
        idempotency_table=_optional(env, "SHEPHERD_IDEMPOTENCY_TABLE"),
        state_table=_optional(env, "SHEPHERD_STATE_TABLE"),
        topic_arn=topic_arn,
        policy_dir=policy_dir(env),
        slack_secret=_optional(env, "SHEPHERD_SLACK_SECRET"),
        slack_channel=_optional(env, "SHEPHERD_SLACK_CHANNEL"),
        slack_api_url=_optional(env, "SHEPHERD_SLACK_API_URL"),
        slack_team_id=_optional(env, "SHEPHERD_SLACK_TEAM_ID"),
        slack_app_id=_optional(env, "SHEPHERD_SLACK_APP_ID"),
        cleanup_reserve_seconds=_seconds(env, "SHEPHERD_CLEANUP_RESERVE_SECONDS", default=30),
    )


def policy_dir(env: Mapping[str, str]) -> Path:
    """Where the app reads its policies: SHEPHERD_POLICY_DIR, else policies/ in a checkout, else the packaged copy."""
    configured = _optional(env, "SHEPHERD_POLICY_DIR")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ConfigurationError(f"SHEPHERD_POLICY_DIR is not a directory: {configured}")
        return path
    # A checkout reads policies/ itself (a packaged copy there may be stale); the Lambda has only its copy.
    return SOURCE_POLICIES if SOURCE_POLICIES.is_dir() else PACKAGED_POLICIES


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    value = _optional(env, name)
    if value is None:
        return default
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)
