"""Release state in the state table, and what the gate and the cleanup read from it.

`pk=release#<group>, sk=state`: the group's whole release state, one item, JSON in `doc`, a `revision`
number that every write checks (conditional write: a caller that read an older revision loses).
`pk=history#<group>, sk=<row key>`: one item per release attempt, written in the same transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.adapters.state_table.items import CONDITION_FAILED, Item, item_key
from chalicelib.adapters.state_table.release_codec import row_from_json, row_to_json, state_from_json, state_to_json
from chalicelib.gate.ports import KnownChampion
from chalicelib.release.ports import BATCH_LOAD, ReleaseStore
from chalicelib.release.state import GroupState, HistoryRow
from chalicelib.shared.errors import ConflictError, StateReadError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        KeysAndAttributesTypeDef,
        PutTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
    )

STATE_SK = "state"
BATCH_ATTEMPTS = 6  # BatchGetItem rounds before giving up on keys DynamoDB keeps returning unprocessed
BACKOFF_SECONDS = 0.05  # doubled each round (DynamoDB returns UnprocessedKeys when it throttles)
_LOST = (CONDITION_FAILED, "TransactionCanceledException", "TransactionConflictException")


class DynamoReleaseStore:
    def __init__(self, client: DynamoDBClient, table: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._table = table
        self._sleep = sleep

    def load(self, group: str) -> GroupState:
        item = self._client.get_item(
            TableName=self._table, Key=item_key(f"release#{group}", STATE_SK), ConsistentRead=True
        ).get("Item")
        return _state(group, item)

    def load_many(self, groups: Sequence[str]) -> dict[str, GroupState]:
        """One BatchGetItem of up to 100 keys; unprocessed keys are asked again with a growing pause."""
        if len(groups) > BATCH_LOAD:
            raise ValueError(f"at most {BATCH_LOAD} groups per batch read, not {len(groups)}")
        found: dict[str, Item] = {}
        wanted: KeysAndAttributesTypeDef = {
            "Keys": [item_key(f"release#{group}", STATE_SK) for group in dict.fromkeys(groups)],
            "ConsistentRead": True,
        }
        for attempt in range(BATCH_ATTEMPTS):
            if attempt:
                self._sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            response = self._client.batch_get_item(RequestItems={self._table: wanted})
            for item in response.get("Responses", {}).get(self._table, []):
                found[item["pk"]["S"].removeprefix("release#")] = item
            unprocessed = response.get("UnprocessedKeys", {}).get(self._table)
            if not unprocessed or not unprocessed.get("Keys"):
                return {group: _state(group, found.get(group)) for group in groups}
            wanted = {"Keys": unprocessed["Keys"], "ConsistentRead": True}
        raise StateReadError(f"{len(wanted['Keys'])} release states still unprocessed after {BATCH_ATTEMPTS} reads")

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        saved = replace(state, revision=state.revision + 1)
        put = self._state_put(saved, expected=state.revision)
        try:
            if rows:
                writes: list[TransactWriteItemTypeDef] = [{"Put": put}]
                writes += [{"Put": self._row_put(state.group, row)} for row in rows]
                self._client.transact_write_items(TransactItems=writes)
            else:
                self._client.put_item(**put)
        except ClientError as error:
            if error_code(error) in _LOST:
                raise ConflictError(f"{state.group}: release state changed since revision {state.revision}") from None
            raise
        return saved

    def history(self, group: str) -> list[HistoryRow]:
        rows: list[HistoryRow] = []
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"history#{group}"}},
        }
        while True:
            page = self._client.query(**request)
            rows.extend(row_from_json(json.loads(item["doc"]["S"])) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return rows
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _state_put(self, state: GroupState, expected: int) -> PutTypeDef:
        document = state_to_json(state)
        document.pop("revision")
        item: Item = {
            **item_key(f"release#{state.group}", STATE_SK),
            "doc": {"S": json.dumps(document)},
            "revision": {"N": str(state.revision)},
        }
        if expected == 0:
            return {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "TableName": self._table,
            "Item": item,
            "ConditionExpression": "revision = :expected",
            "ExpressionAttributeValues": {":expected": {"N": str(expected)}},
        }

    def _row_put(self, group: str, row: HistoryRow) -> PutTypeDef:
        item: Item = {**item_key(f"history#{group}", row.key), "doc": {"S": json.dumps(row_to_json(row))}}
        return {"TableName": self._table, "Item": item}


def _state(group: str, item: Item | None) -> GroupState:
    if item is None:
        return GroupState(group)
    return state_from_json({**json.loads(item["doc"]["S"]), "revision": int(item["revision"]["N"])})


class ReleasedVersions:
    """LiveVersions and ProtectedVersions from the release store: what serves, and what may be needed again."""

    def __init__(self, store: ReleaseStore) -> None:
        self._store = store

    def champion(self, group: str) -> KnownChampion | None:
        state = self._store.load(group)
        if state.live:
            return KnownChampion(state.live.arn, True, state.live.metrics, state.live.metrics_uri)
        newest = state.newest_approved
        return KnownChampion(newest.arn, False, newest.metrics, newest.metrics_uri) if newest else None

    def live_arn(self, group: str) -> str | None:
        live = self._store.load(group).live
        return live.arn if live else None

    def protected_arns(self, group: str) -> frozenset[str]:
        """Live, the rollback targets, the release in flight and the queued version."""
        return self._store.load(group).arns()
