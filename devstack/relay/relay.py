"""The relay as one part of the stack: wire the rules, then dispatch events and fire schedules."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from chalice.app import Chalice

from devstack.relay.dispatcher import QueueDispatcher
from devstack.relay.invoker import LambdaInvoker
from devstack.relay.schedule import Scheduler
from devstack.relay.wiring import Wired, routes, wire


class Relay:
    name = "relay"

    def __init__(
        self,
        app: Chalice,
        client: Callable[[str], Any],
        invoker: LambdaInvoker,
        prefix: str = "model-shepherd-local",
        speed: float = 1.0,
        duplicate: bool = False,
    ) -> None:
        sqs = client("sqs")
        self.wired: Wired = wire(client("events"), sqs, prefix, app)
        self._dispatcher = QueueDispatcher(sqs, self.wired.queues, invoker.invoke, duplicate=duplicate)
        self._scheduler = Scheduler(routes(app)[1], self.wired.schedule_rules, self._to_target(sqs), speed)

    def _to_target(self, sqs: Any) -> Callable[[str, Mapping[str, Any]], object]:
        def send(handler: str, event: Mapping[str, Any]) -> object:
            return sqs.send_message(QueueUrl=self.wired.queues[handler], MessageBody=json.dumps(event))

        return send

    def start(self) -> None:
        self._dispatcher.start()
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.stop()
        self._dispatcher.stop()

    def alive(self) -> bool:
        return self._dispatcher.alive() and self._scheduler.alive()
