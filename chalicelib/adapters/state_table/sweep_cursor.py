"""The registry sweep's cursor (SweepCursor) in the shared state table: `pk=sweep#registrations, sk=cursor`.

One item for the account: the change time up to which every version's changes were handed on (`at`, epoch
milliseconds, the registry's resolution), the changes handed on in the search's overlap (`seen`, a string
set of chalicelib.release.sweep.change_key) and, while a failing hand-off holds it back, since when
(`held_since`). Written only when it moved: a quiet run writes nothing. A plain put: two runs at once (rare)
at worst move it back; a change handed on again is a no-op.

A warm Lambda keeps the mark it last read or wrote and does not read it again: only the reconciler writes it,
so the kept one is the stored one, or (another run, the CLI, moved it since) an older one, from which the
search finds a superset of the changes, each handed on again as a no-op. Nothing is missed either way.
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
        self._kept: SweepMark | None = None

    def load(self) -> SweepMark | None:
        if self._kept is None:
            self._kept = self._read()
        return self._kept

    def _read(self) -> SweepMark | None:
        item = self._client.get_item(TableName=self._table(), Key=KEY, ConsistentRead=True).get("Item") or {}
        millis = item.get("at", {}).get("N")
        if not millis:
            return None
        held = item.get("held_since", {}).get("N")
        return SweepMark(
            _moment(millis), frozenset(item.get("seen", {}).get("SS", [])), _moment(held) if held else None
        )

    def save(self, mark: SweepMark) -> None:
        item: Item = {**KEY, "at": _millis(mark.at)}
        if mark.seen:  # DynamoDB refuses an empty set
            item["seen"] = {"SS": sorted(mark.seen)}
        if mark.held_since is not None:
            item["held_since"] = _millis(mark.held_since)
        self._client.put_item(TableName=self._table(), Item=item)
        self._kept = mark  # only once stored: a failed write leaves the older mark, which misses nothing


def _moment(millis: str) -> datetime:
    return datetime.fromtimestamp(int(millis) / 1000, UTC)


def _millis(moment: datetime) -> AttributeValueTypeDef:
    return {"N": str(round(moment.timestamp() * 1000))}
