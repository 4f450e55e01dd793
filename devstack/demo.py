"""`make demo`: the registration gate on the seed's scenario, in-process against moto.

Registers fraud-detection-models versions exactly as the seed article does, delivers each
"SageMaker Model Package State Change" event to the app's real handler, and prints every decision
with its reasons and what people were told.
"""

from __future__ import annotations

import contextlib
import io
import os
import textwrap
import warnings
from typing import Any

import boto3
from chalice.test import Client
from moto import mock_aws

from app import app
from chalicelib.bootstrap import Container, use_container
from chalicelib.observability import logger
from chalicelib.settings import load_settings
from devstack import seed
from devstack.resources import create_resources

VERSIONS = [("good", seed.GOOD), ("bad", seed.BAD), ("borderline", seed.BORDERLINE)]


def state_change_event(client: Client, arn: str) -> dict[str, Any]:
    detail = {"ModelPackageArn": arn, "ModelApprovalStatus": "PendingManualApproval"}
    event: dict[str, Any] = client.events.generate_cw_event(
        source="aws.sagemaker", detail_type="SageMaker Model Package State Change", resources=[arn], detail=detail
    )
    return event


def main() -> int:
    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo")
    warnings.filterwarnings("ignore", category=UserWarning, module="aws_lambda_powertools")
    logger.setLevel("WARNING")  # its JSON lines go to CloudWatch in AWS; here the timeline is the story
    with mock_aws():
        resources = create_resources(boto3.client)
        os.environ.update(resources.environment())
        # Settings now: chalice.test.Client applies the config.json stage's environment while it runs.
        use_container(Container(settings=load_settings()))
        sagemaker, s3 = boto3.client("sagemaker"), boto3.client("s3")
        seed.create_group(sagemaker)
        print(f"created model package group {seed.GROUP} (policy: policies/{seed.GROUP}.json)\n")
        with Client(app) as client:
            for name, metrics in VERSIONS:
                arn = seed.register_version(sagemaker, seed.upload_metrics(s3, resources.bucket, name, metrics), name)
                print(f"registered {name:<10} {arn.rsplit('/', 1)[-1]:>2}  metrics {metrics}")
                with contextlib.redirect_stdout(io.StringIO()):  # its metrics (CloudWatch's, in AWS)
                    client.lambda_.invoke("gate", state_change_event(client, arn))
                package = sagemaker.describe_model_package(ModelPackageName=arn)
                print(f"  -> {package['ModelApprovalStatus']}")
                for reason in package["ApprovalDescription"].split("; "):
                    print(textwrap.indent(reason, "     "))
                print()
        print("SNS messages (an SQS subscription to the topic):")
        for message in boto3.client("sqs").receive_message(QueueUrl=resources.inbox_queue_url, MaxNumberOfMessages=10)[
            "Messages"
        ]:
            print(f"  {message['Body'][:140]}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
