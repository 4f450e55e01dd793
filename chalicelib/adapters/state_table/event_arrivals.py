"""EventArrivals in the shared state table: `pk=events#<account>, sk=arrivals`, with `heard_at` (the newest
endpoint event's arrival) and `suspected_at` (the reconciler's last suspicion), epoch milliseconds. Both are
conditional updates, so concurrent events and runs never move a mark back nor report one suspicion twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.state_table.items import condition_failed, item_key
from chalicelib.release.arrival_ports import Arrivals

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SK = "arrivals"
NEWER = "attribute_not_exists(heard_at) OR heard_at < :at"
# Not suspected yet, or suspected before the newest event: a suspicion worth saying once more.
NEW_SUSPICION = "attribute_not_exists(suspected_at) OR (attribute_exists(heard_at) AND suspected_at < heard_at)"


class DynamoEventArrivals:
    def __init__(self, client: DynamoDBClient, table: Callable[[], str]) -> None:
        self._client = client
        self._table = table

    def heard(self, account: str, at: datetime) -> None:
        self._set(account, "heard_at", at, NEWER)

    def suspect(self, account: str, at: datetime) -> bool:
        return self._set(account, "suspected_at", at, NEW_SUSPICION)

    def load(self, account: str) -> Arrivals:
        key = item_key(f"events#{account}", SK)
        item = self._client.get_item(TableName=self._table(), Key=key, ConsistentRead=True).get("Item") or {}
        return Arrivals(_moment(item.get("heard_at", {}).get("N")), _moment(item.get("suspected_at", {}).get("N")))

    def _set(self, account: str, name: str, at: datetime, condition: str) -> bool:
        try:
            self._client.update_item(
                TableName=self._table(),
                Key=item_key(f"events#{account}", SK),
                UpdateExpression=f"SET {name} = :at",
                ConditionExpression=condition,
                ExpressionAttributeValues={":at": {"N": str(round(at.timestamp() * 1000))}},
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True


def _moment(millis: str | None) -> datetime | None:
    return datetime.fromtimestamp(int(millis) / 1000, UTC) if millis else None
