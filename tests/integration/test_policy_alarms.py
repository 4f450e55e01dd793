"""The alarms the local stack makes for the policies it serves, whatever their release target."""

from __future__ import annotations

import boto3

from devstack.policy_alarms import create_alarms
from tests.support.policies import batch_document, example_document


def test_a_batch_policys_alarms_are_made_without_an_endpoint_to_watch(aws: None) -> None:
    # A batch target has no production endpoint: the stack crashed at start on such a policy directory.
    section = batch_document()["release"]
    section["alarms"] = ["fraud-batch-errors-5xx"]
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    assert create_alarms(cloudwatch, section) == ["fraud-batch-errors-5xx"]
    [alarm] = cloudwatch.describe_alarms(AlarmNames=["fraud-batch-errors-5xx"])["MetricAlarms"]
    assert alarm["StateValue"] == "OK" and alarm["Dimensions"] == []


def test_an_endpoint_policys_alarms_watch_its_production_endpoint(aws: None) -> None:
    section = example_document()["release"]
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    names = create_alarms(cloudwatch, section)
    alarms = cloudwatch.describe_alarms(AlarmNames=names)["MetricAlarms"]
    endpoint = section["production"]["endpoint_name"]
    assert names and all({"Name": "EndpointName", "Value": endpoint} in alarm["Dimensions"] for alarm in alarms)
