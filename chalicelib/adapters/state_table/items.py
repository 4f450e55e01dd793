"""What every kind of item in the state table shares: its key, and how DynamoDB says a condition failed."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

Item: TypeAlias = "dict[str, AttributeValueTypeDef]"

CONDITION_FAILED = "ConditionalCheckFailedException"


def item_key(pk: str, sk: str) -> Item:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def condition_failed(error: ClientError) -> bool:
    return error_code(error) == CONDITION_FAILED
