"""The cleanup's lease and checkpoint per group, in the shared state table (pk `cleanup#<group>`).

Every write is conditional: a run holds a group only while its lease is unexpired, and only the
holder moves the checkpoint, so two runs at once never work on the same group.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.state_table.items import Item, condition_failed, item_key
from chalicelib.cleanup.ports import Lease
from chalicelib.shared.errors import ConflictError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef, UpdateItemInputTypeDef, UpdateItemOutputTypeDef

SORT_KEY = "checkpoint"
KEEP_FOR = timedelta(days=30)  # TTL: an abandoned checkpoint disappears; a fresh start is always safe


def state_key(group: str) -> Item:
    return item_key(f"cleanup#{group}", SORT_KEY)


class DynamoCleanupState:
    def __init__(self, client: DynamoDBClient, table: Callable[[], str]) -> None:
        self._client = client
        self._table = table  # resolved on each write: a dry run never needs the setting

    def acquire(self, group: str, owner: str, now: datetime, until: datetime) -> Lease | None:
        try:
            response = self._update(
                group,
                "SET lease_owner = :owner, lease_until = :until, updated_at = :now, expires_at = :expires",
                "attribute_not_exists(lease_until) OR lease_until < :epoch",
                {
                    ":owner": {"S": owner},
                    ":until": _number(until),
                    ":now": {"S": now.isoformat()},
                    ":epoch": _number(now),
                    ":expires": _number(now + KEEP_FOR),
                },
                return_new=True,
            )
        except ClientError as error:
            if condition_failed(error):
                return None  # another run holds this group
            raise
        cursor = response.get("Attributes", {}).get("cursor", {}).get("S")
        return Lease(owner, datetime.fromisoformat(cursor) if cursor else None)

    def save(self, group: str, owner: str, cursor: datetime) -> None:
        self._as_holder(group, owner, "SET #cursor = :cursor", {":cursor": {"S": cursor.isoformat()}})

    def release(self, group: str, owner: str, cursor: datetime | None) -> None:
        if cursor is None:
            self._as_holder(group, owner, "REMOVE lease_owner, lease_until, #cursor", {})
        else:
            self._as_holder(
                group,
                owner,
                "SET #cursor = :cursor REMOVE lease_owner, lease_until",
                {":cursor": {"S": cursor.isoformat()}},
            )

    def _as_holder(self, group: str, owner: str, expression: str, values: Item) -> None:
        try:
            self._update(
                group,
                expression,
                "lease_owner = :owner",
                {**values, ":owner": {"S": owner}},
                names={"#cursor": "cursor"},
            )
        except ClientError as error:
            if condition_failed(error):
                raise ConflictError(f"cleanup of {group}: the lease was lost to another run") from None
            raise

    def _update(
        self,
        group: str,
        expression: str,
        condition: str,
        values: Item,
        names: dict[str, str] | None = None,
        return_new: bool = False,
    ) -> UpdateItemOutputTypeDef:
        request: UpdateItemInputTypeDef = {
            "TableName": self._table(),
            "Key": state_key(group),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }
        if names:
            request["ExpressionAttributeNames"] = names
        if return_new:
            request["ReturnValues"] = "ALL_NEW"
        return self._client.update_item(**request)


def _number(moment: datetime) -> AttributeValueTypeDef:
    return {"N": str(int(moment.timestamp()))}
