"""Count the AWS calls a piece of work makes, by service and operation, through Container's clients."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from chalicelib.adapters.aws import make_client


class CallCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def client_factory(self) -> Callable[[str], Any]:
        def make(service: str) -> Any:
            client = make_client(service)
            client.meta.events.register("before-call", self._count)
            return client

        return make

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}:{model.name}"] += 1

    def reset(self) -> None:
        self.calls.clear()

    def total(self, *, excluding: tuple[str, ...] = ()) -> int:
        return sum(n for name, n in self.calls.items() if not name.startswith(excluding))
