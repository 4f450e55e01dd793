"""The local stack's target accounts: endpoint events in a stage's own moto account and region reach the app's
bus, forwarded by the rule infra/target-account.json makes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from devstack.moto_ext.sagemaker_events import ENDPOINT_STATE_CHANGE, SOURCE
from devstack.resources import LocalResources
from devstack.target_accounts import forward_events_home, stage_places
from tests.support.accounts import HOME, PRODUCTION_ROLE, STAGING_AT, STAGING_ROLE
from tests.support.policies import example_document, policies_with_release


def home_queue() -> tuple[Any, str]:
    """What the relay wires on the app's bus: a rule for endpoint events, its queue as target."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="endpoint-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="endpoint-events", EventPattern=json.dumps({"detail-type": [ENDPOINT_STATE_CHANGE]}))
    events.put_targets(Rule="endpoint-events", Targets=[{"Id": "q", "Arn": arn}])
    return sqs, url


def test_stage_accounts_endpoint_events_reach_the_apps_bus(resources: LocalResources, tmp_path: Path) -> None:
    release = example_document()["release"]
    staging = {**release["staging"], "account": STAGING_AT[0], "region": STAGING_AT[1], "role_arn": STAGING_ROLE}
    production = {**release["production"], "role_arn": PRODUCTION_ROLE}
    policies = policies_with_release(tmp_path / "policies", staging=staging, production=production)
    places = stage_places(policies)
    assert {place.role_arn for place in places} == {STAGING_ROLE, PRODUCTION_ROLE}
    rules = forward_events_home(places, *HOME)
    assert sorted(rule.split(":")[3:5] for rule in rules) == [
        ["eu-west-1", "222222222222"],
        ["us-east-1", "333333333333"],
    ]
    sqs, url = home_queue()
    from moto.events.models import events_backends

    detail = {"EndpointName": "fraud-detection-staging", "EndpointStatus": "IN_SERVICE"}
    entry = {"Source": SOURCE, "DetailType": ENDPOINT_STATE_CHANGE, "Detail": json.dumps(detail), "Resources": []}
    events_backends[STAGING_AT[0]][STAGING_AT[1]].put_events([entry])  # as the staging account's SageMaker would
    [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
    assert json.loads(message["Body"])["detail"]["EndpointName"] == "fraud-detection-staging"


def test_policies_without_stages_elsewhere_need_no_forwarding() -> None:
    assert stage_places(Path(__file__).parents[2] / "policies") == set()
