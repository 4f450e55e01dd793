"""Release state in the shared DynamoDB state table.

`pk=release#<group>, sk=state`: the group's whole release state, one item, JSON in `doc`, a `revision`
number that every write checks (conditional write: a caller that read an older revision loses).
`pk=history#<group>, sk=<row key>`: one item per release attempt, written in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import error_code
from chalicelib.adapters.release_codec import row_from_json, row_to_json, state_from_json, state_to_json
from chalicelib.release.state import GroupState, HistoryRow
from chalicelib.shared.errors import ConflictError

STATE_SK = "state"
_LOST = ("ConditionalCheckFailedException", "TransactionCanceledException", "TransactionConflictException")


class DynamoReleaseStore:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def load(self, group: str) -> GroupState:
        item = self._client.get_item(
            TableName=self._table, Key=_key(f"release#{group}", STATE_SK), ConsistentRead=True
        ).get("Item")
        if item is None:
            return GroupState(group)
        return state_from_json({**json.loads(item["doc"]["S"]), "revision": int(item["revision"]["N"])})

    def save(self, state: GroupState, rows: Sequence[HistoryRow] = ()) -> GroupState:
        saved = replace(state, revision=state.revision + 1)
        put = self._state_put(saved, expected=state.revision)
        try:
            if rows:
                writes = [{"Put": put}] + [{"Put": self._row_put(state.group, row)} for row in rows]
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
        request: dict[str, Any] = {
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

    def _state_put(self, state: GroupState, expected: int) -> dict[str, Any]:
        document = state_to_json(state)
        document.pop("revision")
        condition: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(pk)"}
            if expected == 0
            else {
                "ConditionExpression": "revision = :expected",
                "ExpressionAttributeValues": {":expected": {"N": str(expected)}},
            }
        )
        item = {
            **_key(f"release#{state.group}", STATE_SK),
            "doc": {"S": json.dumps(document)},
            "revision": {"N": str(state.revision)},
        }
        return {"TableName": self._table, "Item": item, **condition}

    def _row_put(self, group: str, row: HistoryRow) -> dict[str, Any]:
        item = {**_key(f"history#{group}", row.key), "doc": {"S": json.dumps(row_to_json(row))}}
        return {"TableName": self._table, "Item": item}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}
