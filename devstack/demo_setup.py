"""What the demo prepares around the story, as a team would have it in its AWS account.

- Policies: the repository's own, with the one timing a demo cannot wait for shortened: the watch window
  after LIVE (60 minutes in policies/fraud-detection-models.json, seconds of real time here). Everything else (smoke
  tests, CANARY with min_canary_invocations, guardrail alarms) is the example policy as written.
- No endpoint answers: the local stack's endpoints run the versions' own trained models. (A canned answer,
  for stacks that serve no model, is one body for every request: MODEL_ANSWER, the score 0.5 at the
  threshold, is the one both of the example's smoke tests accept.)
- The guardrail alarms the policy names, in OK state (devstack.policy_alarms: the local stack makes them too).
- The group's past: versions people rejected last quarter, for the cleanup to find, made old with the
  local stack's clock control (devstack.moto_ext.version_age): SageMaker cannot register a version in the past.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

POLICIES = Path(__file__).resolve().parents[1] / "policies"
WATCH_SECONDS = 3.0  # of real time
# `make demo`'s app clock (docs/local-stack.md, "Time on the local stack"): a progressive step holds minutes
# and its analysis judges per-minute samples, so a minute of app time is a second of the demo's.
APP_CLOCK_SPEED = 60.0
MODEL_ANSWER = '{"predictions": [{"score": 0.5}]}'  # as SageMaker's XGBoost container answers JSON


def demo_policies(target: Path, watch_seconds: float = WATCH_SECONDS, clock_speed: float = 1.0) -> Path:
    """The policies, their watch window `watch_seconds` of real time on a stack whose app clock runs at
    `clock_speed`."""
    target.mkdir(parents=True, exist_ok=True)
    for source in POLICIES.glob("*.json"):
        document = json.loads(source.read_text(encoding="utf-8"))
        if isinstance(document.get("release"), dict):
            document["release"]["watch_minutes"] = watch_seconds * clock_speed / 60
        (target / source.name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def release_section(group: str, directory: Path) -> dict[str, Any]:
    section: dict[str, Any] = json.loads((directory / f"{group}.json").read_text(encoding="utf-8"))["release"]
    return section


def endpoint_answers(section: dict[str, Any]) -> dict[str, str]:
    return {section["staging"]["endpoint_name"]: MODEL_ANSWER, section["production"]["endpoint_name"]: MODEL_ANSWER}


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
