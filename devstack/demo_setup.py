"""What the demo prepares around the story, as a team would have it in its AWS account.

- Policies: the repository's own, with the one timing a demo cannot wait for shortened: the watch window
  after LIVE (60 minutes in policies/fraud-detection-models.json, seconds here). Everything else (smoke
  tests, CANARY with min_canary_invocations, guardrail alarms) is the example policy as written.
- Endpoint answers: the model's answer the smoke tests expect (the local stack's endpoints run no model).
- The guardrail alarms the policy names, in OK state.
- The group's past: versions people rejected last quarter, for the cleanup to find. SageMaker (and
  moto) cannot register a version in the past, so the demo, which runs moto in its own process, moves
  their CreationTime back: the one place it reaches past the AWS API.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

POLICIES = Path(__file__).resolve().parents[1] / "policies"
WATCH_SECONDS = 3.0
MODEL_ANSWER = '{"predictions": [0.02], "labels": ["legit"]}'  # a fraud score in [0, 1] and its label


def demo_policies(target: Path, watch_seconds: float = WATCH_SECONDS) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for source in POLICIES.glob("*.json"):
        document = json.loads(source.read_text(encoding="utf-8"))
        if isinstance(document.get("release"), dict):
            document["release"]["watch_minutes"] = watch_seconds / 60
        (target / source.name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    return target


def release_section(group: str, directory: Path) -> dict[str, Any]:
    section: dict[str, Any] = json.loads((directory / f"{group}.json").read_text(encoding="utf-8"))["release"]
    return section


def endpoint_answers(section: dict[str, Any]) -> dict[str, str]:
    return {section["staging"]["endpoint_name"]: MODEL_ANSWER, section["production"]["endpoint_name"]: MODEL_ANSWER}


def create_alarms(cloudwatch: Any, section: dict[str, Any]) -> list[str]:
    """The production guardrails the policy names: 5xx errors and p99 latency of the production endpoint."""
    endpoint = section["production"]["endpoint_name"]
    for name in section.get("alarms", []):
        metric = "Invocation5XXErrors" if "5xx" in name else "ModelLatency"
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/SageMaker",
            MetricName=metric,
            Statistic="Sum" if "5xx" in name else "Maximum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1 if "5xx" in name else 250_000,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            Dimensions=[{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}],
        )
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="demo: healthy")
    return list(section.get("alarms", []))


def backdate(arns: list[str], days: int) -> None:
    from datetime import timedelta

    from moto.core.utils import utcnow
    from moto.sagemaker.models import sagemaker_backends

    from devstack.resources import ACCOUNT, REGION

    packages = sagemaker_backends[ACCOUNT][REGION].model_packages
    for age, arn in enumerate(reversed(arns)):  # the newest stays the newest, a day apart
        packages[arn].creation_time = utcnow() - timedelta(days=days + age)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
