"""Poll each handler's queue and hand every event to its handler, like Lambda's EventBridge trigger.

Handlers run on a bounded pool of workers (devstack.relay.keyed_pool): events of one model package group
(or one endpoint, one alarm) run one after another in the order received, other groups' beside them.
A message stays invisible while it waits for a worker and is deleted only once handled. A handler that
fails gives its message back: it comes back after the queue's visibility timeout and, after the last
try, lands in the dead-letter queue, where it is kept. On stop, events not yet started go back to
their queue at once: none is lost.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from devstack.relay.invoker import Invocation
from devstack.relay.keyed_pool import KeyedPool
from devstack.relay.ordering import ordering_key

Invoke = Callable[[str, Mapping[str, Any]], Invocation]
WORKERS = 4  # moto and the handlers share this process's GIL: more workers measured no faster
HOLD_SECONDS = 600  # a received message stays invisible this long while it waits for its worker
AWS_ERRORS = (BotoCoreError, ClientError)


class QueueDispatcher:
    def __init__(
        self,
        sqs: Any,
        queues: Mapping[str, str],
        invoke: Invoke,
        wait_seconds: int = 1,
        duplicate: bool = False,
        workers: int = WORKERS,
    ) -> None:
        self._sqs = sqs
        self._duplicate = duplicate  # deliver every event twice, as EventBridge may (burst benchmarks, tests)
        self._queues = queues
        self._invoke = invoke
        self._wait_seconds = wait_seconds
        self._retry_seconds: dict[str, int] = {}  # per queue URL: its visibility timeout, read once
        self._stopping = threading.Event()
        self._pollers: list[threading.Thread] = []
        self._pool = KeyedPool(workers, capacity=workers * 8)

    def start(self) -> None:
        self._pool.start()
        for handler, url in self._queues.items():
            thread = threading.Thread(target=self._run, args=(handler, url), name=f"relay-{handler}", daemon=True)
            thread.start()
            self._pollers.append(thread)

    def stop(self) -> None:
        """Stop receiving, let the events being handled finish, give the others back to their queues."""
        self._stopping.set()
        self._pool.stop()  # first: a poller waiting for room in the pool gives its batch back at once
        for thread in self._pollers:
            thread.join(timeout=self._wait_seconds + 5)

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self._pollers) and self._pool.alive()

    def poll_once(self, handler: str, url: str) -> int:
        """Receive one batch and handle it to the end (tests); returns how many messages came."""
        self._pool.start()
        count = self._receive(handler, url)
        self._pool.join()
        return count

    def _run(self, handler: str, url: str) -> None:
        while not self._stopping.is_set():
            try:
                self._receive(handler, url)
            except AWS_ERRORS:
                # The AWS side is restarting or stopping: try again shortly, unless we are stopping.
                self._stopping.wait(0.5)

    def _receive(self, handler: str, url: str) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=self._wait_seconds,
            VisibilityTimeout=HOLD_SECONDS,
        ).get("Messages", [])
        for message in messages:
            self._pool.submit(ordering_key(message["Body"]), _Delivery(self, handler, url, message))
        return len(messages)

    def deliver(self, handler: str, body: str) -> bool:
        try:
            event = json.loads(body)
        except ValueError:
            return False  # not an event: retried, then dead-lettered, never dropped silently
        delivered = self._invoke(handler, event).error is None
        if self._duplicate:
            delivered = self._invoke(handler, event).error is None and delivered
        return delivered

    def settle(self, url: str, receipt: str, handled: bool | None) -> None:
        """Delete a handled message; show a failed one again after the queue's timeout, an unstarted one now."""
        with contextlib.suppress(*AWS_ERRORS):  # the stack is stopping: the message is left as it is
            if handled:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
            else:
                seconds = 0 if handled is None else self._retry_after(url)
                self._sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=seconds)

    def _retry_after(self, url: str) -> int:
        if url not in self._retry_seconds:
            attributes = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
            self._retry_seconds[url] = int(attributes["Attributes"]["VisibilityTimeout"])
        return self._retry_seconds[url]


class _Delivery:
    """One received message as a task of the pool."""

    def __init__(self, dispatcher: QueueDispatcher, handler: str, url: str, message: Mapping[str, Any]) -> None:
        self._dispatcher, self._handler, self._url = dispatcher, handler, url
        self._body, self._receipt = str(message["Body"]), str(message["ReceiptHandle"])

    def run(self) -> None:
        try:
            handled = self._dispatcher.deliver(self._handler, self._body)
        except Exception:  # noqa: BLE001 - an observer's failure: the event is retried, the worker lives on
            handled = False
        self._dispatcher.settle(self._url, self._receipt, handled)

    def release(self) -> None:
        self._dispatcher.settle(self._url, self._receipt, None)
