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
            client.meta.events.register("before-parameter-build", self._count)  # sees the API params
            return client

        return make

    def _count(self, model: Any, params: Any = None, **_: Any) -> None:
        name = f"{model.service_model.service_name}:{model.name}"
        table = (params or {}).get("TableName")
        self.calls[f"{name}({table})" if table else name] += 1

    def reset(self) -> None:
        self.calls.clear()

    def total(self, *, excluding: tuple[str, ...] = ()) -> int:
        return sum(n for name, n in self.calls.items() if not name.startswith(excluding))
