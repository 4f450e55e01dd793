"""The approvals of one decision: an item in the state table whose string sets grow by conditional ADDs.

DynamoDB applies updates to one item one at a time, so concurrent clicks by different people are all
counted, a person already counted is not counted twice, and once `required` people are counted nobody
more is: exactly one click (the required-th distinct one) sees its own ADD complete the tally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from botocore.exceptions import ClientError

from chalicelib.adapters.state_table.items import Item, condition_failed, item_key
from chalicelib.slack.approvals import Tally

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SORT_KEY = "approvals"
KEEP_SECONDS = 30 * 24 * 3600  # outlives any review or promotion it counts for
_COUNTABLE = "attribute_not_exists(approver_ids) OR (NOT contains(approver_ids, :uid) AND size(approver_ids) < :n)"


class DynamoApprovalTallies:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def add(self, key: str, user_id: str, label: str, required: int, at: float) -> Tally:
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=item_key(key, SORT_KEY),
                UpdateExpression="ADD approver_ids :id, approver_labels :label SET expires_at = :expires",
                ConditionExpression=_COUNTABLE,
                ExpressionAttributeValues={
                    ":id": {"SS": [user_id]},
                    ":label": {"SS": [label]},
                    ":uid": {"S": user_id},
                    ":n": {"N": str(required)},
                    ":expires": {"N": str(int(at) + KEEP_SECONDS)},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            # Counted already, or enough people are: the tally as it stands (the stubs do not know "Item").
            held = cast("Item | None", error.response.get("Item")) or self._read(key)
            return _tally(held or {}, counted=False)
        return _tally(answer.get("Attributes") or {}, counted=True)

    def _read(self, key: str) -> Item | None:
        return self._client.get_item(TableName=self._table, Key=item_key(key, SORT_KEY), ConsistentRead=True).get(
            "Item"
        )


def _tally(item: Item, counted: bool) -> Tally:
    ids = item.get("approver_ids", {}).get("SS", [])
    labels = item.get("approver_labels", {}).get("SS", [])
    return Tally(frozenset(ids), frozenset(labels), counted)
