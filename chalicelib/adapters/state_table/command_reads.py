"""What /shepherd reads from the state table: bounded reads of release states and history rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chalicelib.adapters.state_table.release_codec import row_from_json
from chalicelib.adapters.state_table.releases import DynamoReleaseStore
from chalicelib.release.state import GroupState, HistoryRow

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class StateTableReads:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table
        self._store = DynamoReleaseStore(client, table)

    def state(self, group: str) -> GroupState:
        return self._store.load(group)

    def states(self, groups: Sequence[str]) -> dict[str, GroupState]:
        return self._store.load_many(groups)

    def recent_history(self, group: str, limit: int) -> list[HistoryRow]:
        """One page: the newest rows (row keys start with the attempt's start time, so they sort by it)."""
        page = self._client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"history#{group}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [row_from_json(json.loads(item["doc"]["S"])) for item in page.get("Items", [])]
