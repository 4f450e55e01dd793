"""The registry sweep's cursor (SweepCursor) in the shared state table: `pk=sweep#registrations, sk=cursor`.

One item for the account: the creation time up to which every registration was handed on (`at`, epoch
milliseconds, CreationTime's resolution) and the ARNs created at that instant (`arns`, a string set; a
handful at most). A plain put: two runs at once (rare) at worst move it back; a version listed again is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalicelib.adapters.state_table.items import Item, item_key
from chalicelib.release.ports import SweepMark

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

KEY = item_key("sweep#registrations", "cursor")


class DynamoSweepCursor:
    def __init__(self, client: DynamoDBClient, table: Callable[[], str]) -> None:
        self._client = client
        self._table = table

    def load(self) -> SweepMark | None:
        item = self._client.get_item(TableName=self._table(), Key=KEY, ConsistentRead=True).get("Item") or {}
        millis = item.get("at", {}).get("N")
        if not millis:
            return None
        return SweepMark(datetime.fromtimestamp(int(millis) / 1000, UTC), frozenset(item.get("arns", {}).get("SS", [])))

    def save(self, mark: SweepMark) -> None:
        item: Item = {**KEY, "at": {"N": str(round(mark.at.timestamp() * 1000))}}
        if mark.arns:  # DynamoDB refuses an empty set
            item["arns"] = {"SS": sorted(mark.arns)}
        self._client.put_item(TableName=self._table(), Item=item)
