"""The registry sweep's cursor (SweepCursor) in the shared state table: `pk=sweep#registrations, sk=cursor`.

One item for the account: the creation time up to which every registration was handed on (`at`, epoch
milliseconds, CreationTime's resolution), the ARNs created at that instant (`arns`, a string set; a
handful at most) and, while a failing hand-off holds it back, since when (`held_since`). A plain put: two
runs at once (rare) at worst move it back; a version listed again is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalicelib.adapters.state_table.items import Item, item_key
from chalicelib.release.ports import SweepMark

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

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
        held = item.get("held_since", {}).get("N")
        return SweepMark(
            _moment(millis), frozenset(item.get("arns", {}).get("SS", [])), _moment(held) if held else None
        )

    def save(self, mark: SweepMark) -> None:
        item: Item = {**KEY, "at": _millis(mark.at)}
        if mark.arns:  # DynamoDB refuses an empty set
            item["arns"] = {"SS": sorted(mark.arns)}
        if mark.held_since is not None:
            item["held_since"] = _millis(mark.held_since)
        self._client.put_item(TableName=self._table(), Item=item)


def _moment(millis: str) -> datetime:
    return datetime.fromtimestamp(int(millis) / 1000, UTC)


def _millis(moment: datetime) -> AttributeValueTypeDef:
    return {"N": str(round(moment.timestamp() * 1000))}
