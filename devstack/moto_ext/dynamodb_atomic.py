"""DynamoDB writes one at a time, as DynamoDB applies them to an item.

moto checks a ConditionExpression and then writes, with nothing between concurrent requests: two threads
(the moto server's, or a test's) can both pass `attribute_not_exists(pk)` and both write. Every lock, lease
and revision check of the app relies on conditional writes being atomic, so the test world makes them so:
one process-wide lock around each write a backend applies.
"""

from __future__ import annotations

import threading
from typing import Any

from devstack.moto_ext.patching import Method, Patch, Wrap

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_LOCK = threading.RLock()  # re-entrant: a transaction's items may go through the single-item paths


def patches() -> list[Patch]:
    from moto.dynamodb.models import DynamoDBBackend

    return [
        Wrap(DynamoDBBackend, name, _one_at_a_time, gap="conditional writes are not atomic")
        for name in WRITES
        if hasattr(DynamoDBBackend, name)
    ]


def _one_at_a_time(call_next: Method, backend: Any, *args: Any, **kwargs: Any) -> Any:
    with _LOCK:
        return call_next(backend, *args, **kwargs)
