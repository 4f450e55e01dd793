"""Poll each handler's queue and hand every event to its handler, like Lambda's EventBridge trigger.

A handler that fails leaves its message on the queue: it comes back after the visibility timeout
and, after the last try, lands in the dead-letter queue, where it is kept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from devstack.relay.invoker import Invocation

Invoke = Callable[[str, Mapping[str, Any]], Invocation]


class QueueDispatcher:
    def __init__(
        self, sqs: Any, queues: Mapping[str, str], invoke: Invoke, wait_seconds: int = 1, duplicate: bool = False
    ) -> None:
        self._sqs = sqs
        self._duplicate = duplicate  # deliver every event twice, as EventBridge may (burst benchmarks, tests)
        self._queues = queues
        self._invoke = invoke
        self._wait_seconds = wait_seconds
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for handler, url in self._queues.items():
            thread = threading.Thread(target=self._run, args=(handler, url), name=f"relay-{handler}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=self._wait_seconds + 5)

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self._threads)

    def _run(self, handler: str, url: str) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once(handler, url)
            except (BotoCoreError, ClientError):
                # The AWS side is restarting or stopping: try again shortly, unless we are stopping.
                self._stopping.wait(0.5)

    def poll_once(self, handler: str, url: str) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=self._wait_seconds
        ).get("Messages", [])
        for message in messages:
            if self._deliver(handler, message["Body"]):
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _deliver(self, handler: str, body: str) -> bool:
        try:
            event = json.loads(body)
        except ValueError:
            return False  # not an event: retried, then dead-lettered, never dropped silently
        delivered = self._invoke(handler, event).error is None
        if self._duplicate:
            delivered = self._invoke(handler, event).error is None and delivered
        return delivered
