"""CloudWatch: which of the policy's alarms are firing, and how many invocations an endpoint served."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.release.ports import FiringAlarm

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient

NAMESPACE = "AWS/SageMaker"


class CloudWatchAlarms:
    def __init__(self, client: CloudWatchClient) -> None:
        self._client = client

    def firing(self, names: Sequence[str]) -> tuple[FiringAlarm, ...]:
        if not names:
            return ()
        found: list[FiringAlarm] = []
        for page in self._client.get_paginator("describe_alarms").paginate(AlarmNames=list(names), StateValue="ALARM"):
            alarms = page.get("MetricAlarms", []) + page.get("CompositeAlarms", [])
            # Checked again here: moto (and a careless proxy) may ignore StateValue beside AlarmNames.
            found.extend(
                FiringAlarm(alarm["AlarmName"], alarm.get("StateUpdatedTimestamp"))
                for alarm in alarms
                if alarm.get("StateValue") == "ALARM"
            )
        return tuple(sorted(found, key=lambda alarm: alarm.name))

    def invocations(self, endpoint: str, variant: str, since: datetime, until: datetime) -> int:
        answer = self._client.get_metric_statistics(
            Namespace=NAMESPACE,
            MetricName="Invocations",
            Dimensions=[{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}],
            StartTime=since,
            EndTime=max(until, since + timedelta(minutes=1)),  # CloudWatch refuses an empty window
            Period=60,
            Statistics=["Sum"],
        )
        return int(sum(point.get("Sum", 0) for point in answer.get("Datapoints", [])))
