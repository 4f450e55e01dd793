"""DynamoReleaseStore.load_many: one BatchGetItem for up to 100 groups, unprocessed keys asked again."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.state_table.releases import DynamoReleaseStore
from chalicelib.release.state import GroupState
from chalicelib.shared.errors import StateReadError
from devstack.resources import LocalResources


def test_a_batch_read_returns_saved_and_never_saved_groups_alike(resources: LocalResources) -> None:
    store = DynamoReleaseStore(boto3.client("dynamodb"), resources.state_table)
    store.save(GroupState("a"))
    saved = store.save(replace(store.load("a"), queued=None))
    states = store.load_many(["a", "b"])
    assert states == {"a": saved, "b": GroupState("b")}


def test_more_than_a_hundred_groups_are_refused_before_any_request() -> None:
    store = DynamoReleaseStore(boto3.client("dynamodb", region_name="us-east-1"), "t")
    with pytest.raises(ValueError, match="at most 100"):
        store.load_many([f"g{number}" for number in range(101)])


def key(group: str) -> dict[str, Any]:
    return {"pk": {"S": f"release#{group}"}, "sk": {"S": "state"}}


def test_unprocessed_keys_are_asked_again_after_a_pause_then_given_up_on() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    pauses: list[float] = []
    store = DynamoReleaseStore(client, "t", sleep=pauses.append)
    item = {**key("a"), "doc": {"S": '{"group": "a"}'}, "revision": {"N": "3"}}
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": [item]}, "UnprocessedKeys": {"t": {"Keys": [key("b")]}}},
            {"RequestItems": {"t": {"Keys": [key("a"), key("b")], "ConsistentRead": True}}},
        )
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": []}},
            {"RequestItems": {"t": {"Keys": [key("b")], "ConsistentRead": True}}},
        )
        assert store.load_many(["a", "b"]) == {"a": GroupState("a", 3), "b": GroupState("b")}
        for _ in range(6):
            stub.add_response("batch_get_item", {"Responses": {}, "UnprocessedKeys": {"t": {"Keys": [key("c")]}}})
        with pytest.raises(StateReadError, match="still unprocessed after 6 reads"):
            store.load_many(["c"])
    assert pauses == [0.05, 0.05, 0.1, 0.2, 0.4, 0.8]
