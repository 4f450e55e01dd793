"""The relay as one part of the stack: wire the rules, then dispatch events and fire schedules."""

from __future__ import annotations

from collections.abc import Callable
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
        self.wired: Wired = wire(client("events"), client("sqs"), prefix, app)
        self._dispatcher = QueueDispatcher(client("sqs"), self.wired.queues, invoker.invoke, duplicate=duplicate)
        self._scheduler = Scheduler(routes(app)[1], self.wired.schedule_rules, invoker.invoke, speed)

    def start(self) -> None:
        self._dispatcher.start()
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.stop()
        self._dispatcher.stop()

    def alive(self) -> bool:
        return self._dispatcher.alive() and self._scheduler.alive()
