"""CloudWatch alarms as the policies' guardrails: an endpoint's 5xx alarm, put in the state a test needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import boto3

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.literals import StateValueType

AlarmState = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]


def errors_alarm(name: str, state: AlarmState | None = None) -> None:
    """An alarm on AWS/SageMaker Invocation5XXErrors; `state` sets it by hand (moto evaluates no alarm)."""
    cloudwatch = boto3.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        MetricName="Invocation5XXErrors",
        Namespace="AWS/SageMaker",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    if state is not None:
        set_alarm(name, state)


def set_alarm(name: str, state: AlarmState | StateValueType) -> None:
    boto3.client("cloudwatch").set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")
