"""The AWS resources the app expects, made in whatever AWS the clients point at (moto, here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "my-bucket"  # the seed's bucket
IDEMPOTENCY_TABLE = "model-shepherd-local-idempotency"
STATE_TABLE = "model-shepherd-local-state"
TOPIC_NAME = "model-shepherd-local"


@dataclass(frozen=True)
class LocalResources:
    bucket: str
    idempotency_table: str
    state_table: str
    topic_arn: str
    inbox_queue_url: str  # an SQS queue subscribed to the topic: what people would receive

    def environment(self) -> dict[str, str]:
        return {
            "SHEPHERD_IDEMPOTENCY_TABLE": self.idempotency_table,
            "SHEPHERD_STATE_TABLE": self.state_table,
            "SHEPHERD_TOPIC_ARN": self.topic_arn,
        }


def create_resources(client: Callable[..., Any]) -> LocalResources:
    client("s3").create_bucket(Bucket=BUCKET)
    client("dynamodb").create_table(
        TableName=IDEMPOTENCY_TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    # Powertools idempotency writes its records' expiry in `expiration`: DynamoDB removes them then.
    client("dynamodb").update_time_to_live(
        TableName=IDEMPOTENCY_TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"}
    )
    create_state_table(client("dynamodb"), STATE_TABLE)
    topic_arn = client("sns").create_topic(Name=TOPIC_NAME)["TopicArn"]
    sqs = client("sqs")
    queue_url = sqs.create_queue(QueueName=f"{TOPIC_NAME}-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client("sns").subscribe(
        TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}
    )
    return LocalResources(BUCKET, IDEMPOTENCY_TABLE, STATE_TABLE, topic_arn, queue_url)


def create_state_table(dynamodb: Any, name: str) -> None:
    """The app's state (releases, history, cleanup checkpoints): pk/sk strings, TTL on expires_at."""
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
