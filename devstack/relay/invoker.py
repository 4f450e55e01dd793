"""Invoke a Chalice handler as Lambda would: the raw event, a Lambda context, middleware included."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalice.app import Chalice
from chalice.local import LambdaContext

MEMORY_MB = 512
TIMEOUT_MS = 900_000


@dataclass(frozen=True)
class Invocation:
    handler: str
    event: Mapping[str, Any]
    result: Any = None
    error: str | None = None
    seconds: float = 0.0


Observer = Callable[[Invocation], None]


@dataclass
class LambdaInvoker:
    app: Chalice
    # Runs before every invocation: the stack installs its container here, each time, because
    # anything else in the process (a test's teardown) may have replaced it.
    prepare: Callable[[], None] = lambda: None
    observers: list[Observer] = field(default_factory=list)

    def invoke(self, handler: str, event: Mapping[str, Any]) -> Invocation:
        self.prepare()
        context = LambdaContext(handler, memory_size=MEMORY_MB, max_runtime_ms=TIMEOUT_MS)
        started = time.monotonic()
        try:
            result = self.app.handler_map[handler](dict(event), context)
            invocation = Invocation(handler, event, result, None, time.monotonic() - started)
        except Exception as error:  # noqa: BLE001 - a failed handler is reported and retried, as Lambda does
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            invocation = Invocation(handler, event, None, detail, time.monotonic() - started)
        for observer in self.observers:
            observer(invocation)
        return invocation
