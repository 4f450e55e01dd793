"""The roles `make iam` would render for the environment a test runs in (its moto tables, topic, secret)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from infra import iam
from infra.names import PROJECT, stage_names

STAGE = "local"  # infra/targets.json's target for moto's account and region
# The names the tests' moto resources carry (devstack.resources), with a Slack secret: where a test sets none.
LOCAL_NAMES = {
    "SHEPHERD_IDEMPOTENCY_TABLE": "model-shepherd-local-idempotency",
    "SHEPHERD_STATE_TABLE": "model-shepherd-local-state",
    "SHEPHERD_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:model-shepherd-local",
    "SHEPHERD_SLACK_SECRET": "model-shepherd-local/slack",
}


def rendered_roles(
    environment: dict[str, str] | None = None, policies: Path | None = None
) -> dict[str, dict[str, Any]]:
    env = {**LOCAL_NAMES, **(os.environ if environment is None else environment)}
    config = {"app_name": "model-shepherd", "stages": {STAGE: {"environment_variables": env}}}
    if policies is None:  # the policies the test's app reads: a test's own (an async target) names what roles reach
        policies = Path(env["SHEPHERD_POLICY_DIR"]) if env.get("SHEPHERD_POLICY_DIR") else PROJECT / "policies"
    target = iam.load_target(STAGE, PROJECT / "infra" / "targets.json")
    return iam.render(stage_names(config, STAGE), target, iam.groups(policies), iam.release_targets(policies))
