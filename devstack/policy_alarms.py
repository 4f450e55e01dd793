"""The guardrail alarms the release policies name, in OK state, as a team's account has them before its first
release: the local stack makes them at start so that `shepherd doctor` and `policy validate --check-aws` find
what they would find in a deployed account, and the demo and the tests trip them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def create_alarms(cloudwatch: Any, section: Mapping[str, Any]) -> list[str]:
    """The production guardrails the policy names: 5xx errors and p99 latency of the production endpoint."""
    endpoint = (section.get("production") or {}).get("endpoint_name")  # a batch target has no endpoint
    on = (
        [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}]
        if endpoint
        else []
    )
    for name in section.get("alarms", []):
        errors = "5xx" in name
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/SageMaker",
            MetricName="Invocation5XXErrors" if errors else "ModelLatency",
            Statistic="Sum" if errors else "Maximum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1 if errors else 250_000,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            Dimensions=on,
        )
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="local stack: healthy")
    return list(section.get("alarms", []))


def create_policy_alarms(client: Callable[[str], Any], environment: Mapping[str, str]) -> list[str]:
    """Every alarm the release sections of the stack's policy directory name; returns their names."""
    from chalicelib.adapters.policy_files import FilePolicyRepository
    from chalicelib.shared.settings import load_settings

    repository = FilePolicyRepository(load_settings(environment).policy_dir)
    made: list[str] = []
    for group in repository.groups():
        section = repository.get(group).section("release")
        if section:
            made += create_alarms(client("cloudwatch"), section)
    return made
